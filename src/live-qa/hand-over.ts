import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { MarkdownService } from '../discussions/markdown.service.js';
import { insertQuestion } from '../discussions/question-store.js';
import type { ForumEvent } from '../events/forum-event.js';
import type { ForumEventsService } from '../events/forum-events.service.js';
import { createForum } from '../forums/forum-store.js';
import { slugify } from '../sessions/session-lookup.js';
import type { Session } from '../sessions/session.entity.js';
import { liveQuestionSelect, toLiveQuestionView, type HandOverPreview, type HandOverResult, type LiveQuestionRow } from './live-qa.views.js';
import { pollEntries, readResults, resultsPublic, type PollResultsView, type PollRow } from './polls/poll-results.js';
import { toPollView } from './polls/polls.service.js';
import { READERS } from '../events/forum-event.js';
import type { LiveQaRow } from './qa-access.js';
import type { PendingChoice } from './qa-policy.js';
import type { RecordQaEvent } from './qa-stream.js';
import { VOTE_SUM } from './qa-votes.js';
import { recordQaAct } from '../audit/audit-record.js';
import { markHandedOver } from './live-qa-store.js';
import { setQuestionState, settlePendingQuestions } from './live-question-store.js';
import { closeOpenPolls, markPollHandedOver } from './polls/poll-store.js';

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

const HAND_OVER_FORUM_TITLE = 'Questions from the live Q&A';

interface Carried {
  id: number;
  asker_id: string;
  anonymous: boolean;
  body: string;
  votes: string | number;
}

const POLL_SUMMARY_TITLE = 'Poll results from the live Q&A';

/** Markdown-escaped text (session titles, poll prompts and entries inside the forum question). */
const escapeMd = (text: string) => text.replace(/\s+/g, ' ').replace(/([\\[\]*_`<>#|])/g, '\\$1');

/** One poll's results as markdown: its prompt, then a line per option, rating value, word or approved text. */
function pollResultsMarkdown(prompt: string, results: PollResultsView): string {
  const answers = `${results.total} answer${results.total === 1 ? '' : 's'}`;
  const lines = pollEntries(results).map((e) => `- ${escapeMd(e.entry)}: ${e.count}`);
  return [`**Poll: ${escapeMd(prompt)}** (${answers})`, '', ...(lines.length ? lines : ['- (no answers)'])].join('\n');
}

/**
 * What a hand-over would do now, read inside the caller's transaction:
 * the approved questions it would carry (with the pending ones when they
 * are to be approved), the pending ones it would not, and the launched
 * polls whose results travel: onto the forum question made from the live
 * question a poll belongs to, or else into one summary question. Polls with
 * hidden results stay behind (the moderators never showed them). The
 * preview (GET …/qa/hand-over) and the hand-over both read this.
 */
export async function planHandOver(m: EntityManager, session: Session, qa: LiveQaRow, pending: PendingChoice): Promise<HandOverPlan> {
  const states = pending === 'approve' ? `('approved', 'pending')` : `('approved')`;
  const questions: Carried[] = await m.query(
    `SELECT q.id, q.asker_id, q.anonymous, q.body, ${VOTE_SUM('q')} AS votes
       FROM live_question q
      WHERE q.session_id = $1 AND q.state IN ${states} AND NOT EXISTS (SELECT 1 FROM question fq WHERE fq.live_question_id = q.id)
      ORDER BY votes DESC, q.id`,
    [session.id],
  );
  const left: { id: number; body: string }[] =
    pending === 'approve' ? [] : await m.query(`SELECT id, body FROM live_question WHERE session_id = $1 AND state = 'pending' ORDER BY id`, [session.id]);
  const pollRows: PollRow[] = await m.query(`SELECT * FROM live_poll WHERE session_id = $1 AND state <> 'draft' AND handed_over_question_id IS NULL ORDER BY id`, [session.id]);
  const carriedIds = new Set(questions.map((q) => q.id));
  const polls: HandOverPlan['polls'] = [];
  const hiddenPolls: HandOverPlan['hiddenPolls'] = [];
  for (const poll of pollRows) {
    if (!resultsPublic(poll)) {
      hiddenPolls.push({ pollId: poll.id, prompt: poll.prompt });
      continue;
    }
    const results = await readResults(m, poll, false);
    polls.push({ poll, results, onto: poll.live_question_id !== null && carriedIds.has(poll.live_question_id) ? poll.live_question_id : null });
  }
  const forum = await existingForum(m, session, qa);
  return { forum, questions, pending: left, pendingChoice: pending, polls, hiddenPolls };
}

export interface HandOverPlan {
  forum: HandOverResult['forum'];
  questions: Carried[];
  pending: { id: number; body: string }[];
  pendingChoice: PendingChoice;
  polls: { poll: PollRow; results: PollResultsView; onto: number | null }[];
  hiddenPolls: { pollId: number; prompt: string }[];
}

/** The plan as the moderator reads it before confirming (GET …/qa/hand-over). */
export function handOverPreview(plan: HandOverPlan): HandOverPreview {
  const summary = plan.polls.some((p) => p.onto === null);
  const carries = plan.questions.length > 0 || plan.polls.length > 0;
  return {
    forum: plan.forum,
    forumWillBeCreated: !plan.forum && carries,
    questions: plan.questions.map((q) => ({ liveQuestionId: q.id, body: q.body, votes: Number(q.votes) })),
    pending: plan.pending.map((q) => ({ liveQuestionId: q.id, body: q.body })),
    pendingChoice: plan.pendingChoice,
    polls: plan.polls.map((p) => ({ pollId: p.poll.id, prompt: p.poll.prompt, kind: p.poll.kind, total: p.results.total, ontoLiveQuestionId: p.onto })),
    pollSummaryQuestion: summary,
    pollsNotCarried: plan.hiddenPolls,
  };
}

/**
 * Hands a session's approved, unanswered live questions over to its forum,
 * inside the caller's transaction (which holds the session and Q&A rows
 * FOR UPDATE, so two hand-overs run one after the other; the unique
 * question.live_question_id makes a second copy of a question impossible
 * even so). Each becomes a forum question with its text, its votes as
 * `live_score`, its asker as author (none if anonymous) and a link back;
 * the live question is archived and shows where it went. Pending questions
 * are approved (and carried), dismissed, or kept pending as `pending` says.
 * Launched polls close, and their results travel (see planHandOver). The
 * forum: the one of an earlier hand-over, else the session's oldest open
 * forum, else a new public forum moderated by the session's moderators —
 * but only when there is something to carry: with nothing, no empty forum
 * is created (`forum` is null unless one already exists) and a later
 * hand-over that carries questions creates it then.
 */
export async function handOver(
  m: EntityManager,
  deps: { markdown: MarkdownService; forumEvents: ForumEventsService },
  actor: Actor,
  session: Session,
  qa: LiveQaRow,
  record: RecordQaEvent,
  afterCommit: (task: () => void) => void,
  pending: PendingChoice = 'keep',
): Promise<HandOverResult> {
  // Locked first, read after: a locking statement's columns come from its snapshot taken before it waited,
  // so votes (and poll answers) that committed while it waited for them would be missing.
  await m.query(`SELECT id FROM live_question WHERE session_id = $1 AND state IN ('approved', 'pending') ORDER BY id FOR UPDATE`, [session.id]);
  await m.query(`SELECT id FROM live_poll WHERE session_id = $1 AND state = 'open' ORDER BY id FOR UPDATE`, [session.id]);
  const settled = pending === 'keep' ? { approved: 0, dismissed: 0 } : await settlePending(m, actor, session.id, pending, record);
  const closedPolls = await closeOpenPolls(m, session.id);
  for (const poll of closedPolls) record(session.id, 'poll.updated', { poll: toPollView(poll, qa.on_screen_poll_id) }, {});
  const plan = await planHandOver(m, session, qa, 'keep');
  const { questions } = plan;
  const { forum, created: forumCreated } = await chooseForum(m, session, plan.forum, questions.length > 0 || plan.polls.length > 0);
  const created: HandOverResult['created'] = [];
  const pollsMoved: { pollId: number; forumQuestionId: number }[] = [];
  const forumEvents: ForumEvent[] = [];
  if (forum && (questions.length || plan.polls.length)) {
    // The same lock as QuestionsService takes to place questions.
    await m.query(`SELECT id FROM forum WHERE id = $1 FOR NO KEY UPDATE`, [forum.id]);
    const [{ last }]: { last: number }[] = await m.query(`SELECT COALESCE(max(position), -1) AS last FROM question WHERE forum_id = $1`, [forum.id]);
    let position = last;
    const place = async (draft: ForumQuestionDraft) => {
      const made = await createForumQuestion(m, deps, forum, ++position, draft);
      forumEvents.push(made.event);
      return made.id;
    };
    for (const q of questions) {
      const votes = Number(q.votes);
      const polls = plan.polls.filter((p) => p.onto === q.id);
      const bodySource = [forumBodyOf({ id: q.id, body: q.body, anonymous: q.anonymous, votes }, session), ...polls.map((p) => pollResultsMarkdown(p.poll.prompt, p.results))].join('\n\n');
      const forumQuestionId = await place({ title: forumTitleOf(q.body), bodySource, authorId: q.anonymous ? null : q.asker_id, liveQuestionId: q.id, liveScore: votes, sessionId: session.id });
      await setQuestionState(m, q.id, 'archived');
      created.push({ liveQuestionId: q.id, forumQuestionId });
      for (const p of polls) pollsMoved.push({ pollId: p.poll.id, forumQuestionId });
      // The askers (its own, and those of questions merged into it) hear where it went; later they see it on the question (carriedOver).
      const merged: { asker_id: string }[] = await m.query(`SELECT DISTINCT asker_id FROM live_question WHERE merged_into_id = $1 AND asker_id <> $2`, [q.id, q.asker_id]);
      for (const accountId of [q.asker_id, ...merged.map((r) => r.asker_id)]) {
        record(session.id, 'question.carried_over', { questionId: q.id, forumId: forum.id, forumQuestionId }, {
          questionId: q.id,
          audience: { kind: 'moderators_and_account', accountId },
        });
      }
    }
    const loose = plan.polls.filter((p) => p.onto === null);
    if (loose.length) {
      const title = escapeMd(session.title);
      const bodySource = [...loose.map((p) => pollResultsMarkdown(p.poll.prompt, p.results)), `---\n\n*Polls of the live Q&A of [${title}](/sessions/${session.slug}/qa)*`].join('\n\n');
      const forumQuestionId = await place({ title: POLL_SUMMARY_TITLE, bodySource, authorId: actor.accountId, liveQuestionId: null, liveScore: null, sessionId: session.id });
      for (const p of loose) pollsMoved.push({ pollId: p.poll.id, forumQuestionId });
    }
    for (const moved of pollsMoved) await markPollHandedOver(m, moved.pollId, moved.forumQuestionId);
  }
  const cleared = qa.highlighted_question_id !== null && questions.some((q) => q.id === qa.highlighted_question_id);
  await markHandedOver(m, session.id, forum?.id ?? null, cleared);
  if (cleared) record(session.id, 'question.highlighted', { questionId: null, question: null, previousId: qa.highlighted_question_id }, {});
  const [{ kept }]: { kept: number }[] = await m.query(`SELECT count(*)::int AS kept FROM live_question WHERE session_id = $1 AND state = 'pending'`, [session.id]);
  // Extra fields only when there is something to say, so a plain hand-over keeps its earlier shape.
  const extra = {
    ...(pollsMoved.length ? { polls: pollsMoved } : {}),
    ...(pending !== 'keep' || kept ? { pending: { ...settled, kept } } : {}),
  };
  const result: HandOverResult = { forum, created, forumCreated, ...extra };
  await recordQaAct(m, { sessionId: session.id, actorId: actor.accountId, action: 'hand_over', after: result });
  record(session.id, 'qa.handed_over', { forum, created, ...extra }, {});
  afterCommit(() => deps.forumEvents.publish(forumEvents));
  return result;
}

/** Approves or dismisses every pending question of the session, each recorded as a moderator act and told like one. */
async function settlePending(m: EntityManager, actor: Actor, sessionId: number, choice: 'approve' | 'dismiss', record: RecordQaEvent): Promise<{ approved: number; dismissed: number }> {
  const state = choice === 'approve' ? 'approved' : 'dismissed';
  const ids = await settlePendingQuestions(m, sessionId, state);
  for (const id of ids) {
    await recordQaAct(m, { sessionId, questionId: id, actorId: actor.accountId, action: choice, before: { state: 'pending' }, after: { state }, reason: 'ending the session' });
    const [row]: LiveQuestionRow[] = await m.query(`${liveQuestionSelect()} WHERE q.id = $1`, [id]);
    // Approved: everyone sees it now; dismissed: it stays between the moderators and its asker.
    record(sessionId, 'question.updated', { question: toLiveQuestionView(row, null) }, {
      questionId: id,
      audience: choice === 'approve' ? READERS : { kind: 'moderators_and_account', accountId: row.asker_id },
    });
  }
  return { approved: choice === 'approve' ? ids.length : 0, dismissed: choice === 'dismiss' ? ids.length : 0 };
}

interface ForumQuestionDraft {
  title: string;
  bodySource: string;
  authorId: string | null;
  liveQuestionId: number | null;
  liveScore: number | null;
  sessionId: number;
}

/** A forum question made by the hand-over, with the forum event that announces it (published after commit). */
async function createForumQuestion(
  m: EntityManager,
  deps: { markdown: MarkdownService; forumEvents: ForumEventsService },
  forum: NonNullable<HandOverResult['forum']>,
  position: number,
  draft: ForumQuestionDraft,
): Promise<{ id: number; event: ForumEvent }> {
  const bodyHtml = deps.markdown.render(draft.bodySource);
  const row = await insertQuestion(m, {
    forumId: forum.id, position, title: draft.title, bodySource: draft.bodySource, bodyHtml, authorId: draft.authorId,
    liveQuestionId: draft.liveQuestionId, liveScore: draft.liveScore,
  });
  const [author]: { display_name: string }[] = draft.authorId ? await m.query(`SELECT display_name FROM account WHERE id = $1`, [draft.authorId]) : [];
  const event = await deps.forumEvents.record(
    m,
    forum.id,
    'question.created',
    {
      question: {
        id: row.id, forumId: forum.id, position, title: draft.title, bodyHtml,
        author: author && draft.authorId ? { id: draft.authorId, displayName: author.display_name } : null,
        pinned: false, locked: false, closed: false, replyCount: 0, createdAt: row.created_at, updatedAt: row.updated_at,
        // The rest of a QuestionView, as a new question has it (discussions' toQuestionView).
        mergedIntoId: null, slowModeSeconds: null, synthesis: null, featuredReplyIds: [],
        liveScore: draft.liveScore, liveQuestion: draft.liveQuestionId !== null ? { id: draft.liveQuestionId, sessionId: draft.sessionId } : null,
      },
    },
    { questionId: row.id },
  );
  return { id: row.id, event };
}

/** The forum a hand-over goes to, if the session has one: that of an earlier hand-over (unless archived), else its oldest open forum. */
async function existingForum(m: EntityManager, session: Session, qa: LiveQaRow): Promise<HandOverResult['forum']> {
  const [existing]: HandOverResult['forum'][] = await m.query(
    `SELECT id, slug, title FROM forum
      WHERE session_id = $1 AND ((id = $2::int AND state <> 'archived') OR state = 'open')
      ORDER BY (id IS NOT DISTINCT FROM $2::int) DESC, id LIMIT 1`,
    [session.id, qa.hand_over_forum_id],
  );
  return existing ?? null;
}

async function chooseForum(
  m: EntityManager,
  session: Session,
  existing: HandOverResult['forum'],
  mayCreate: boolean,
): Promise<{ forum: HandOverResult['forum']; created: boolean }> {
  if (existing) return { forum: existing, created: false };
  if (!mayCreate) return { forum: null, created: false };
  const taken = new Set(((await m.query(`SELECT slug FROM forum WHERE session_id = $1`, [session.id])) as { slug: string }[]).map((r) => r.slug));
  let slug = slugify('live-qa');
  for (let n = 2; taken.has(slug); n++) slug = `live-qa-${n}`;
  // The forums' owner makes the session's moderators its moderators, as for any new forum of the session.
  const forum = await createForum(m, {
    sessionId: session.id, slug, title: HAND_OVER_FORUM_TITLE, description: `The questions attendees asked during "${session.title}" that were not answered live.`,
    visibility: 'public', state: 'open',
  });
  return { forum, created: true };
}
