import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Socket } from 'socket.io';
import type { MaybeActor } from '../auth/actor.js';
import { isAllowedOrigin } from '../auth/cross-site.js';
import type { LoginSessionKind } from '../auth/login-session.entity.js';
import type { LoginSessionsService } from '../auth/login-sessions.service.js';
import { bearerSecret, cookieValue, malformedAuthorization, malformedCredential } from '../auth/tokens.js';
import { unauthenticated } from '../common/app-exception.js';
import type { AppConfig } from '../config/app-config.js';

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/** The app's own origin as this request reached it (behind a trusted proxy: as the browser sees it). */
export function ownOrigin(req: IncomingMessage, trustProxy: boolean): string | null {
  const host = (trustProxy && first(req.headers['x-forwarded-host'])) || req.headers.host;
  if (!host) return null;
  const scheme = (trustProxy && first(req.headers['x-forwarded-proto'])) || ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  return `${scheme}://${host}`;
}

/**
 * Cross-site WebSocket hijacking guard, for the handshake of every new
 * connection (polling or websocket). A browser always sends Origin on a
 * WebSocket handshake and on a cross-origin request; it must be the app's
 * own origin or one of ALLOWED_ORIGINS. No Origin at all means a
 * same-origin polling request or a non-browser client, neither of which a
 * foreign page can drive. Same rule as HTTP writes (src/auth/cross-site.ts),
 * applied to every socket because any socket may write.
 */
export function originAllowed(req: IncomingMessage, config: Pick<AppConfig, 'ALLOWED_ORIGINS' | 'TRUST_PROXY'>): boolean {
  const origin = req.headers.origin;
  return isAllowedOrigin({
    method: 'POST',
    origin: typeof origin === 'string' ? origin : undefined,
    ownOrigin: ownOrigin(req, config.TRUST_PROXY),
    allowedOrigins: config.ALLOWED_ORIGINS,
    bearer: false,
  });
}

/** The credential a socket presented, kept to re-check it before each write. */
export interface SocketCredential {
  secret: string;
  kind: LoginSessionKind;
}

/**
 * Who is connecting: an API token (`auth: { token }` in the client's
 * options, or an `Authorization: Bearer` header) or, failing that, the
 * `agora_session` cookie, like HTTP. A token that doesn't resolve is refused
 * (the script should know); a stale cookie just means anonymous.
 */
export async function authenticateHandshake(
  sessions: LoginSessionsService,
  handshake: Pick<Socket['handshake'], 'auth' | 'headers'>,
): Promise<{ actor: MaybeActor; credential: SocketCredential | null }> {
  const auth = handshake.auth as Record<string, unknown> | undefined;
  const header = typeof handshake.headers.authorization === 'string' ? handshake.headers.authorization : undefined;
  // A credential that is there but malformed is refused, not taken as none.
  if (auth?.token !== undefined && (typeof auth.token !== 'string' || !/^\S+$/.test(auth.token))) throw malformedCredential('auth.token', 'an API token (a string, no spaces)');
  if (auth?.token === undefined && malformedAuthorization(header)) throw malformedCredential('Authorization', '"Bearer <token>" (one token, no spaces)');
  const token = typeof auth?.token === 'string' ? auth.token : bearerSecret(header);
  if (token !== null) {
    const found = await sessions.resolve(token, 'token');
    if (!found) throw unauthenticated('This API token is unknown, expired or revoked. Create a new one, or connect without it to follow public forums.');
    return { actor: found.actor, credential: { secret: token, kind: 'token' } };
  }
  const cookieHeader = handshake.headers.cookie;
  const cookie = cookieValue(typeof cookieHeader === 'string' ? cookieHeader : undefined);
  if (!cookie) return { actor: null, credential: null };
  const found = await sessions.resolve(cookie, 'cookie');
  return found ? { actor: found.actor, credential: { secret: cookie, kind: 'cookie' } } : { actor: null, credential: null };
}
