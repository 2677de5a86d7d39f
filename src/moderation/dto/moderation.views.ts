import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { AuthorView, QuestionView, ReplyView } from '../../discussions/dto/discussion.views.js';

export const FLAG_REASONS = ['spam', 'off_topic', 'abusive', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export type FlagState = 'open' | 'upheld' | 'dismissed';
export type ActTargetKind = 'reply' | 'question' | 'forum' | 'account';

/** One row of the record: who did what to what, when, why, and the state before and after. */
export class RemovalTotal {
  @ApiProperty() act: string;
  @ApiProperty() count: number;
}

export class QuestionPosition {
  @ApiProperty() id: number;
  @ApiProperty() position: number;
}

/** Open flags per reason. */
export class FlagCounts implements Record<FlagReason, number> {
  @ApiProperty() spam: number;
  @ApiProperty() off_topic: number;
  @ApiProperty() abusive: number;
  @ApiProperty() other: number;
}

export class ModerationActionView {
  @ApiProperty({ example: '12' }) id: string;
  @ApiProperty() forumId: number;
  @ApiProperty({ example: 'reply.hide' }) act: string;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'null: the system (the flag threshold).' }) actor: AuthorView | null;
  @ApiProperty({ enum: ['reply', 'question', 'forum', 'account'] }) targetKind: ActTargetKind;
  @ApiProperty() targetId: string;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ type: AuthorView, nullable: true, description: 'Whose contribution (or account) the act touched.' }) targetAuthor: AuthorView | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after: Record<string, unknown> | null;
  @ApiProperty() createdAt: Date;
}

export class ModerationActionPage {
  @ApiProperty({ type: [ModerationActionView] }) items: ModerationActionView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** A removal as the public sees it: what kind and why, no text, no names. */
export class RemovalView {
  @ApiProperty() id: string;
  @ApiProperty() act: string;
  @ApiProperty() targetKind: string;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() createdAt: Date;
}

export class RemovalSummary {
  @ApiProperty({ type: [RemovalTotal], description: 'Removals per act, all time.' }) totals: RemovalTotal[];
  @ApiProperty({ type: [RemovalView] }) items: RemovalView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** A flag as the member who raised it sees it. */
export class MyFlagView {
  @ApiProperty() id: string;
  @ApiProperty() replyId: string;
  @ApiProperty() questionId: number;
  @ApiProperty() forumId: number;
  @ApiProperty({ enum: FLAG_REASONS }) reason: FlagReason;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ enum: ['open', 'upheld', 'dismissed'] }) state: FlagState;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) resolvedAt: Date | null;
}

export class MyFlagPage {
  @ApiProperty({ type: [MyFlagView] }) items: MyFlagView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class QueueFlagView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: FLAG_REASONS }) reason: FlagReason;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: AuthorView }) by: AuthorView;
  @ApiProperty() createdAt: Date;
}

/** A flagged reply in the moderators' queue, with its open flags. */
class FlaggedReplyItem {
  @ApiProperty({ enum: ['flags'] }) kind: 'flags';
  @ApiProperty({ description: 'The first open flag.' }) since: Date;
  @ApiProperty({ type: ReplyView, description: 'The reply, as moderators see it.' }) reply: ReplyView;
  @ApiProperty({ type: [QueueFlagView] }) flags: QueueFlagView[];
  @ApiProperty({ type: FlagCounts }) counts: FlagCounts;
}

/** A reply awaiting approval. */
class PendingReplyItem {
  @ApiProperty({ enum: ['pending'] }) kind: 'pending';
  @ApiProperty({ description: 'When it was posted.' }) since: Date;
  @ApiProperty({ type: ReplyView, description: 'The reply, as moderators see it.' }) reply: ReplyView;
}

/** A member's proposed question awaiting approval. */
class ProposedQuestionItem {
  @ApiProperty({ enum: ['question'] }) kind: 'question';
  @ApiProperty({ description: 'When it was proposed.' }) since: Date;
  @ApiProperty({ type: QuestionView }) question: QuestionView;
}

/** One entry of the moderators' queue, by `kind`. */
export type QueueItem = FlaggedReplyItem | PendingReplyItem | ProposedQuestionItem;

@ApiExtraModels(FlaggedReplyItem, PendingReplyItem, ProposedQuestionItem)
export class QueuePage {
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [getSchemaPath(FlaggedReplyItem), getSchemaPath(PendingReplyItem), getSchemaPath(ProposedQuestionItem)].map(($ref) => ({ $ref })),
      discriminator: {
        propertyName: 'kind',
        mapping: { flags: getSchemaPath(FlaggedReplyItem), pending: getSchemaPath(PendingReplyItem), question: getSchemaPath(ProposedQuestionItem) },
      },
    },
  })
  items: QueueItem[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ForumModerationSettings {
  @ApiProperty() forumId: number;
  @ApiProperty({ description: 'Every reply of a non-moderator waits for approval.' }) premoderation: boolean;
  @ApiProperty({ description: 'A person\'s replies wait for approval until they have this many visible replies here (0: off).' }) premoderateFirstReplies: number;
  @ApiProperty({ description: 'Distinct members\' flags that hide a reply pending review (effective value).' }) flagThreshold: number;
  @ApiProperty({ description: 'True when the forum uses the server default (FLAG_THRESHOLD).' }) flagThresholdIsDefault: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'One reply per person per this many seconds anywhere in the forum.' }) slowModeSeconds: number | null;
  @ApiProperty({ type: Number, nullable: true }) maxRepliesPerHour: number | null;
  @ApiProperty({ description: 'Members may propose questions, which wait for a moderator\'s approval (default on).' }) memberQuestions: boolean;
}

export class SilenceView {
  @ApiProperty() forumId: number;
  @ApiProperty({ type: AuthorView }) account: AuthorView;
  @ApiProperty() until: Date;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: AuthorView, nullable: true }) by: AuthorView | null;
  @ApiProperty() createdAt: Date;
}

export class SilenceList {
  @ApiProperty({ type: [SilenceView] }) items: SilenceView[];
}

/** What an act answers: the changed things (which ones depends on the act) and the record rows it wrote. */
export class ActResult {
  @ApiProperty() act: string;
  @ApiPropertyOptional({ type: ReplyView }) reply?: ReplyView;
  @ApiPropertyOptional({ type: QuestionView }) question?: QuestionView;
  @ApiPropertyOptional({ type: QuestionView }) source?: QuestionView;
  @ApiPropertyOptional({ type: QuestionView }) fromQuestion?: QuestionView;
  @ApiPropertyOptional({ type: QuestionView }) toQuestion?: QuestionView;
  @ApiPropertyOptional({ type: [String] }) movedReplyIds?: string[];
  @ApiPropertyOptional({ type: [QuestionPosition], description: "question.reorder: the forum's questions in their new order." }) questions?: QuestionPosition[];
  @ApiPropertyOptional({ type: ForumModerationSettings }) settings?: ForumModerationSettings;
  @ApiPropertyOptional({ type: SilenceView, nullable: true }) silence?: SilenceView | null;
  @ApiPropertyOptional() resolvedFlags?: number;
  @ApiProperty({ type: [ModerationActionView], description: 'The record rows written (empty: nothing changed).' }) actions: ModerationActionView[];
}
