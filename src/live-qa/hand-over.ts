import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { MarkdownService } from '../discussions/markdown.service.js';
import type { ForumEvent } from '../realtime/forum-event.js';
import type { ForumEventsService } from '../realtime/forum-events.service.js';
import { slugify } from '../sessions/session-lookup.js';
import type { Session } from '../sessions/session.entity.js';
import type { HandOverResult } from './live-qa.views.js';
import type { LiveQaRow } from './qa-access.js';
import type { RecordQaEvent } from './qa-stream.js';
import { VOTE_SUM } from './qa-votes.js';

/** Title of a forum question: the live question's text, cut at 300 characters (the question title limit). */
export function forumTitleOf(body: string): string {
  const chars = [...body.replace(/\s+/g, ' ').trim()];
  return chars.length <= 300 ? chars.join('') : `${chars.slice(0, 299).join('')}…`;
}

/** The forum question's markdown: the text as asked, then a line linking back to the live Q&A. */
export function forumBodyOf(question: { id: number; body: string; anonymous: boolean; votes: number }, session: Pick<Session, 'slug' | 'title'>): string {
  const votes = `${question.votes} vote${question.votes === 1 ? '' : 's'}`;
  const how = question.anonymous ? 'anonymously, ' : '';
  // Escaped so the session title can't break out of the link text.
  const title = session.title.replace(/([\\[\]*_`<>])/g, '\\$1');
  return `${question.body}\n\n---\n\n*Asked ${how}during the live Q&A of [${title}](/sessions/${session.slug}/qa#question-${question.id}) · ${votes}*`;
}

export const HAND_OVER_FORUM_TITLE = 'Questions from the live Q&A';

interface Carried {
  id: number;
  asker_id: string;
  anonymous: boolean;
  body: string;
  votes: string | number;
}

/**
 * Hands a session's approved, unanswered live questions over to its forum,
 * inside the caller's transaction (which holds the session and Q&A rows
 * FOR UPDATE, so two hand-overs run one after the other; the unique
 * question.live_question_id makes a second copy of a question impossible
 * even so). Each becomes a forum question with its text, its votes as
 * `live_score`, its asker as author (none if anonymous) and a link back;
 * the live question is archived and shows where it went. The forum: the
 * one of an earlier hand-over, else the session's oldest open forum, else
 * a new public forum moderated by the session's moderators — but only when
 * there is something to carry: with nothing, no empty forum is created
 * (`forum` is null unless one already exists) and a later hand-over that
 * carries questions creates it then.
 */
export async function handOver(
  m: EntityManager,
  deps: { markdown: MarkdownService; forumEvents: ForumEventsService },
  actor: Actor,
  session: Session,
  qa: LiveQaRow,
  record: RecordQaEvent,
  afterCommit: (task: () => void) => void,
): Promise<HandOverResult> {
  // Locked first, read after: a locking statement's columns come from its snapshot taken before it waited,
  // so votes that committed while it waited for their voters would be missing from the score.
  await m.query(`SELECT id FROM live_question WHERE session_id = $1 AND state = 'approved' ORDER BY id FOR UPDATE`, [session.id]);
  const questions: Carried[] = await m.query(
    `SELECT q.id, q.asker_id, q.anonymous, q.body, ${VOTE_SUM('q')} AS votes
       FROM live_question q
      WHERE q.session_id = $1 AND q.state = 'approved' AND NOT EXISTS (SELECT 1 FROM question fq WHERE fq.live_question_id = q.id)
      ORDER BY votes DESC, q.id`,
    [session.id],
  );
  const { forum, created: forumCreated } = await chooseForum(m, session, qa, questions.length > 0);
  const created: HandOverResult['created'] = [];
  const forumEvents: ForumEvent[] = [];
  if (forum && questions.length) {
    // The same lock as QuestionsService takes to place questions.
    await m.query(`SELECT id FROM forum WHERE id = $1 FOR NO KEY UPDATE`, [forum.id]);
    const [{ last }]: { last: number }[] = await m.query(`SELECT COALESCE(max(position), -1) AS last FROM question WHERE forum_id = $1`, [forum.id]);
    let position = last;
    for (const q of questions) {
      const votes = Number(q.votes);
      const bodySource = forumBodyOf({ id: q.id, body: q.body, anonymous: q.anonymous, votes }, session);
      const bodyHtml = deps.markdown.render(bodySource);
      const [row]: { id: number; created_at: Date; updated_at: Date }[] = await m.query(
        `INSERT INTO question (forum_id, position, title, body_source, body_html, author_id, live_question_id, live_score)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at, updated_at`,
        [forum.id, ++position, forumTitleOf(q.body), bodySource, bodyHtml, q.anonymous ? null : q.asker_id, q.id, votes],
      );
      await m.query(`UPDATE live_question SET state = 'archived', updated_at = now() WHERE id = $1`, [q.id]);
      created.push({ liveQuestionId: q.id, forumQuestionId: row.id });
      const [author]: { display_name: string }[] = q.anonymous ? [] : await m.query(`SELECT display_name FROM account WHERE id = $1`, [q.asker_id]);
      forumEvents.push(
        await deps.forumEvents.record(
          m,
          forum.id,
          'question.created',
          {
            question: {
              id: row.id, forumId: forum.id, position, title: forumTitleOf(q.body), bodyHtml,
              author: author ? { id: q.asker_id, displayName: author.display_name } : null,
              pinned: false, locked: false, closed: false, replyCount: 0, createdAt: row.created_at, updatedAt: row.updated_at,
              // The rest of a QuestionView, as a new question has it (discussions' toQuestionView).
              mergedIntoId: null, slowModeSeconds: null, synthesis: null, featuredReplyIds: [],
              liveScore: votes, liveQuestion: { id: q.id, sessionId: session.id },
            },
          },
          { questionId: row.id },
        ),
      );
      // The askers (its own, and those of questions merged into it) hear where it went; later they see it on the question (carriedOver).
      const merged: { asker_id: string }[] = await m.query(`SELECT DISTINCT asker_id FROM live_question WHERE merged_into_id = $1 AND asker_id <> $2`, [q.id, q.asker_id]);
      for (const accountId of [q.asker_id, ...merged.map((r) => r.asker_id)]) {
        record(session.id, 'question.carried_over', { questionId: q.id, forumId: forum.id, forumQuestionId: row.id }, {
          questionId: q.id,
          audience: { kind: 'moderators_and_account', accountId },
        });
      }
    }
  }
  const cleared = qa.highlighted_question_id !== null && questions.some((q) => q.id === qa.highlighted_question_id);
  await m.query(
    `UPDATE live_qa SET handed_over_at = now(), hand_over_forum_id = COALESCE($2, hand_over_forum_id), updated_at = now(),
            highlighted_question_id = CASE WHEN $3 THEN NULL ELSE highlighted_question_id END
      WHERE session_id = $1`,
    [session.id, forum?.id ?? null, cleared],
  );
  if (cleared) record(session.id, 'question.highlighted', { questionId: null, question: null, previousId: qa.highlighted_question_id }, {});
  const result: HandOverResult = { forum, created, forumCreated };
  await m.query(`INSERT INTO live_qa_action (session_id, actor_id, action, after) VALUES ($1, $2, 'hand_over', $3)`, [session.id, actor.accountId, JSON.stringify(result)]);
  record(session.id, 'qa.handed_over', { forum, created }, {});
  afterCommit(() => deps.forumEvents.publish(forumEvents));
  return result;
}

async function chooseForum(
  m: EntityManager,
  session: Session,
  qa: LiveQaRow,
  mayCreate: boolean,
): Promise<{ forum: HandOverResult['forum']; created: boolean }> {
  const [existing]: HandOverResult['forum'][] = await m.query(
    `SELECT id, slug, title FROM forum
      WHERE session_id = $1 AND ((id = $2::int AND state <> 'archived') OR state = 'open')
      ORDER BY (id IS NOT DISTINCT FROM $2::int) DESC, id LIMIT 1`,
    [session.id, qa.hand_over_forum_id],
  );
  if (existing) return { forum: existing, created: false };
  if (!mayCreate) return { forum: null, created: false };
  const taken = new Set(((await m.query(`SELECT slug FROM forum WHERE session_id = $1`, [session.id])) as { slug: string }[]).map((r) => r.slug));
  let slug = slugify('live-qa');
  for (let n = 2; taken.has(slug); n++) slug = `live-qa-${n}`;
  const [forum]: NonNullable<HandOverResult['forum']>[] = await m.query(
    `INSERT INTO forum (session_id, slug, title, description, visibility, state)
     VALUES ($1, $2, $3, $4, 'public', 'open') RETURNING id, slug, title`,
    [session.id, slug, HAND_OVER_FORUM_TITLE, `The questions attendees asked during "${session.title}" that were not answered live.`],
  );
  await m.query(
    `INSERT INTO forum_membership (forum_id, account_id, role, state)
     SELECT $1, account_id, 'moderator', 'active' FROM session_moderator WHERE session_id = $2 ON CONFLICT DO NOTHING`,
    [forum.id, session.id],
  );
  return { forum, created: true };
}
