import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { LANGUAGES, type Language } from '../../auth/account.entity.js';
import { CursorParam } from '../../common/cursor.js';

export class PersonIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a person id (a UUID)' })
  id: string;
}

export class PersonRepliesQuery {
  @CursorParam()
  cursor?: string;
}

/** Where a contribution was written. */
class ContributionPlace {
  @ApiProperty() sessionSlug: string;
  @ApiProperty() sessionTitle: string;
  @ApiProperty() forumId: number;
  @ApiProperty() forumTitle: string;
  @ApiProperty() questionId: number;
  @ApiProperty() questionTitle: string;
}

export class PersonReplyView extends ContributionPlace {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'Sanitised HTML.' }) bodyHtml: string;
  @ApiProperty({ description: 'visible, or (for those who may see it) pending, hidden, rejected.' }) state: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ description: "The client's path to the reply in its thread." }) path: string;
}

export class PersonQuestionView extends ContributionPlace {
  @ApiProperty() createdAt: Date;
  @ApiProperty() path: string;
}

export class PersonRepliesPage {
  @ApiProperty({ type: [PersonReplyView] }) items: PersonReplyView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PersonView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Organisation or city.' }) organisation: string | null;
  @ApiProperty({ enum: LANGUAGES, isArray: true }) languages: Language[];
  @ApiProperty() bio: string;
  @ApiProperty({ type: String, nullable: true, description: 'Avatar image; null: show initials.' }) avatarUrl: string | null;
  @ApiProperty({ description: 'Initials for when there is no avatar.' }) initials: string;
  @ApiProperty() memberSince: Date;
  @ApiProperty({ type: PersonRepliesPage, description: 'Their replies the viewer may read, newest first.' }) replies: PersonRepliesPage;
  @ApiProperty({ type: [PersonQuestionView], description: 'Questions they posted in forums the viewer may read, newest first (at most 20).' }) questions: PersonQuestionView[];
}
