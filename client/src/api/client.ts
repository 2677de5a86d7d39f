import createClient from 'openapi-fetch';
import type { components, paths } from '../generated/api.js';

/**
 * The one HTTP client: typed from the server's OpenAPI document
 * (client/src/generated/api.d.ts, `npm run api:generate`), so the client
 * never re-declares a response shape. Same-origin cookies carry the sign-in;
 * the server refuses cookie writes from other sites by their Origin.
 */

/** The server's response shapes, by schema name. */
export type Schemas = components['schemas'];

/** Query values the server would read as absent (undefined, null, '') are left out of the URL. */
function querySerializer(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

export const api = createClient<paths>({
  credentials: 'same-origin',
  headers: { accept: 'application/json' },
  querySerializer,
  // Looked up per call, not when this module loads.
  fetch: (request) => globalThis.fetch(request),
});

/** The API's one error shape, as a throwable. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
    /** From a 429's Retry-After header: when the caller may try again. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** The message for one input field, if the server named it. */
  field(name: string): string | undefined {
    return this.details.find((d) => d.field === name)?.message;
  }
}

const seconds = (v: string | null): number | null => (v !== null && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);

/** An error answer as ApiError; the body may not be ours (a proxy's page), so each field is checked. */
export function toApiError(response: Response, body: unknown): ApiError {
  const e = (body && typeof body === 'object' ? body : {}) as Partial<Schemas['ErrorView']>;
  return new ApiError(
    response.status,
    typeof e.code === 'string' ? e.code : 'error',
    typeof e.message === 'string' ? e.message : response.statusText,
    Array.isArray(e.details) ? e.details : [],
    seconds(response.headers.get('retry-after')),
  );
}

/** Awaits one openapi-fetch call: its data, or ApiError (status 0, `network_error`, when the request never got an answer). */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'network_error', 'network_error');
  }
  if (!result.response.ok) throw toApiError(result.response, result.error);
  return result.data as T;
}
