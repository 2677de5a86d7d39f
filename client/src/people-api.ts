import { ApiError, call, query, type Language } from './api.js';

/**
 * Search, profiles and the account settings' calls (server: src/search/,
 * src/people/, src/auth/). As in api.ts, the `to*` adapters are the one place
 * that reads the server's JSON.
 */

export type SearchKind = 'session' | 'forum' | 'question' | 'reply' | 'live_question';
export const SEARCH_KINDS: SearchKind[] = ['session', 'forum', 'question', 'reply', 'live_question'];

export interface Speaker {
  id: string;
  displayName: string;
  organisation: string | null;
  avatarUrl: string | null;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** Server-escaped HTML whose only markup is <mark>. */
  titleHtml: string;
  snippetHtml: string;
  path: string;
  session: { id: number; slug: string; title: string };
  forum: { id: number; title: string } | null;
  author: Speaker | null;
  language: Language | null;
  state: string | null;
  at: string;
}

export interface SearchGroup {
  kind: SearchKind;
  items: SearchHit[];
  nextCursor: string | null;
}

export interface SearchParams {
  q: string;
  kind?: SearchKind;
  language?: Language;
  city?: string;
  from?: string;
  to?: string;
  author?: string;
  cursor?: string | null;
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

export function toSpeaker(a: unknown): Speaker | null {
  if (!a || typeof a !== 'object') return null;
  const x = a as Json;
  return { id: str(x.id), displayName: str(x.displayName), organisation: strOrNull(x.organisation), avatarUrl: strOrNull(x.avatarUrl) };
}

function toHit(h: Json): SearchHit {
  const session = (h.session ?? {}) as Json;
  const forum = h.forum as Json | null;
  return {
    kind: str(h.kind) as SearchKind,
    id: str(h.id),
    titleHtml: str(h.titleHtml),
    snippetHtml: str(h.snippetHtml),
    path: str(h.path),
    session: { id: Number(session.id), slug: str(session.slug), title: str(session.title) },
    forum: forum ? { id: Number(forum.id), title: str(forum.title) } : null,
    author: toSpeaker(h.author),
    language: (strOrNull(h.language) as Language | null) ?? null,
    state: strOrNull(h.state),
    at: str(h.at),
  };
}

export async function search(params: SearchParams): Promise<SearchGroup[]> {
  const data = await call<Json>('GET', `/search${query({ ...params, limit: params.kind ? 20 : 5 })}`);
  return list(data.groups).map((g) => ({ kind: str(g.kind) as SearchKind, items: list(g.items).map(toHit), nextCursor: strOrNull(g.nextCursor) }));
}

export interface PersonReply {
  id: string;
  bodyHtml: string;
  state: string;
  createdAt: string;
  path: string;
  questionTitle: string;
  forumTitle: string;
  sessionTitle: string;
}

export interface PersonQuestion {
  questionId: number;
  questionTitle: string;
  forumTitle: string;
  createdAt: string;
  path: string;
}

export interface Person {
  id: string;
  displayName: string;
  organisation: string | null;
  languages: Language[];
  bio: string;
  avatarUrl: string | null;
  initials: string;
  replies: { items: PersonReply[]; nextCursor: string | null };
  questions: PersonQuestion[];
}

const toPersonReply = (r: Json): PersonReply => ({
  id: str(r.id), bodyHtml: str(r.bodyHtml), state: str(r.state), createdAt: str(r.createdAt), path: str(r.path),
  questionTitle: str(r.questionTitle), forumTitle: str(r.forumTitle), sessionTitle: str(r.sessionTitle),
});

export async function person(id: string): Promise<Person> {
  const p = await call<Json>('GET', `/people/${encodeURIComponent(id)}`);
  const replies = (p.replies ?? {}) as Json;
  return {
    id: str(p.id), displayName: str(p.displayName), organisation: strOrNull(p.organisation), languages: (Array.isArray(p.languages) ? p.languages : []) as Language[],
    bio: str(p.bio), avatarUrl: strOrNull(p.avatarUrl), initials: str(p.initials),
    replies: { items: list(replies.items).map(toPersonReply), nextCursor: strOrNull(replies.nextCursor) },
    questions: list(p.questions).map((q) => ({ questionId: Number(q.questionId), questionTitle: str(q.questionTitle), forumTitle: str(q.forumTitle), createdAt: str(q.createdAt), path: str(q.path) })),
  };
}

export async function personReplies(id: string, cursor: string): Promise<{ items: PersonReply[]; nextCursor: string | null }> {
  const d = await call<Json>('GET', `/people/${encodeURIComponent(id)}/replies${query({ cursor })}`);
  return { items: list(d.items).map(toPersonReply), nextCursor: strOrNull(d.nextCursor) };
}

// ---- the account settings page ----------------------------------------------------------

export interface ProfileChange {
  displayName?: string;
  organisation?: string;
  language?: Language;
  bio?: string;
  languages?: Language[];
}

export const account = {
  update: (change: ProfileChange) => call('PATCH', '/auth/me', change),
  changePassword: (currentPassword: string, newPassword: string) => call('POST', '/auth/password', { currentPassword, newPassword }),
  /** Uploads an image; the server checks it and stores a re-encoded square. */
  async setAvatar(file: File): Promise<string> {
    const form = new FormData();
    form.set('avatar', file);
    const res = await fetch('/api/auth/me/avatar', { method: 'PUT', credentials: 'same-origin', body: form, headers: { accept: 'application/json' } });
    const data = (await res.json().catch(() => ({}))) as Json;
    if (!res.ok) throw new ApiError(res.status, str(data.code) || 'error', str(data.message) || res.statusText, []);
    return str(data.avatarUrl);
  },
  removeAvatar: () => call('DELETE', '/auth/me/avatar'),
  async signIns(): Promise<SignIn[]> {
    return list(await call('GET', '/auth/sessions')).map((s) => ({
      id: str(s.id), kind: s.kind === 'token' ? 'token' : 'cookie', label: strOrNull(s.label), current: s.current === true,
      lastSeenAt: str(s.lastSeenAt), expiresAt: str(s.expiresAt), userAgent: strOrNull(s.userAgent),
    }));
  },
  endSignIn: (id: string) => call('DELETE', `/auth/sessions/${encodeURIComponent(id)}`),
  async createToken(label: string): Promise<string> {
    return str((await call<Json>('POST', '/auth/tokens', { label })).token);
  },
};

export interface SignIn {
  id: string;
  kind: 'cookie' | 'token';
  label: string | null;
  current: boolean;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
}
