import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorCode } from '../protocol/error-codes.js';
import type { ErrorBody } from './error.filter.js';

export class ErrorDetail {
  @ApiProperty({ description: 'The input field (a dotted path for nested ones).' }) field: string;
  @ApiProperty() message: string;
}

/** The one error shape of the API, as HTTP sends it (Retry-After is a header there). */
export class ErrorView implements Omit<ErrorBody, 'retryAfterMs'> {
  @ApiProperty() statusCode: number;
  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', description: 'What went wrong, for programs: e.g. `validation_failed`, `rate_limited`, `forum_not_found`.' })
  code: ErrorCode;
  @ApiProperty({ description: 'An English explanation, for people.' }) message: string;
  @ApiPropertyOptional({ type: [ErrorDetail], description: '`validation_failed`: per input field.' }) details?: ErrorDetail[];
  @ApiPropertyOptional({ description: "5xx: the request's id (X-Request-Id), to quote when reporting it." }) requestId?: string;
}
