import { answer, api, type Schemas } from '../api/client.js';
import type { operations } from '../generated/api.js';
import type { LiveQuestionView as LiveQuestionEvent, QaSettingsView as QaSettingsEvent, VoteCountsView, Wire } from '../protocol.js';

/**
 * The live Q&A over HTTP (server: src/live-qa/). Shapes are the server's;
 * the adapters below take the live events' forms (a question's text may be
 * left out there) into the same shapes.
 */

export type QaState = Schemas['QaView']['state'];
export type LiveQuestionState = Schemas['LiveQuestionView']['state'];
export type QaSort = NonNullable<NonNullable<operations['LiveQaController_list']['parameters']['query']>['sort']>;
export type LiveQuestion = Schemas['LiveQuestionView'];
export type QaInfo = Schemas['QaView'];
export type VoteCounts = VoteCountsView;
export type QaSettings = Schemas['UpdateQaDto'];
export type PendingChoice = Schemas['HandOverPreview']['pendingChoice'];
export type HandOverPreview = Schemas['HandOverPreview'];

/** What a moderator may do to a question, with what each act needs. */
export type ModerateInput =
  | { action: 'approve' | 'highlight' | 'unhighlight' | 'answer' | 'archive' }
  | { action: 'dismiss'; reason?: string }
  | { action: 'merge'; intoId: number }
  | { action: 'edit'; body: string };

/** A question from a live event: the log keeps no text of a withdrawn (or, for attendees, dismissed) one, so '' stands for it. */
export const toLiveQuestion = (q: Wire<LiveQuestionEvent>): LiveQuestion => ({ ...q, body: q.body ?? '' });

/** The Q&A's own fields from a `qa.updated` event (without viewer and limits). */
export const toQaFields = (v: Wire<QaSettingsEvent>): Omit<QaInfo, 'viewer' | 'limits'> => ({ ...v, highlighted: v.highlighted && toLiveQuestion(v.highlighted) });

const session = (idOrSlug: string | number) => ({ params: { path: { idOrSlug: String(idOrSlug) } } });
const question = (id: number) => ({ params: { path: { id } } });

export const qa = {
  get: (idOrSlug: string | number) => answer(api.GET('/api/sessions/{idOrSlug}/qa', session(idOrSlug))),
  /** The list and the live stream's position read before it (follow from there). */
  questions: (idOrSlug: string | number, options: { sort?: QaSort; state?: LiveQuestionState } = {}) =>
    answer(api.GET('/api/sessions/{idOrSlug}/qa/questions', { params: { path: { idOrSlug: String(idOrSlug) }, query: options } })),
  /** `clientId` (one per draft) makes a retry return the question stored the first time. */
  ask: (idOrSlug: string | number, body: string, anonymous: boolean, clientId?: string) =>
    answer(api.POST('/api/sessions/{idOrSlug}/qa/questions', { ...session(idOrSlug), body: { body, anonymous, ...(clientId ? { clientId } : {}) } })),
  edit: (id: number, body: string) => answer(api.PATCH('/api/qa/questions/{id}', { ...question(id), body: { body } })),
  withdraw: (id: number) => answer(api.DELETE('/api/qa/questions/{id}', question(id))),
  vote: (id: number, on: boolean) => answer(on ? api.PUT('/api/qa/questions/{id}/vote', question(id)) : api.DELETE('/api/qa/questions/{id}/vote', question(id))),
  moderate: (id: number, input: ModerateInput) => answer(api.POST('/api/qa/questions/{id}/moderate', { ...question(id), body: input })),
  configure: (idOrSlug: string | number, settings: QaSettings) => answer(api.PATCH('/api/sessions/{idOrSlug}/qa', { ...session(idOrSlug), body: settings })),
  handOver: (idOrSlug: string | number) => answer(api.POST('/api/sessions/{idOrSlug}/qa/hand-over', { ...session(idOrSlug), body: {} })),
  /** What a hand-over would do now, with the pending questions approved, dismissed or kept (moderators). */
  handOverPreview: (idOrSlug: string | number, pending: PendingChoice) =>
    answer(api.GET('/api/sessions/{idOrSlug}/qa/hand-over', { params: { path: { idOrSlug: String(idOrSlug) }, query: { pending } } })),
  /** The presenter screen's join code (made on first call; moderators). */
  joinCode: (idOrSlug: string | number) => answer(api.POST('/api/sessions/{idOrSlug}/qa/join-code', session(idOrSlug))),
  /** The session a join code opens. */
  findJoinCode: (code: string) => answer(api.GET('/api/qa/join/{code}', { params: { path: { code } } })),
  /** Joins this session's Q&A as a guest with a name (sets the sign-in cookie for this Q&A only). */
  async joinAsGuest(idOrSlug: string | number, displayName: string): Promise<void> {
    await answer(api.POST('/api/sessions/{idOrSlug}/qa/guests', { ...session(idOrSlug), body: { displayName } }));
  },
  exportUrl: (idOrSlug: string | number, format: 'csv' | 'md') => `/api/sessions/${encodeURIComponent(String(idOrSlug))}/qa/export?format=${format}`,
};
