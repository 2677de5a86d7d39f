import { ApiProperty } from '@nestjs/swagger';

export class ThreadUnreadView {
  @ApiProperty() questionId: number;
  @ApiProperty({ type: String, nullable: true, description: 'The newest reply the member has seen; null if they never opened the thread.' })
  lastReadReplyId: string | null;
  @ApiProperty({ description: "Visible replies by others newer than that." }) unread: number;
  @ApiProperty({ type: String, nullable: true, description: 'The first of them in tree order: where opening the thread lands.' })
  firstUnreadReplyId: string | null;
}

export class QuestionUnreadView {
  @ApiProperty() questionId: number;
  @ApiProperty({ description: 'The member has opened this thread before.' }) read: boolean;
  @ApiProperty({ description: '"N new": replies by others since the member last read the thread.' }) newReplies: number;
  @ApiProperty({ description: 'Asked since the member\'s last visit to the forum, and not opened yet.' }) isNew: boolean;
}

export class ForumUnreadView {
  @ApiProperty() forumId: number;
  @ApiProperty({ type: Date, nullable: true }) lastVisitAt: Date | null;
  @ApiProperty({ type: [QuestionUnreadView] }) questions: QuestionUnreadView[];
}

export class SessionActivityItem {
  @ApiProperty() sessionId: number;
  @ApiProperty({ type: [Number] }) forumIds: number[];
}

export class SessionActivityView {
  @ApiProperty({ type: [SessionActivityItem], description: 'Sessions with new activity in forums the member follows.' }) sessions: SessionActivityItem[];
}
