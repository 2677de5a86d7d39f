import { createHash, randomBytes } from 'node:crypto';
import { unauthenticated } from '../common/app-exception.js';

export const SESSION_COOKIE = 'agora_session';
/** API tokens carry a recognisable prefix so secret scanners and people can spot them. */
export const API_TOKEN_PREFIX = 'agora_';

/** A new secret for a client to hold: 256 random bits, URL-safe. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** What the database stores and looks up: the SHA-256 of the secret, hex. */
export function secretId(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The secret from `Authorization: Bearer <secret>`, or null. */
export function bearerSecret(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/**
 * An Authorization header that is present but not one `Bearer <token>` (a
 * value with spaces, another scheme): refused with 401 rather than read as
 * no credential, so a script with a broken header learns it at once.
 */
export function malformedAuthorization(authorization: string | undefined): boolean {
  return authorization !== undefined && authorization.trim() !== '' && bearerSecret(authorization) === null;
}

/** The 401 for a malformed credential, naming where it was. */
export const malformedCredential = (field: string, expected: string) =>
  unauthenticated(`${field} must be ${expected}.`, [{ field, message: `must be ${expected}` }]);

/** The value of one cookie from a raw Cookie header (for socket handshakes, which skip cookie-parser). */
export function cookieValue(cookieHeader: string | undefined, name = SESSION_COOKIE): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim()) || null;
      } catch {
        return null;
      }
    }
  }
  return null;
}
