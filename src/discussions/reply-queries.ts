import type { QuestionState as QuestionPublication } from './question.entity.js';
import type { EntityManager } from 'typeorm';
import { avatarPath } from '../auth/account-view.js';
import { PARTICIPATION_SQL, type ParticipationRow } from '../forums/forum-access.service.js';
import { postingRulesColumns, postingRulesOf, type ForumRules } from '../moderation/posting-rules.js';
import type { ReplyView } from './dto/discussion.views.js';
import type { ReplyState } from './reply.entity.js';

/** A reply row as the SQL below returns it (bigint columns arrive as strings). */
export interface ReplyRow {
  id: string;
  question_id: number;
  forum_id: number;
  parent_id: string | null;
  path: string;
  depth: number;
  author_id: string;
  author_name: string;
  /** The author's organisation or city, and when their avatar was set (null: none), shown with every reply. */
  author_organisation?: string | null;
  author_avatar_at?: Date | null;
  body_source: string;
  body_html: string;
  state: ReplyState;
  vote_count: number;
  child_count: number;
  created_at: Date;
  edited_at: Date | null;
  state_reason: string | null;
  hidden_by_flags: boolean;
  featured_at: Date | null;
  edited_by_moderator: boolean;
  /** Deleted while pending or rejected: readers never saw it and don't now (see reply-visibility.ts). */
  withheld: boolean;
  /** Present only when the query was made for a signed-in viewer. */
  viewer_voted?: boolean;
}

/**
 * The columns of a reply view, on a reply alias `r` joined to its author `a`.
 * With `viewerParam` (e.g. '$4', bound to the caller's account id), also
 * whether the caller voted for it: one primary-key probe per row.
 */
export function replyColumns(viewerParam?: string): string {
  const voted = viewerParam
    ? `, EXISTS (SELECT 1 FROM reply_vote v WHERE v.reply_id = r.id AND v.account_id = ${viewerParam}) AS viewer_voted`
    : '';
  return `r.id, r.question_id, r.forum_id, r.parent_id, r.path, r.depth, r.author_id, a.display_name AS author_name, a.organisation AS author_organisation, a.avatar_updated_at AS author_avatar_at,
    r.body_source, r.body_html, r.state, r.vote_count, r.child_count, r.created_at, r.edited_at,
    r.state_reason, r.hidden_by_flags, r.featured_at, r.edited_by_moderator, r.withheld${voted}`;
}

/** Who wrote a reply; organisation and avatar only when the author has them (readers show initials otherwise). */
function replyAuthor(row: ReplyRow): ReplyView['author'] {
  const avatarUrl = avatarPath(row.author_id, row.author_avatar_at);
  return {
    id: row.author_id,
    displayName: row.author_name,
    ...(row.author_organisation ? { organisation: row.author_organisation } : {}),
    ...(avatarUrl ? { avatarUrl } : {}),
  };
}

/**
 * A deleted reply keeps its place and metadata, but its text is no longer
 * shown; a hidden one shows its text to moderators (`canModerate`) and to its
 * own author (`viewerId`), the reason to everyone. Without either this is
 * what every reader may see (the view live events carry).
 */
export function toReplyView(row: ReplyRow, options: { withSource?: boolean; canModerate?: boolean; viewerId?: string | null } = {}): ReplyView {
  const ownText = !!options.viewerId && row.author_id === options.viewerId;
  const deleted = row.state === 'deleted' || (row.state === 'hidden' && !options.canModerate && !ownText);
  return {
    id: String(row.id),
    questionId: row.question_id,
    forumId: row.forum_id,
    parentId: row.parent_id === null ? null : String(row.parent_id),
    depth: Number(row.depth),
    author: replyAuthor(row),
    bodyHtml: deleted ? null : row.body_html,
    ...(options.withSource ? { bodySource: deleted ? null : row.body_source } : {}),
    state: row.state,
    voteCount: row.vote_count,
    childCount: row.child_count,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    stateReason: row.state_reason ?? null,
    featured: row.featured_at !== null && row.featured_at !== undefined,
    editedByModerator: row.edited_by_moderator ?? false,
    ...(row.viewer_voted === undefined ? {} : { viewerVoted: row.viewer_voted }),
  };
}

/** A reply row as a write's RETURNING * gives it: without its author's columns. */
export type StoredReply = Omit<ReplyRow, 'author_name' | 'author_organisation' | 'author_avatar_at'>;

/** A reply row fresh from an UPDATE … RETURNING, with its author's columns from the row read before it. */
export const withAuthorOf = (updated: StoredReply, before: ReplyRow): ReplyRow => ({
  ...updated, author_name: before.author_name, author_organisation: before.author_organisation, author_avatar_at: before.author_avatar_at,
});

/** One reply with its author's name; `lock` takes a row lock for a write in the same transaction. */
export async function findReply(manager: EntityManager, id: string, options: { lock?: boolean; viewerId?: string } = {}): Promise<ReplyRow | null> {
  const params: unknown[] = [id];
  if (options.viewerId) params.push(options.viewerId);
  const rows: ReplyRow[] = await manager.query(
    `SELECT ${replyColumns(options.viewerId ? '$2' : undefined)}
       FROM reply r JOIN account a ON a.id = r.author_id
      WHERE r.id = $1${options.lock ? ' FOR UPDATE OF r' : ''}`,
    params,
  );
  return rows[0] ?? null;
}

/** The reply an author posted under a client-chosen id (idempotent retries), or null. */
export async function findReplyByClientId(manager: EntityManager, authorId: string, clientId: string): Promise<ReplyRow | null> {
  const rows: ReplyRow[] = await manager.query(
    `SELECT ${replyColumns()} FROM reply r JOIN account a ON a.id = r.author_id WHERE r.author_id = $1 AND r.client_id = $2`,
    [authorId, clientId],
  );
  return rows[0] ?? null;
}

/** The thread a reply is written in: its forum and whether it takes replies. */
export interface QuestionState {
  id: number;
  forum_id: number;
  locked: boolean;
  closed: boolean;
  merged_into_id: number | null;
  slow_mode_seconds: number | null;
  state: QuestionPublication;
  author_id: string | null;
}

/**
 * A question's state. `lock: 'update'` holds it against other writers (merges,
 * moves into it); `lock: 'key share'` is what inserting a reply takes anyway
 * (its foreign key), taken before reading, so a merge under way finishes
 * first and the reply sees its result.
 */
export async function findQuestionState(manager: EntityManager, id: number, options: { lock?: 'update' | 'key share' } = {}): Promise<QuestionState | null> {
  const lock = options.lock === 'update' ? ' FOR UPDATE' : options.lock === 'key share' ? ' FOR KEY SHARE' : '';
  const rows: QuestionState[] = await manager.query(
    `SELECT id, forum_id, locked, closed, merged_into_id, slow_mode_seconds, state, author_id FROM question WHERE id = $1${lock}`,
    [id],
  );
  return rows[0] ?? null;
}

/** What a reply's parent is checked on (see RepliesService.parentFor). */
export type ParentRow = Pick<ReplyRow, 'id' | 'question_id' | 'path' | 'depth' | 'state' | 'author_id' | 'withheld'>;

/** Everything a new reply is checked against, read by one statement: see findReplyTarget. */
export interface ReplyTarget {
  question: QuestionState;
  participation: ParticipationRow;
  rules: ForumRules;
  parent: ParentRow | null;
  /** The new reply's id, taken from the sequence (its path needs it before the INSERT). */
  nextId: string;
}

/**
 * The question a reply is written in (locked FOR KEY SHARE, as
 * findQuestionState's 'key share'), its forum and the author's membership
 * (as ForumAccessService.participating reads them), the forum's posting
 * rules, the parent reply if any, and the new reply's id: one round trip
 * where there were five. Null when there is no such question. An id taken
 * for a reply that is then refused is a gap in the sequence, as a rollback leaves.
 */
export async function findReplyTarget(manager: EntityManager, questionId: number, authorId: string | null, parentId: string | null): Promise<ReplyTarget | null> {
  const rows: (QuestionState & ParticipationRow & { [K in keyof ForumRules as `rule_${K}`]: ForumRules[K] } & {
    p_id: string | null; p_question_id: number; p_path: string; p_depth: number; p_state: ReplyState; p_author_id: string; p_withheld: boolean; next_id: string;
  })[] = await manager.query(
    `SELECT q.id, q.forum_id, q.locked, q.closed, q.merged_into_id, q.slow_mode_seconds, q.state, q.author_id,
            ${PARTICIPATION_SQL.columns}, ${postingRulesColumns('pf', '$2')},
            p.id AS p_id, p.question_id AS p_question_id, p.path AS p_path, p.depth AS p_depth, p.state AS p_state, p.author_id AS p_author_id,
            p.withheld AS p_withheld, nextval(pg_get_serial_sequence('reply', 'id'))::text AS next_id
       FROM question q
       ${PARTICIPATION_SQL.joins('q.forum_id', '$2')}
       LEFT JOIN reply p ON p.id = $3::bigint
      WHERE q.id = $1
        FOR KEY SHARE OF q`,
    [questionId, authorId, parentId],
  );
  const row = rows[0];
  if (!row) return null;
  const { id, forum_id, locked, closed, merged_into_id, slow_mode_seconds, state, author_id } = row;
  return {
    question: { id, forum_id, locked, closed, merged_into_id, slow_mode_seconds, state, author_id },
    participation: row,
    rules: postingRulesOf(row),
    parent: row.p_id === null ? null : {
      id: String(row.p_id), question_id: row.p_question_id, path: row.p_path, depth: row.p_depth, state: row.p_state, author_id: row.p_author_id, withheld: row.p_withheld,
    },
    nextId: row.next_id,
  };
}

/** What telling people about a reply needs: the reply, who wrote its parent and its question, the question's title. */
export interface ReplyContext {
  reply: ReplyRow;
  parentAuthorId: string | null;
  questionAuthorId: string | null;
  questionTitle: string;
}

/** One statement: the reply with its author, its parent's author and its question's author and title. */
export async function findReplyContext(manager: EntityManager, replyId: string): Promise<ReplyContext | null> {
  const rows: (ReplyRow & { parent_author_id: string | null; question_author_id: string | null; question_title: string })[] = await manager.query(
    `SELECT ${replyColumns()}, (SELECT author_id FROM reply WHERE id = r.parent_id) AS parent_author_id,
            q.author_id AS question_author_id, q.title AS question_title
       FROM reply r JOIN account a ON a.id = r.author_id JOIN question q ON q.id = r.question_id
      WHERE r.id = $1`,
    [replyId],
  );
  if (!rows[0]) return null;
  const { parent_author_id: parentAuthorId, question_author_id: questionAuthorId, question_title: questionTitle, ...reply } = rows[0];
  return { reply, parentAuthorId, questionAuthorId, questionTitle };
}

/** A question's title (for telling people where something happened), or null if it is gone. */
export async function findQuestionTitle(manager: EntityManager, id: number): Promise<string | null> {
  const [row]: { title: string }[] = await manager.query(`SELECT title FROM question WHERE id = $1`, [id]);
  return row?.title ?? null;
}
