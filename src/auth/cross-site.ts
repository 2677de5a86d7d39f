/**
 * Cross-site request protection for cookie-authenticated writes.
 *
 * The session cookie is SameSite=Lax, so browsers already leave it off
 * cross-site POST/PUT/PATCH/DELETE requests. As a second, explicit layer, an
 * unsafe request that a browser marks with `Origin` (or, lacking that,
 * `Referer`) must come from the app's own origin or one listed in
 * ALLOWED_ORIGINS. Requests with neither header (curl, scripts, server-side
 * clients) are not browser-driven cross-site requests and pass; requests
 * authenticated by a bearer token carry no ambient credential and are exempt.
 * Sign-up and sign-in are checked too, which stops "login CSRF" (a foreign
 * page signing a visitor into the attacker's account).
 */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The origin (`scheme://host[:port]`) of an http(s) URL, or null if it isn't one. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export interface OriginCheckInput {
  method: string;
  /** The `Origin` request header, if any. */
  origin?: string;
  /** The `Referer` request header, if any. */
  referer?: string;
  /** The app's own origin as this request reached it, e.g. `https://agora.example.org`. */
  ownOrigin: string | null;
  /** Extra origins allowed to write (AppConfig.ALLOWED_ORIGINS). */
  allowedOrigins: readonly string[];
  /** The request is authenticated with a bearer token rather than the cookie. */
  bearer: boolean;
}

/** True when the request may proceed; false when it is a cross-site write to refuse. */
export function isAllowedOrigin(input: OriginCheckInput): boolean {
  if (input.bearer || !UNSAFE_METHODS.has(input.method.toUpperCase())) return true;
  const claimed = input.origin ?? input.referer;
  if (claimed === undefined || claimed === '') return true;
  // `Origin: null` (sandboxed frames, file: pages) and garbage are never our origin.
  const origin = originOf(claimed);
  if (!origin) return false;
  if (input.ownOrigin && origin === originOf(input.ownOrigin)) return true;
  return input.allowedOrigins.some((allowed) => originOf(allowed) === origin);
}
