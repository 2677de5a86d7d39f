import type { FlagReason, FlagState, MyFlagView } from './dto/moderation.views.js';

/** A reply_flag row (bigint ids arrive as strings), with its reply's question. */
export interface FlagRow {
  id: string;
  reply_id: string;
  forum_id: number;
  account_id: string;
  reason: FlagReason;
  note: string | null;
  state: FlagState;
  created_at: Date;
  resolved_at: Date | null;
  question_id?: number;
}

export function toMyFlagView(row: FlagRow & { question_id: number }): MyFlagView {
  return {
    id: String(row.id),
    replyId: String(row.reply_id),
    questionId: row.question_id,
    forumId: row.forum_id,
    reason: row.reason,
    note: row.note,
    state: row.state,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}
