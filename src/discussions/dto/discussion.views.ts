import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { QuestionState } from '../question.entity.js';
import type { ReplyState } from '../reply.entity.js';

const REPLY_STATES: ReplyState[] = ['visible', 'pending', 'hidden', 'deleted', 'rejected'];
const QUESTION_STATES: QuestionState[] = ['published', 'proposed', 'rejected'];

/** Who wrote something, as readers see them. */
export class AuthorView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Ana García' }) displayName: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Organisation or city (replies; left out when the author gave none).' }) organisation?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Avatar image address (replies; left out when there is none: show initials).' }) avatarUrl?: string | null;
}

/** A moderator's synthesis of a question. */
export class SynthesisView {
  @ApiProperty({ description: 'Sanitised HTML.' }) html: string;
  @ApiPropertyOptional({ description: 'Markdown source (single-question reads and writes only).' }) source?: string;
  @ApiProperty({ type: AuthorView, nullable: true }) author: AuthorView | null;
  @ApiProperty() updatedAt: Date;
}

/** The live question a forum question was handed over from. */
class LiveQuestionLink {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
}

/** A discussion question: the root of a thread. */
export class QuestionView {
  @ApiProperty() id: number;
  @ApiProperty() forumId: number;
  @ApiProperty({ description: 'Order among the forum\'s questions (pinned ones are listed first).' }) position: number;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ description: 'Markdown source (single-question reads and writes only), for editing.' }) bodySource?: string;
  @ApiProperty({ description: 'Sanitised HTML rendered from the markdown source.' }) bodyHtml: string;
  @ApiProperty({ type: AuthorView, nullable: true }) author: AuthorView | null;
  @ApiProperty({ enum: QUESTION_STATES, description: 'proposed (a member\'s, awaiting a moderator) and rejected questions reach only their author and the moderators.' })
  state: QuestionState;
  @ApiProperty({ type: String, nullable: true, description: 'Why a moderator rejected the proposal.' }) stateReason: string | null;
  @ApiProperty() pinned: boolean;
  @ApiProperty({ description: 'Locked: only moderators may reply.' }) locked: boolean;
  @ApiProperty({ description: 'Closed: nobody may reply.' }) closed: boolean;
  @ApiProperty({ description: 'Visible replies in the thread (sum of the sharded thread counters).' }) replyCount: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Merged into this question (a link to follow); a merged question is closed.' })
  mergedIntoId: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Slow mode: one reply per person per this many seconds (moderators exempt).' })
  slowModeSeconds: number | null;
  @ApiProperty({ type: () => SynthesisView, nullable: true, description: 'The moderator\'s synthesis, shown at the top of the thread.' })
  synthesis: SynthesisView | null;
  @ApiProperty({ type: [String], description: 'Featured (visible) replies, in the order they were featured.' }) featuredReplyIds: string[];
  @ApiProperty({ type: Number, nullable: true, description: "Handed over from a session's live Q&A: its votes there, as a starting score." })
  liveScore: number | null;
  @ApiProperty({ type: LiveQuestionLink, nullable: true, description: 'Handed over from a live Q&A: the live question (link back: /sessions/:sessionId/qa#question-:id).' })
  liveQuestion: { id: number; sessionId: number } | null;
  @ApiPropertyOptional({ description: 'Signed-in callers only: whether the caller has a (not deleted) reply in the thread.' })
  viewerReplied?: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class QuestionList {
  @ApiProperty({ type: [QuestionView] }) items: QuestionView[];
}

/** A reply in a thread. A deleted reply keeps its place; its body is then null. */
export class ReplyView {
  @ApiProperty({ description: 'bigint, as a string', example: '42' }) id: string;
  @ApiProperty() questionId: number;
  @ApiProperty() forumId: number;
  @ApiProperty({ type: String, nullable: true, description: 'null for a first-level reply' }) parentId: string | null;
  @ApiProperty({ minimum: 1, maximum: 200 }) depth: number;
  @ApiProperty({ type: AuthorView }) author: AuthorView;
  @ApiProperty({ type: String, nullable: true, description: 'Sanitised HTML; null when deleted, and when hidden for all but moderators.' }) bodyHtml: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Markdown source (single-reply reads and writes only); null when deleted.' })
  bodySource?: string | null;
  @ApiProperty({ enum: REPLY_STATES, description: 'pending and rejected replies reach only their author and the moderators.' }) state: ReplyState;
  @ApiProperty({ type: String, nullable: true, description: 'Why a moderator hid, deleted or rejected it (shown in its place).' })
  stateReason: string | null;
  @ApiProperty({ description: 'Featured by a moderator as a key contribution of its question.' }) featured: boolean;
  @ApiProperty({ description: 'The last edit was made by a moderator, not the author.' }) editedByModerator: boolean;
  @ApiProperty() voteCount: number;
  @ApiProperty({ description: 'Direct replies to this one that readers see in place (visible, hidden, deleted; not pending or rejected).' }) childCount: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) editedAt: Date | null;
  @ApiPropertyOptional({ description: 'Signed-in callers only: whether the caller voted for this reply.' }) viewerVoted?: boolean;
  @ApiPropertyOptional({
    type: [String],
    description: "Creating a reply only: accounts @mentioned in it that can't read this forum, so nobody was told (see Notifications).",
  })
  unreachableMentions?: string[];
}

export class ReplyPage {
  @ApiProperty({ type: [ReplyView] }) items: ReplyView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
  @ApiPropertyOptional({
    type: Number,
    description: "A thread's first page only: the forum's event position read before this page. Subscribe with `lastSeq` set to it and the socket replays what changed since.",
  })
  seq?: number;
}

/** A reply on its own (permalink), with what a client needs to open the thread at it. */
export class ReplyPermalink {
  @ApiProperty({ type: ReplyView }) reply: ReplyView;
  @ApiProperty({ type: [String], description: 'Ids of the reply\'s ancestors, first-level reply first.' }) ancestorIds: string[];
}

/** A previous text of a reply, kept when it was edited. */
export class ReplyRevisionView {
  @ApiProperty() id: string;
  @ApiProperty() bodySource: string;
  @ApiProperty() bodyHtml: string;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'Who replaced this text.' }) editedBy: AuthorView | null;
  @ApiProperty({ description: 'When this text was replaced by a newer one.' }) replacedAt: Date;
  @ApiProperty({ description: 'Replaced by a moderator\'s edit ("edited by a moderator").' }) byModerator: boolean;
}

export class ReplyRevisionPage {
  @ApiProperty({ type: [ReplyRevisionView], description: 'Newest first.' }) items: ReplyRevisionView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class VoteResult {
  @ApiProperty() replyId: string;
  @ApiProperty() voteCount: number;
  @ApiProperty() viewerVoted: boolean;
}
