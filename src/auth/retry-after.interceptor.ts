import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';
import { RateLimited } from '../common/messages.js';
import { RateLimitedException } from './sign-in-throttle.service.js';

/** Adds the Retry-After header to a rate-limited answer (sign-in throttling, asking limits of the live Q&A); the error filter writes the body. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (error instanceof RateLimitedException) {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(error.retryAfterSeconds));
        } else if (error instanceof RateLimited) {
          context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
        }
        return throwError(() => error);
      }),
    );
  }
}
