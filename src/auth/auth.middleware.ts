import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { forbidden } from '../common/app-exception.js';
import { AppConfig } from '../config/app-config.js';
import type { RequestWithActor } from './actor.js';
import { isAllowedOrigin } from './cross-site.js';
import { LoginSessionsService } from './login-sessions.service.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { bearerSecret, malformedAuthorization, malformedCredential, SESSION_COOKIE } from './tokens.js';

/**
 * Runs before every API route: refuses cross-site writes (see cross-site.ts),
 * then resolves the caller from `Authorization: Bearer <token>` or, failing
 * that, the session cookie, and sets `req.actor` (null when anonymous).
 * A bearer header wins: the cookie is then ignored entirely.
 */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: LoginSessionsService,
    private readonly config: AppConfig,
  ) {}

  async use(req: Request & RequestWithActor, res: Response, next: NextFunction): Promise<void> {
    const authorization = req.get('authorization');
    if (malformedAuthorization(authorization)) throw malformedCredential('Authorization', '"Bearer <token>" (one token, no spaces)');
    const bearer = bearerSecret(authorization);
    const ownOrigin = req.host ? `${req.protocol}://${req.host}` : null;
    if (
      !isAllowedOrigin({
        method: req.method,
        origin: req.get('origin'),
        referer: req.get('referer'),
        ownOrigin,
        allowedOrigins: this.config.ALLOWED_ORIGINS,
        bearer: bearer !== null,
      })
    ) {
      throw forbidden(
        'cross_site_request',
        'This request came from another website, so it was refused. Use Agora from its own address, or ask the operator to add that site to ALLOWED_ORIGINS.',
      );
    }

    req.actor = null;
    const cookie = bearer === null ? ((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? null) : null;
    if (bearer !== null) {
      req.actor = (await this.sessions.resolve(bearer, 'token'))?.actor ?? null;
    } else if (cookie) {
      const found = await this.sessions.resolve(cookie, 'cookie');
      if (found) {
        req.actor = found.actor;
        // The server-side expiry slid forward: move the cookie's with it.
        if (found.refreshed) setSessionCookie(req, res, this.config, cookie, found.expiresAt);
      } else {
        clearSessionCookie(req, res, this.config);
      }
    }
    next();
  }
}
