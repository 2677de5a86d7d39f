import { call } from '../api.js';
import type { PollResultsView, QaEventView } from '../protocol.js';

/** A session's live polls on the client: the API calls, and the model that keeps their results current. */

export type PollKind = 'single' | 'multiple' | 'rating' | 'word_cloud' | 'open_text';
export const POLL_KINDS: PollKind[] = ['single', 'multiple', 'rating', 'word_cloud', 'open_text'];
export type PollAction = 'launch' | 'close' | 'reveal' | 'hide' | 'show' | 'unshow' | 'remove_word' | 'approve_text' | 'reject_text';

/** A poll's results at `asOf` (the server's shape, src/protocol). */
export type PollResults = PollResultsView;

export interface PollAnswer {
  choices: number[] | null;
  rating: number | null;
  text: string | null;
  review: 'pending' | 'approved' | 'rejected' | null;
}

export interface Poll {
  id: number;
  sessionId: number;
  kind: PollKind;
  prompt: string;
  options: string[];
  state: 'draft' | 'open' | 'closed';
  resultsHidden: boolean;
  liveQuestionId: number | null;
  onScreen: boolean;
}

export interface NewPoll {
  kind: PollKind;
  prompt: string;
  options?: string[];
  resultsHidden?: boolean;
}

type Json = Record<string, unknown>;

const num = (v: unknown, fallback = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function toPoll(v: Json): Poll {
  return {
    id: num(v.id),
    sessionId: num(v.sessionId),
    kind: (POLL_KINDS.includes(v.kind as PollKind) ? v.kind : 'single') as PollKind,
    prompt: String(v.prompt ?? ''),
    options: Array.isArray(v.options) ? v.options.map(String) : [],
    state: v.state === 'open' || v.state === 'closed' ? v.state : 'draft',
    resultsHidden: v.resultsHidden === true,
    liveQuestionId: typeof v.liveQuestionId === 'number' ? v.liveQuestionId : null,
    onScreen: v.onScreen === true,
  };
}

const session = (idOrSlug: string | number) => `/sessions/${encodeURIComponent(String(idOrSlug))}/qa/polls`;

export const polls = {
  async list(idOrSlug: string | number): Promise<{ poll: Poll; results: PollResults | null; answer: PollAnswer | null }[]> {
    const data = await call<Json>('GET', session(idOrSlug));
    const items = Array.isArray(data.items) ? (data.items as Json[]) : [];
    return items.map((p) => ({ poll: toPoll(p), results: (p.results ?? null) as PollResults | null, answer: (p.viewerAnswer ?? null) as PollAnswer | null }));
  },
  async create(idOrSlug: string | number, input: NewPoll): Promise<Poll> {
    return toPoll(await call<Json>('POST', session(idOrSlug), input));
  },
  async act(pollId: number, action: PollAction, extra: { word?: string; answerId?: number } = {}): Promise<Json> {
    return call<Json>('POST', `/qa/polls/${pollId}/act`, { action, ...extra });
  },
  async answer(pollId: number, answer: { choices?: number[]; rating?: number; text?: string }): Promise<PollAnswer> {
    const data = await call<Json>('PUT', `/qa/polls/${pollId}/answer`, answer);
    return data.answer as PollAnswer;
  },
};

/**
 * The polls of one Q&A as this viewer sees them: polls by id (from the
 * list, then `poll.*` events), their results (the newest `asOf` wins, in
 * whatever order they arrive) and the viewer's own answers.
 */
export class PollsModel {
  readonly polls = new Map<number, Poll>();
  readonly results = new Map<number, PollResults>();
  readonly answers = new Map<number, PollAnswer>();

  load(items: { poll: Poll; results: PollResults | null; answer: PollAnswer | null }[]): void {
    for (const { poll, results, answer } of items) {
      this.upsert(poll);
      if (results) this.applyResults([results]);
      if (answer) this.answers.set(poll.id, answer);
    }
  }

  upsert(poll: Poll): void {
    if (poll.onScreen) for (const [id, p] of this.polls) if (id !== poll.id && p.onScreen) this.polls.set(id, { ...p, onScreen: false });
    this.polls.set(poll.id, poll);
    if (poll.resultsHidden) this.results.delete(poll.id);
  }

  /** Answers whether anything changed. */
  applyResults(list: PollResults[]): boolean {
    let changed = false;
    for (const r of list) {
      const known = this.results.get(r.pollId);
      if (known && known.asOf > r.asOf) continue;
      this.results.set(r.pollId, r);
      changed = true;
    }
    return changed;
  }

  /** poll.created / poll.updated; answers whether it was one. */
  apply(e: QaEventView): boolean {
    if (e.type !== 'poll.created' && e.type !== 'poll.updated') return false;
    this.upsert(toPoll(e.payload.poll));
    return true;
  }

  list(): Poll[] {
    return [...this.polls.values()].sort((a, b) => a.id - b.id);
  }

  onScreen(): Poll | null {
    return this.list().find((p) => p.onScreen) ?? null;
  }
}
