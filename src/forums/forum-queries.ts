import type { ForumSummaryView } from './dto/forum.view.js';
import type { ForumState, ForumVisibility } from './forum.entity.js';

/**
 * Columns (on alias `f`) for a forum summary. Reply counts are the sum of the
 * question's sharded thread_counter rows, never a COUNT(*) over replies.
 */
export const FORUM_SUMMARY_COLUMNS = `
  f.id, f.session_id, f.slug, f.title, f.description, f.visibility, f.state,
  (SELECT count(*) FROM question fq WHERE fq.forum_id = f.id AND fq.state = 'published')::bigint AS question_count,
  COALESCE((SELECT sum(tc.reply_count) FROM thread_counter tc WHERE tc.forum_id = f.id), 0)::bigint AS reply_count`;

export interface ForumSummaryRow {
  id: number;
  session_id: number;
  slug: string;
  title: string;
  description: string;
  visibility: ForumVisibility;
  state: ForumState;
  question_count: string | number;
  reply_count: string | number;
}

export function toForumSummary(row: ForumSummaryRow): ForumSummaryView {
  return {
    id: row.id,
    sessionId: row.session_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    visibility: row.visibility,
    state: row.state,
    questionCount: Number(row.question_count),
    replyCount: Number(row.reply_count),
  };
}
