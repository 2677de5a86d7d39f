import type { QaEventView } from '../protocol.js';
import { toLiveQuestion, toQaFields, type LiveQuestion, type QaInfo, type QaSort, type VoteCounts } from './qa-api.js';

/** What a live event changed, for the page to announce. */
export type QaChange =
  | { kind: 'asked'; question: LiveQuestion; mine: boolean }
  | { kind: 'highlighted'; question: LiveQuestion | null }
  | { kind: 'answered'; question: LiveQuestion }
  | { kind: 'settings' }
  | { kind: 'handedOver' }
  | { kind: 'none' };

const time = (iso: string | null | undefined): number => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
};

/**
 * One session's live Q&A as this viewer sees it: the questions by id, kept
 * current by live events, with vote counts reconciled by the server's read
 * time (`asOf`: the newest count of a question wins, whatever the order it
 * arrives in) and the viewer's own questions and votes remembered.
 */
export class QaModel {
  readonly questions = new Map<number, LiveQuestion>();
  /** The read time (ms) of each question's known vote count. */
  private readonly countAsOf = new Map<number, number>();
  /** The viewer's questions (from the list, and from what they asked here). */
  readonly mine = new Set<number>();
  readonly voted = new Set<number>();

  constructor(
    public info: QaInfo,
    items: LiveQuestion[] = [],
    countsAsOf = '',
  ) {
    for (const q of items) this.fromList(q, countsAsOf);
  }

  get moderator(): boolean {
    return this.info.viewer.canModerate;
  }

  /** A question from an HTTP answer (it carries the viewer's flags). */
  fromList(q: LiveQuestion, asOf: string | null): void {
    if (q.viewerAsked) this.mine.add(q.id);
    if (q.viewerVoted === true) this.voted.add(q.id);
    else if (q.viewerVoted === false) this.voted.delete(q.id);
    this.upsert(q, asOf);
  }

  /** Applies a question; answers false if this viewer should no longer see it. */
  upsert(q: LiveQuestion, asOf: string | null): boolean {
    const known = this.questions.get(q.id);
    if (!this.visible(q)) {
      this.questions.delete(q.id);
      return false;
    }
    const next: LiveQuestion = { ...q };
    // A withdrawn or dismissed question's events carry no text (the server's log drops it): keep the text known.
    if (!next.body && known?.body) next.body = known.body;
    // Events leave an anonymous asker out; moderators and the asker keep the name they were told.
    if (!next.asker && known?.asker) next.asker = known.asker;
    // A count older than the one shown is stale.
    if (known && time(asOf) < (this.countAsOf.get(q.id) ?? 0)) next.voteCount = known.voteCount;
    else this.countAsOf.set(q.id, time(asOf));
    this.questions.set(q.id, next);
    return true;
  }

  /** Who sees what: attendees see approved, answered and carried-over questions and their own; moderators all; nobody merged or withdrawn ones. */
  visible(q: LiveQuestion): boolean {
    if (q.state === 'merged' || q.state === 'withdrawn') return false;
    if (this.mine.has(q.id)) return true;
    if (this.moderator) return true;
    // Questions carried over to the forum stay listed, with the way there.
    return q.state === 'approved' || q.state === 'answered' || (q.state === 'archived' && q.carriedOver !== null);
  }

  /** Absolute counts; each applies only if newer than the one known. */
  applyCounts(counts: VoteCounts): number[] {
    const at = time(counts.asOf);
    const changed: number[] = [];
    for (const { questionId, voteCount } of counts.counts) {
      const q = this.questions.get(questionId);
      if (!q || at < (this.countAsOf.get(questionId) ?? 0)) continue;
      this.countAsOf.set(questionId, at);
      if (q.voteCount !== voteCount) {
        this.questions.set(questionId, { ...q, voteCount });
        changed.push(questionId);
      }
    }
    return changed;
  }

  /** Shows the viewer's vote at once, before the server answers. */
  voteOptimistically(id: number, on: boolean): void {
    const q = this.questions.get(id);
    if (!q || this.voted.has(id) === on) return;
    if (on) this.voted.add(id);
    else this.voted.delete(id);
    this.questions.set(id, { ...q, voteCount: Math.max(0, q.voteCount + (on ? 1 : -1)) });
  }

  /** The server's answer to a vote: its state, and its count if not older than what is shown. */
  voteSettled(result: { questionId: number; voteCount: number; viewerVoted: boolean; asOf: string }): void {
    if (result.viewerVoted) this.voted.add(result.questionId);
    else this.voted.delete(result.questionId);
    this.applyCounts({ asOf: result.asOf, counts: [{ questionId: result.questionId, voteCount: result.voteCount }] });
  }

  /** Undoes an optimistic vote the server refused. */
  voteFailed(id: number, before: { voted: boolean; voteCount: number }): void {
    const q = this.questions.get(id);
    if (before.voted) this.voted.add(id);
    else this.voted.delete(id);
    if (q) this.questions.set(id, { ...q, voteCount: before.voteCount });
  }

  /**
   * Applies one live event (its `at`, the write time, dates the counts it
   * carries). Every type of the protocol has its case: a new one fails the
   * type check until it has one here.
   */
  apply(e: QaEventView): QaChange {
    const { at } = e;
    switch (e.type) {
      case 'qa.updated':
        this.info = { ...this.info, ...toQaFields(e.payload.qa) };
        return { kind: 'settings' };
      case 'question.asked': {
        const question = toLiveQuestion(e.payload.question);
        if (this.questions.has(question.id)) {
          this.upsert(question, at);
          return { kind: 'none' };
        }
        const shown = this.upsert(question, at);
        return shown ? { kind: 'asked', question, mine: this.mine.has(question.id) } : { kind: 'none' };
      }
      case 'question.updated': {
        const question = toLiveQuestion(e.payload.question);
        const was = this.questions.get(question.id);
        this.upsert(question, at);
        if (question.state === 'answered' && was && was.state !== 'answered') return { kind: 'answered', question };
        return { kind: 'none' };
      }
      case 'question.asker': {
        const { questionId: id, asker } = e.payload;
        const q = this.questions.get(id);
        if (q) this.questions.set(id, { ...q, asker: { id: asker.id, displayName: asker.displayName, guest: asker.guest } });
        return { kind: 'none' };
      }
      case 'question.highlighted': {
        const { question } = e.payload;
        return { kind: 'highlighted', question: this.highlight(question ? toLiveQuestion(question) : null, at) };
      }
      case 'question.merged': {
        const question = toLiveQuestion(e.payload.question);
        const into = toLiveQuestion(e.payload.into);
        // Asking the merged question makes the combined one the viewer's too.
        if (this.mine.has(question.id)) this.mine.add(into.id);
        if (this.voted.has(question.id)) this.voted.add(into.id);
        this.questions.delete(question.id);
        this.upsert(into, at);
        return { kind: 'none' };
      }
      case 'question.carried_over':
        this.carryOver(e.payload.questionId, e.payload.forumId, e.payload.forumQuestionId);
        return { kind: 'none' };
      case 'qa.handed_over': {
        // No forum: nothing was carried and the session has none (none is created for nothing).
        const { forum, created } = e.payload;
        const handOverForum = forum ? { id: forum.id, slug: forum.slug, title: forum.title } : this.info.handOverForum;
        this.info = { ...this.info, handOverForum, handedOverAt: at };
        // The carried questions are archived without an event of their own: this list says which.
        if (forum) for (const c of created) this.carryOver(c.liveQuestionId, forum.id, c.forumQuestionId);
        return { kind: 'handedOver' };
      }
      // Polls have their own model (PollsModel.apply).
      case 'poll.created':
      case 'poll.updated':
        return { kind: 'none' };
      default: {
        // A type added to src/protocol/qa-event-types.ts without a case here fails the type check.
        const unhandled: never = e;
        return unhandled;
      }
    }
  }

  /** A question handed over to the forum: archived here, continued there. */
  private carryOver(id: number, forumId: number, forumQuestionId: number): void {
    const q = this.questions.get(id);
    if (q) this.questions.set(id, { ...q, state: 'archived', highlighted: false, carriedOver: { forumId, questionId: forumQuestionId } });
  }

  /** "Now answering": one question at a time (null: none). */
  highlight(question: LiveQuestion | null, asOf: string | null): LiveQuestion | null {
    for (const [id, q] of this.questions) if (q.highlighted && id !== question?.id) this.questions.set(id, { ...q, highlighted: false });
    if (question) this.upsert({ ...question, highlighted: true }, asOf);
    const shown = question ? (this.questions.get(question.id) ?? { ...question, highlighted: true }) : null;
    this.info = { ...this.info, highlightedQuestionId: shown?.id ?? null, highlighted: shown };
    return shown;
  }

  /** The subscription's answer carries a fresh snapshot of the counts. */
  applyAckCounts(ack: { counts: VoteCounts['counts']; countsAsOf: string }): void {
    this.applyCounts({ asOf: ack.countsAsOf, counts: ack.counts });
  }

  highlighted(): LiveQuestion | null {
    const id = this.info.highlightedQuestionId;
    return (id !== null ? this.questions.get(id) : undefined) ?? this.info.highlighted ?? null;
  }

  list(filter: (q: LiveQuestion) => boolean, sort: QaSort): LiveQuestion[] {
    return [...this.questions.values()].filter(filter).sort(sort === 'popular' ? byVotes : byNewest);
  }
}

export const byVotes = (a: LiveQuestion, b: LiveQuestion) => b.voteCount - a.voteCount || time(a.createdAt) - time(b.createdAt) || a.id - b.id;
export const byNewest = (a: LiveQuestion, b: LiveQuestion) => time(b.createdAt) - time(a.createdAt) || b.id - a.id;
export const byOldest = (a: LiveQuestion, b: LiveQuestion) => -byNewest(a, b);
