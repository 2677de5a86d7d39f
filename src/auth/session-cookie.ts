import type { CookieOptions, Request, Response } from 'express';
import type { AppConfig } from '../config/app-config.js';
import { SESSION_COOKIE } from './tokens.js';

/** HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site writes), Secure behind TLS. */
function cookieOptions(req: Request, config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: config.COOKIE_SECURE || req.secure };
}

export function setSessionCookie(req: Request, res: Response, config: AppConfig, secret: string, expiresAt: Date): void {
  res.cookie(SESSION_COOKIE, secret, { ...cookieOptions(req, config), expires: expiresAt });
}

export function clearSessionCookie(req: Request, res: Response, config: AppConfig): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req, config));
}

/** What a sign-in records about the client: shown in the person's list of sessions, used for rate limiting. */
export function clientInfo(req: Request): { userAgent: string | null; ip: string | null } {
  return { userAgent: req.get('user-agent') ?? null, ip: req.ip ?? req.socket.remoteAddress ?? null };
}
