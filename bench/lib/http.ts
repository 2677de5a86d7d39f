import type { Credential } from './sockets.js';

/** HTTP helpers over Node's global fetch (undici; connections are kept alive and reused). */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
  }
}

/** The items array of a page response, whatever the envelope calls it. */
export function pageItems(body: unknown): { id: string | number }[] {
  if (Array.isArray(body)) return body as { id: string | number }[];
  const b = body as Record<string, unknown>;
  for (const key of ['items', 'replies', 'data', 'results']) {
    if (Array.isArray(b?.[key])) return b[key] as { id: string | number }[];
  }
  throw new Error(`unrecognised page shape: ${JSON.stringify(body).slice(0, 200)}`);
}

export function nextCursorOf(body: unknown): string | null {
  const b = body as Record<string, unknown>;
  const value = b?.nextCursor ?? (b?.page as Record<string, unknown> | undefined)?.nextCursor;
  return typeof value === 'string' ? value : null;
}

/** Signs up through the API and returns the `agora_session` cookie to send back. */
export async function signUp(base: string, email: string, password: string, displayName: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password, displayName }),
  });
  const text = await res.text();
  if (res.status !== 200 && res.status !== 201) throw new HttpError(res.status, text, `sign-up ${email}`);
  const cookies = res.headers.getSetCookie();
  const session = cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('agora_session='));
  if (!session) throw new Error(`sign-up ${email}: no agora_session cookie in ${JSON.stringify(cookies)}`);
  return session;
}

/** Joins a session's Q&A as `count` guests over HTTP (20 at a time); their session cookies. */
export async function joinAsGuests(url: string, slug: string, count: number): Promise<Credential[]> {
  const out: Credential[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}/api/sessions/${slug}/qa/guests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url },
        body: JSON.stringify({ displayName: `Attendee ${i + 1}` }),
      });
      const text = await res.text();
      if (res.status !== 201) throw new HttpError(res.status, text, 'POST …/qa/guests');
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('agora_session='));
      if (!cookie) throw new Error(`no agora_session cookie from POST …/qa/guests: ${text.slice(0, 200)}`);
      out[i] = { cookie };
    }
  }));
  return out;
}
