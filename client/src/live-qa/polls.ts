import { answer, api, type Schemas } from '../api/client.js';
import type { PollResultsView, PollView, QaEventView, Wire } from '../protocol.js';

/** A session's live polls on the client: the API calls, and the model that keeps their results current. */

export type PollKind = Schemas['PollReadView']['kind'];
export const POLL_KINDS: PollKind[] = ['single', 'multiple', 'rating', 'word_cloud', 'open_text'];
export type PollAction = Schemas['PollActDto']['action'];

/** A poll's results at `asOf` (the server's shape, src/protocol). */
export type PollResults = PollResultsView;
export type PollAnswer = Schemas['PollAnswerView'];
/** A poll without its results and the viewer's answer (the model keeps those apart, as events bring them apart). */
export type Poll = Wire<PollView>;
export type NewPoll = Schemas['CreatePollDto'];
type PollRead = { poll: Poll; results: PollResults | null; answer: PollAnswer | null };

/** A poll as HTTP reads it, split the way the model keeps it. */
function toPollRead({ results, viewerAnswer, ...poll }: Schemas['PollReadView'], withAnswer = true): PollRead {
  return { poll, results, answer: withAnswer ? viewerAnswer : null };
}

const session = (idOrSlug: string | number) => ({ params: { path: { idOrSlug: String(idOrSlug) } } });
const poll = (id: number) => ({ params: { path: { id } } });

export const polls = {
  async list(idOrSlug: string | number): Promise<PollRead[]> {
    return (await answer(api.GET('/api/sessions/{idOrSlug}/qa/polls', session(idOrSlug)))).items.map((p) => toPollRead(p));
  },
  async create(idOrSlug: string | number, input: NewPoll): Promise<Poll> {
    return toPollRead(await answer(api.POST('/api/sessions/{idOrSlug}/qa/polls', { ...session(idOrSlug), body: input }))).poll;
  },
  /** The poll after the act, with its results when they may be seen (the viewer's answer is kept from before). */
  async act(pollId: number, action: PollAction, extra: { word?: string; answerId?: number } = {}): Promise<PollRead> {
    return toPollRead(await answer(api.POST('/api/qa/polls/{id}/act', { ...poll(pollId), body: { action, ...extra } })), false);
  },
  async answer(pollId: number, body: Schemas['AnswerPollDto']): Promise<PollAnswer> {
    return (await answer(api.PUT('/api/qa/polls/{id}/answer', { ...poll(pollId), body }))).answer;
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

  load(items: PollRead[]): void {
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
    this.upsert(e.payload.poll);
    return true;
  }

  list(): Poll[] {
    return [...this.polls.values()].sort((a, b) => a.id - b.id);
  }

  onScreen(): Poll | null {
    return this.list().find((p) => p.onScreen) ?? null;
  }
}
