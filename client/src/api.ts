/**
 * Every HTTP call the client makes, and the shapes it expects back. The
 * server's DTOs are the source of truth; the `to*` functions below are the
 * one place that adapts to them, so a change of shape is fixed here only.
 */

export type Language = 'en' | 'es' | 'fr';
export const LANGUAGES: Language[] = ['en', 'es', 'fr'];

export interface Account {
  id: string;
  email: string;
  displayName: string;
  organisation: string | null;
  language: Language;
  role: 'member' | 'admin';
  emailVerified: boolean;
  isDemo: boolean;
}

export type SessionState = 'scheduled' | 'live' | 'ended';
export type SessionKind = 'webinar' | 'training_workshop' | 'series';

export interface SessionDate {
  startsAt: string;
  endsAt: string;
}

export interface SessionDocument {
  id: number;
  kind: string;
  language: Language;
  title: string;
  url: string;
}

export interface SessionSummary {
  id: number;
  slug: string;
  kind: SessionKind;
  title: string;
  summary: string;
  organiser: string;
  partners: string[];
  cities: string[];
  topics: string[];
  languages: Language[];
  state: SessionState;
  dates: SessionDate[];
  /** Forums of this session the caller may see. */
  forumCount: number | null;
  /** Members' forums that signing in would show (0 when signed in). */
  membersForumCount: number;
}

export type ForumVisibility = 'public' | 'members' | 'invite_only';
export type ForumState = 'open' | 'closed' | 'archived';

export interface ForumSummary {
  id: number;
  sessionId: number;
  slug: string;
  title: string;
  description: string;
  visibility: ForumVisibility;
  state: ForumState;
  questionCount: number | null;
  replyCount: number | null;
}

export interface SessionDetail extends SessionSummary {
  documents: SessionDocument[];
  forums: ForumSummary[];
}

export interface ForumDetail extends ForumSummary {
  session: { id: number; slug: string; title: string } | null;
  /** The caller's role here, if a member. */
  myRole: 'member' | 'moderator' | null;
  canModerate: boolean;
  /** Why the caller may not reply or vote (a code), or null when they may. */
  participationRefusal: string | null;
  /** The server's explanation of the refusal, in English. */
  refusalMessage: string | null;
  /** Whether the caller may propose a question (members, while the forum allows it). */
  canProposeQuestions: boolean;
}

export interface InvitationPreview {
  status: string;
  forum: { id: number; title: string; visibility: ForumVisibility };
  sessionTitle: string;
  invitedBy: string | null;
}

export interface Question {
  id: number;
  forumId: number;
  position: number;
  title: string;
  bodyHtml: string;
  /** A member's proposal awaits a moderator (or was rejected, with the reason): only its author and the moderators see it. */
  state: 'published' | 'proposed' | 'rejected';
  stateReason: string | null;
  author: Author | null;
  pinned: boolean;
  locked: boolean;
  closed: boolean;
  replyCount: number;
  /** Whether the caller has replied in this thread (null when anonymous or unknown). */
  answeredByMe: boolean | null;
  createdAt: string;
  /** Merged into that question (this one is then closed). */
  mergedIntoId: number | null;
  /** Slow mode: one reply per person per N seconds (moderators exempt). */
  slowModeSeconds: number | null;
  /** The moderators' synthesis, shown at the top of the thread. */
  synthesis: { html: string; source: string | null; author: Author | null; updatedAt: string } | null;
  featuredReplyIds: string[];
}

export type ReplyState = 'visible' | 'pending' | 'hidden' | 'deleted' | 'rejected';

export interface Author {
  id: string;
  displayName: string;
  /** Organisation or city, and avatar image (replies; null when the author set none). */
  organisation?: string | null;
  avatarUrl?: string | null;
}

export interface Reply {
  id: string;
  questionId: number;
  forumId: number;
  parentId: string | null;
  depth: number;
  author: Author | null;
  bodyHtml: string;
  /** Markdown source, when the server sends it (for editing one's own reply). */
  bodySource: string | null;
  state: ReplyState;
  voteCount: number;
  childCount: number;
  votedByMe: boolean;
  createdAt: string;
  editedAt: string | null;
  /** Why a moderator hid, deleted or rejected it (shown in its place). */
  stateReason: string | null;
  /** A moderator featured it as a key contribution of its question. */
  featured: boolean;
  /** The last edit was a moderator's. */
  editedByModerator: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** A thread read: the forum's event position read before the page (subscribe from it to miss nothing). */
  seq?: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SessionFacets {
  topics: FacetCount[];
  organisers: FacetCount[];
  cities: FacetCount[];
  states: FacetCount[];
}

export interface SessionFilters {
  /** Words in the title or summary (any language; accents and plurals folded by the server). */
  q?: string;
  topic?: string;
  organiser?: string;
  city?: string;
  state?: string;
}

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

type Json = Record<string, unknown>;

/** One API call; throws ApiError with the server's error shape (also used by the feature modules, e.g. moderation-api.ts). */
export async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'network_error');
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const e = (data ?? {}) as Json;
    throw new ApiError(
      response.status,
      typeof e.code === 'string' ? e.code : 'error',
      typeof e.message === 'string' ? e.message : response.statusText,
      Array.isArray(e.details) ? (e.details as { field: string; message: string }[]) : [],
      num(response.headers.get('retry-after')),
    );
  }
  return data as T;
}

export const query = (params: Record<string, string | number | undefined | null>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

// ---- adapters: server shape -> client shape ------------------------------------------

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v == null ? fallback : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : null);
const list = <T = string>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
const iso = (v: unknown): string => str(v);

function page<T>(data: unknown, map: (x: Json) => T): Page<T> {
  const d = (Array.isArray(data) ? { items: data } : (data ?? {})) as Json;
  const out: Page<T> = { items: list<Json>(d.items).map(map), nextCursor: typeof d.nextCursor === 'string' ? d.nextCursor : null };
  if (typeof d.seq === 'number' && Number.isSafeInteger(d.seq) && d.seq >= 0) out.seq = d.seq;
  return out;
}

export function toAccount(a: Json): Account {
  return {
    id: str(a.id),
    email: str(a.email),
    displayName: str(a.displayName),
    organisation: (a.organisation as string | null) ?? null,
    language: (LANGUAGES.includes(a.language as Language) ? a.language : 'en') as Language,
    role: a.role === 'admin' ? 'admin' : 'member',
    emailVerified: a.emailVerified === true,
    isDemo: a.isDemo === true,
  };
}

function toSessionSummary(s: Json): SessionSummary {
  return {
    id: num(s.id) ?? 0,
    slug: str(s.slug),
    kind: str(s.kind, 'webinar') as SessionKind,
    title: str(s.title),
    summary: str(s.summary),
    organiser: str(s.organiser),
    partners: list(s.partners),
    cities: list(s.cities),
    topics: list(s.topics),
    languages: list<Language>(s.languages),
    state: str(s.state, 'scheduled') as SessionState,
    dates: list<Json>(s.dates).map((d) => ({ startsAt: iso(d.startsAt), endsAt: iso(d.endsAt) })),
    forumCount: num(s.forumCount),
    membersForumCount: num(s.membersForumCount) ?? 0,
  };
}

export function toForumSummary(f: Json): ForumSummary {
  return {
    id: num(f.id) ?? 0,
    sessionId: num(f.sessionId) ?? 0,
    slug: str(f.slug),
    title: str(f.title),
    description: str(f.description),
    visibility: str(f.visibility, 'public') as ForumVisibility,
    state: str(f.state, 'open') as ForumState,
    questionCount: num(f.questionCount),
    replyCount: num(f.replyCount),
  };
}

export function toForumDetail(f: Json): ForumDetail {
  const session = (f.session ?? null) as Json | null;
  const viewer = (f.viewer ?? {}) as Json;
  const refusal = (viewer.postRefusal ?? null) as Json | null;
  const role = viewer.membershipState === 'removed' ? null : viewer.role;
  return {
    ...toForumSummary(f),
    session: session ? { id: num(session.id) ?? 0, slug: str(session.slug), title: str(session.title) } : null,
    myRole: role === 'member' || role === 'moderator' ? role : null,
    canModerate: viewer.canModerate === true,
    participationRefusal: viewer.canPost === true ? null : refusal ? str(refusal.code) : 'cannot_post',
    refusalMessage: refusal ? str(refusal.message) : null,
    canProposeQuestions: viewer.canPost === true && (viewer.canModerate === true || f.memberQuestions !== false),
  };
}

export function toQuestion(q: Json): Question {
  const mine = q.viewerReplied;
  return {
    id: num(q.id) ?? 0,
    forumId: num(q.forumId) ?? 0,
    position: num(q.position) ?? 0,
    title: str(q.title),
    bodyHtml: str(q.bodyHtml),
    state: q.state === 'proposed' || q.state === 'rejected' ? q.state : 'published',
    stateReason: typeof q.stateReason === 'string' ? q.stateReason : null,
    author: q.author && typeof q.author === 'object' ? { id: str((q.author as Json).id), displayName: str((q.author as Json).displayName) } : null,
    pinned: q.pinned === true,
    locked: q.locked === true,
    closed: q.closed === true,
    replyCount: num(q.replyCount) ?? 0,
    answeredByMe: typeof mine === 'boolean' ? mine : null,
    createdAt: iso(q.createdAt),
    mergedIntoId: num(q.mergedIntoId),
    slowModeSeconds: num(q.slowModeSeconds),
    synthesis: toSynthesis(q.synthesis),
    featuredReplyIds: list<unknown>(q.featuredReplyIds).map((x) => str(x)),
  };
}

function toSynthesis(v: unknown): Question['synthesis'] {
  if (!v || typeof v !== 'object') return null;
  const s = v as Json;
  const author = (s.author ?? null) as Json | null;
  return {
    html: str(s.html),
    source: typeof s.source === 'string' ? s.source : null,
    author: author ? { id: str(author.id), displayName: str(author.displayName) } : null,
    updatedAt: iso(s.updatedAt),
  };
}

export function toReply(r: Json): Reply {
  const author = (r.author ?? null) as Json | null;
  return {
    id: str(r.id),
    questionId: num(r.questionId) ?? 0,
    forumId: num(r.forumId) ?? 0,
    parentId: r.parentId == null ? null : str(r.parentId),
    depth: num(r.depth) ?? 1,
    author: author
      ? { id: str(author.id), displayName: str(author.displayName), organisation: (author.organisation as string | undefined) ?? null, avatarUrl: (author.avatarUrl as string | undefined) ?? null }
      : null,
    bodyHtml: str(r.bodyHtml),
    bodySource: typeof r.bodySource === 'string' ? r.bodySource : null,
    state: str(r.state, 'visible') as ReplyState,
    voteCount: num(r.voteCount) ?? 0,
    childCount: num(r.childCount) ?? 0,
    votedByMe: r.viewerVoted === true,
    createdAt: iso(r.createdAt),
    editedAt: r.editedAt ? iso(r.editedAt) : null,
    stateReason: typeof r.stateReason === 'string' ? r.stateReason : null,
    featured: r.featured === true,
    editedByModerator: r.editedByModerator === true,
  };
}

// ---- auth ----------------------------------------------------------------------------

export const auth = {
  /** The signed-in account, or null. */
  async me(): Promise<Account | null> {
    // GET /auth/current answers 200 either way, so a signed-out page logs no failed request.
    const { account } = await call<Json>('GET', '/auth/current');
    return account && typeof account === 'object' ? toAccount(account as Json) : null;
  },
  async signIn(email: string, password: string): Promise<Account> {
    return toAccount(await call<Json>('POST', '/auth/sign-in', { email, password }));
  },
  async signUp(input: { email: string; password: string; displayName: string; organisation?: string; language: Language }): Promise<Account> {
    const body: Json = { email: input.email, password: input.password, displayName: input.displayName, language: input.language };
    if (input.organisation) body.organisation = input.organisation;
    return toAccount(await call<Json>('POST', '/auth/sign-up', body));
  },
  signOut: () => call('POST', '/auth/sign-out'),
  /** Saves the interface language on the account (PATCH /api/auth/me, when the server offers it). */
  setLanguage: (language: Language) => call('PATCH', '/auth/me', { language }),
};

// ---- sessions and forums ---------------------------------------------------------------

export const sessions = {
  async list(filters: SessionFilters, cursor?: string | null): Promise<Page<SessionSummary>> {
    return page(await call('GET', `/sessions${query({ ...filters, cursor, limit: 20 })}`), toSessionSummary);
  },
  /** Values to filter by, with counts; each facet ignores its own filter. */
  async facets(filters: SessionFilters): Promise<SessionFacets | null> {
    try {
      const f = await call<Json>('GET', `/sessions/facets${query({ ...filters })}`);
      const counts = (v: unknown) => list<Json>(v).map((x) => ({ value: str(x.value), count: num(x.count) ?? 0 }));
      return { topics: counts(f.topics), organisers: counts(f.organisers), cities: counts(f.cities), states: counts(f.states) };
    } catch {
      return null;
    }
  },
  async get(idOrSlug: string): Promise<SessionDetail> {
    const s = await call<Json>('GET', `/sessions/${encodeURIComponent(idOrSlug)}`);
    return {
      ...toSessionSummary(s),
      documents: list<Json>(s.documents).map((d) => ({
        id: num(d.id) ?? 0,
        kind: str(d.kind),
        language: str(d.language, 'en') as Language,
        title: str(d.title),
        url: str(d.url),
      })),
      forums: list<Json>(s.forums).map(toForumSummary),
    };
  },
};

export const forums = {
  async get(id: number): Promise<ForumDetail> {
    return toForumDetail(await call<Json>('GET', `/forums/${id}`));
  },
  async questions(forumId: number): Promise<Question[]> {
    const data = await call<unknown>('GET', `/forums/${forumId}/questions${query({ limit: 100 })}`);
    return page(data, toQuestion).items;
  },
  /** Proposes a question; it awaits the moderators' approval (a moderator's is published at once). */
  async proposeQuestion(forumId: number, title: string, body: string): Promise<Question> {
    return toQuestion(await call<Json>('POST', `/forums/${forumId}/question-proposals`, { title, body }));
  },
  /** What an invitation link leads to (no sign-in needed). */
  async previewInvitation(token: string): Promise<InvitationPreview> {
    const data = await call<Json>('POST', '/invitations/preview', { token });
    const forum = (data.forum ?? {}) as Json;
    return {
      status: str(data.status),
      forum: { id: num(forum.id) ?? 0, title: str(forum.title), visibility: str(forum.visibility, 'invite_only') as ForumVisibility },
      sessionTitle: str(data.sessionTitle),
      invitedBy: typeof data.invitedBy === 'string' ? data.invitedBy : null,
    };
  },
  /** Accepts an invitation link's token; answers the forum it opens. */
  async acceptInvitation(token: string): Promise<{ forumId: number }> {
    const data = await call<Json>('POST', '/invitations/accept', { token });
    return { forumId: num((data.forum as Json | undefined)?.id) ?? 0 };
  },
};

// ---- discussions ---------------------------------------------------------------------

export const discussions = {
  async question(id: number): Promise<Question> {
    return toQuestion(await call<Json>('GET', `/questions/${id}`));
  },
  async replies(questionId: number, after?: string | null, limit = 50): Promise<Page<Reply>> {
    return page(await call('GET', `/questions/${questionId}/replies${query({ order: 'tree', after, limit })}`), toReply);
  },
  /** One reply (with its markdown source, for editing) and its ancestors' ids, first-level first. */
  async reply(id: string): Promise<{ reply: Reply; ancestorIds: string[] }> {
    const data = await call<Json>('GET', `/replies/${encodeURIComponent(id)}`);
    return { reply: toReply((data.reply ?? data) as Json), ancestorIds: list<unknown>(data.ancestorIds).map((x) => str(x)) };
  },
  /** `clientId` (a UUID per draft, the same on a retry) makes a retry return the reply stored the first time. */
  async post(questionId: number, body: string, parentId: string | null, clientId?: string): Promise<Reply> {
    const payload: Json = { body };
    if (parentId) payload.parentId = parentId;
    if (clientId) payload.clientId = clientId;
    return toReply(await call<Json>('POST', `/questions/${questionId}/replies`, payload));
  },
  async edit(id: string, body: string): Promise<Reply> {
    return toReply(await call<Json>('PATCH', `/replies/${encodeURIComponent(id)}`, { body }));
  },
  /** Deletes a reply; it keeps its place in the thread without its text. */
  async remove(id: string): Promise<Reply> {
    return toReply(await call<Json>('DELETE', `/replies/${encodeURIComponent(id)}`));
  },
  /** Casts or withdraws the caller's vote; answers the new count. */
  async vote(id: string, on: boolean): Promise<{ voteCount: number | null; votedByMe: boolean }> {
    const data = await call<Json | null>(on ? 'PUT' : 'DELETE', `/replies/${encodeURIComponent(id)}/vote`);
    return { voteCount: num(data?.voteCount), votedByMe: typeof data?.viewerVoted === 'boolean' ? data.viewerVoted : on };
  },
};
