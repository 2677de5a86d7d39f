import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type * as Protocol from '../../../protocol/views.js';
import { POLL_KINDS, type PollKind, type PollState } from '../poll-policy.js';

/**
 * The polls' answers over HTTP, as classes so the OpenAPI document describes
 * them; each implements the protocol's view (src/protocol/views.ts) that
 * events carry too.
 */

const POLL_STATES: PollState[] = ['draft', 'open', 'closed'];
const REVIEWS = ['pending', 'approved', 'rejected'] as const;
type Review = (typeof REVIEWS)[number];

export class PollOptionCount {
  @ApiProperty() index: number;
  @ApiProperty() label: string;
  @ApiProperty() count: number;
}

export class PollRatingCount {
  @ApiProperty({ minimum: 1, maximum: 5 }) value: number;
  @ApiProperty() count: number;
}

export class PollWordCount {
  @ApiProperty({ description: 'The folded entry.' }) key: string;
  @ApiProperty({ description: 'Its most common spelling.' }) word: string;
  @ApiProperty() count: number;
}

export class PollText {
  @ApiProperty() answerId: number;
  @ApiProperty() text: string;
  @ApiPropertyOptional({ enum: REVIEWS, description: 'Moderators only.' }) review?: Review;
}

/** A poll's results at `asOf`; which lists are present depends on its kind. */
export class PollResultsView implements Protocol.PollResultsView {
  @ApiProperty() pollId: number;
  @ApiProperty({ description: 'Database time of the read: keep the newest per poll.' }) asOf: string;
  @ApiProperty({ enum: POLL_KINDS }) kind: PollKind;
  @ApiProperty() total: number;
  @ApiPropertyOptional({ type: [PollOptionCount], description: 'single and multiple.' }) options?: PollOptionCount[];
  @ApiPropertyOptional({ type: [PollRatingCount], description: 'rating.' }) ratings?: PollRatingCount[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'rating.' }) average?: number | null;
  @ApiPropertyOptional({ type: [PollWordCount], description: 'word_cloud.' }) words?: PollWordCount[];
  @ApiPropertyOptional({ type: [PollText], description: 'open_text (attendees: approved ones).' }) texts?: PollText[];
}

export class PollAnswerView implements Protocol.PollAnswerView<Date> {
  @ApiProperty() pollId: number;
  @ApiProperty({ type: [Number], nullable: true }) choices: number[] | null;
  @ApiProperty({ type: Number, nullable: true }) rating: number | null;
  @ApiProperty({ type: String, nullable: true }) text: string | null;
  @ApiProperty({ enum: REVIEWS, nullable: true, description: 'open_text: the moderators\' review.' }) review: Review | null;
  @ApiProperty() updatedAt: Date;
}

/** A poll as one caller sees it: its results when they may see them, and their own answer. */
export class PollReadView implements Protocol.PollReadView<Date> {
  @ApiProperty() id: number;
  @ApiProperty() sessionId: number;
  @ApiProperty({ enum: POLL_KINDS }) kind: PollKind;
  @ApiProperty() prompt: string;
  @ApiProperty({ type: [String] }) options: string[];
  @ApiProperty({ enum: POLL_STATES }) state: PollState;
  @ApiProperty() resultsHidden: boolean;
  @ApiProperty({ type: Number, nullable: true }) liveQuestionId: number | null;
  @ApiProperty() onScreen: boolean;
  @ApiProperty({ type: Date, nullable: true }) launchedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) closedAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Number, nullable: true, description: 'Forum question that carried the results at the hand-over.' }) handedOverQuestionId: number | null;
  @ApiProperty({ type: PollResultsView, nullable: true }) results: PollResultsView | null;
  @ApiProperty({ type: PollAnswerView, nullable: true }) viewerAnswer: PollAnswerView | null;
}

export class PollList {
  @ApiProperty({ type: [PollReadView] }) items: PollReadView[];
}

export class PollAnswered {
  @ApiProperty({ type: PollAnswerView }) answer: PollAnswerView;
}
