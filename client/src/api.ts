import type { QuestionView as QuestionEvent, ReplyView as ReplyEvent, Wire } from './protocol.js';
import { answer, api, type Schemas } from './api/client.js';
import type { operations } from './generated/api.js';

/**
 * Sign-in, the catalogue, forums and threads over HTTP. Shapes are the
 * server's (generated from its OpenAPI document); the only adapter is the
 * thread model's reply (`toReply`), which also takes replies from live events.
 */

export type Language = Schemas['AccountView']['language'];
export const LANGUAGES: Language[] = ['en', 'es', 'fr'];
export type Account = Schemas['AccountView'];
export type SessionState = Schemas['SessionSummaryView']['state'];
export type SessionSummary = Schemas['SessionSummaryView'];
export type SessionDetail = Schemas['SessionDetailView'];
export type SessionFacets = Schemas['SessionFacets'];
export type ForumVisibility = Schemas['ForumSummaryView']['visibility'];
export type ForumSummary = Schemas['ForumSummaryView'];
export type ForumDetail = Schemas['ForumView'];
export type InvitationPreview = Schemas['ReceivedInvitation'];
export type Question = Schemas['QuestionView'];
export type Author = Schemas['AuthorView'];
export type ReplyState = Schemas['ReplyView']['state'];
export type Participant = Schemas['ParticipantView'];

/** What the catalogue filters by (the query of GET /api/sessions, without paging). */
export type SessionFilters = Pick<NonNullable<operations['SessionsController_list']['parameters']['query']>, 'q' | 'topic' | 'organiser' | 'city' | 'state'>;

/**
 * A reply as the thread model holds it, from a page or a live event: its
 * text '' when the server sends none (deleted, or hidden from this reader),
 * and whether this reader voted for it (events can't say; the model keeps it).
 */
export type Reply = Omit<Schemas['ReplyView'], 'bodyHtml' | 'bodySource' | 'viewerVoted'> & { bodyHtml: string; bodySource: string | null; votedByMe: boolean };

export function toReply({ viewerVoted, ...r }: Schemas['ReplyView'] | Wire<ReplyEvent>): Reply {
  return { ...r, bodyHtml: r.bodyHtml ?? '', bodySource: r.bodySource ?? null, votedByMe: viewerVoted === true };
}

/** A question from a live event as the HTTP reads have it (a handed-over question is published). */
export function questionFromEvent(q: Wire<QuestionEvent>): Question {
  return { ...q, state: q.state ?? 'published', stateReason: q.stateReason ?? null };
}

const reply = (id: string) => ({ params: { path: { id } } });

// ---- auth ----------------------------------------------------------------------------

export const auth = {
  /** The signed-in account, or null. */
  async me(): Promise<Account | null> {
    // GET /auth/current answers 200 either way, so a signed-out page logs no failed request.
    return (await answer(api.GET('/api/auth/current'))).account;
  },
  signIn: (email: string, password: string) => answer(api.POST('/api/auth/sign-in', { body: { email, password } })),
  signUp: (input: { email: string; password: string; displayName: string; organisation?: string; language: Language }) =>
    answer(api.POST('/api/auth/sign-up', { body: { email: input.email, password: input.password, displayName: input.displayName, language: input.language, ...(input.organisation ? { organisation: input.organisation } : {}) } })),
  signOut: () => answer(api.POST('/api/auth/sign-out')),
  /** Mails the signed-in account a link confirming its address. */
  requestEmailVerification: () => answer(api.POST('/api/auth/verify-email')),
  confirmEmail: (token: string) => answer(api.POST('/api/auth/verify-email/confirm', { body: { token } })),
  requestPasswordReset: (email: string) => answer(api.POST('/api/auth/password-reset', { body: { email } })),
  confirmPasswordReset: (token: string, password: string) => answer(api.POST('/api/auth/password-reset/confirm', { body: { token, password } })),
  /** Saves the interface language on the account. */
  setLanguage: (language: Language) => answer(api.PATCH('/api/auth/me', { body: { language } })),
};

// ---- sessions and forums ---------------------------------------------------------------

export const sessions = {
  list: (filters: SessionFilters, cursor?: string | null) => answer(api.GET('/api/sessions', { params: { query: { ...filters, cursor: cursor ?? undefined, limit: 20 } } })),
  /** Values to filter by, with counts; each facet ignores its own filter. */
  async facets(filters: SessionFilters): Promise<SessionFacets | null> {
    try {
      return await answer(api.GET('/api/sessions/facets', { params: { query: filters } }));
    } catch {
      return null;
    }
  },
  get: (idOrSlug: string) => answer(api.GET('/api/sessions/{idOrSlug}', { params: { path: { idOrSlug } } })),
};

export const forums = {
  get: (forumId: number) => answer(api.GET('/api/forums/{forumId}', { params: { path: { forumId } } })),
  async questions(forumId: number): Promise<Question[]> {
    // The server answers them all (no paging).
    return (await answer(api.GET('/api/forums/{forumId}/questions', { params: { path: { forumId } } }))).items;
  },
  /** Proposes a question; it awaits the moderators' approval (a moderator's is published at once). */
  proposeQuestion: (forumId: number, title: string, body: string) =>
    answer(api.POST('/api/forums/{forumId}/question-proposals', { params: { path: { forumId } }, body: { title, body } })),
  /** People of the forum whose name starts as typed after "@" (the mention autocomplete). */
  participants: (forumId: number, prefix: string) => answer(api.GET('/api/forums/{forumId}/participants', { params: { path: { forumId }, query: { prefix } } })),
  /** What an invitation link leads to (no sign-in needed). */
  previewInvitation: (token: string) => answer(api.POST('/api/invitations/preview', { body: { token } })),
  /** Accepts an invitation link's token; answers the forum it opens. */
  async acceptInvitation(token: string): Promise<{ forumId: number }> {
    return { forumId: (await answer(api.POST('/api/invitations/accept', { body: { token } }))).forum.id };
  },
};

// ---- discussions ---------------------------------------------------------------------

export const discussions = {
  question: (id: number) => answer(api.GET('/api/questions/{id}', { params: { path: { id } } })),
  async replies(id: number, after?: string | null, limit = 50) {
    const page = await answer(api.GET('/api/questions/{id}/replies', { params: { path: { id }, query: { order: 'tree', cursor: after ?? undefined, limit } } }));
    return { ...page, items: page.items.map(toReply) };
  },
  /** One reply (with its markdown source, for editing) and its ancestors' ids, first-level first. */
  async reply(id: string): Promise<{ reply: Reply; ancestorIds: string[] }> {
    const data = await answer(api.GET('/api/replies/{id}', reply(id)));
    return { reply: toReply(data.reply), ancestorIds: data.ancestorIds };
  },
  /** `clientId` (a UUID per draft, the same on a retry) makes a retry return the reply stored the first time. */
  async post(id: number, body: string, parentId: string | null, clientId?: string): Promise<Reply> {
    return toReply(await answer(api.POST('/api/questions/{id}/replies', { params: { path: { id } }, body: { body, ...(parentId ? { parentId } : {}), ...(clientId ? { clientId } : {}) } })));
  },
  async edit(id: string, body: string): Promise<Reply> {
    return toReply(await answer(api.PATCH('/api/replies/{id}', { ...reply(id), body: { body } })));
  },
  /** Deletes a reply; it keeps its place in the thread without its text. */
  async remove(id: string): Promise<Reply> {
    return toReply(await answer(api.DELETE('/api/replies/{id}', reply(id))));
  },
  /** Casts or withdraws the caller's vote; answers the new count. */
  vote: (id: string, on: boolean) => answer(on ? api.PUT('/api/replies/{id}/vote', reply(id)) : api.DELETE('/api/replies/{id}/vote', reply(id))),
};
