import type { EntityManager } from 'typeorm';
import type { ReplyState } from '../../discussions/reply.entity.js';
import type { ActRecord } from '../../moderation/moderation-acts.js';
import type { DemoPerson, DemoReply } from './demo-forums.js';
import { recordForumActs } from '../../audit/audit-record.js';

/**
 * The moderation the demo shows its moderator: a reply hidden with a reason,
 * one flagged by members (below the threshold, so it waits in the queue),
 * one awaiting approval, a synthesis, the forum's rule for newcomers. Written
 * with SQL inside the demo seed's transaction, in the tables and shapes the
 * real acts write (ReplyActsService, FlagsService, QuestionActsService,
 * ForumRulesService); the seed keeps the counts with reply-visibility.ts.
 */

/** The state a demo reply is stored in. */
export function demoReplyState(reply: DemoReply): ReplyState {
  if (reply.pending && reply.hiddenBecause) throw new Error(`A demo reply by ${reply.by} is both pending and hidden`);
  // Nobody could have voted on, flagged or answered a reply they never saw.
  if (reply.pending && (reply.votes?.length || reply.flags?.length || reply.replies?.length)) {
    throw new Error(`The pending demo reply by ${reply.by} has votes, flags or replies`);
  }
  if (reply.pending) return 'pending';
  return reply.hiddenBecause ? 'hidden' : 'visible';
}

/** A row of the moderation record, dated like the rest of the demo (the real acts write now()). */
export async function recordDemoAct(m: EntityManager, forumId: number, actorId: string | null, entry: ActRecord, at: Date): Promise<void> {
  await recordForumActs(m, forumId, actorId, [entry], at);
}

/** The moderator's hide of a reply posted visible, as ReplyActsService.hide records it. */
export function demoHideRecord(reply: { id: string; questionId: number; authorId: string }, reason: string): ActRecord {
  return {
    act: 'reply.hide', targetKind: 'reply', targetId: reply.id, questionId: reply.questionId, targetAuthorId: reply.authorId, reason,
    before: { state: 'visible', stateReason: null }, after: { state: 'hidden', stateReason: reason },
  };
}

/** Open flags on a reply, one per member, `hoursApart` after each other from `from`. */
export async function insertDemoFlags(
  m: EntityManager,
  reply: { id: string; forumId: number },
  flags: DemoReply['flags'] & object,
  people: Record<DemoPerson, string>,
  from: number,
): Promise<void> {
  for (const [i, flag] of flags.entries()) {
    await m.query(
      `INSERT INTO reply_flag (reply_id, forum_id, account_id, reason, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [reply.id, reply.forumId, people[flag.by], flag.reason, flag.note ?? null, new Date(from + (i + 1) * 3 * 3600_000)],
    );
  }
}
