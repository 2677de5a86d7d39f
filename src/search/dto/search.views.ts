import { ApiProperty } from '@nestjs/swagger';
import { SEARCH_KINDS, type SearchKind } from './search.query.js';

/** Who wrote a result, with what tells readers who speaks: their organisation or city. */
export class SpeakerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ type: String, nullable: true }) organisation: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The avatar image (`GET`), or null: show initials.' }) avatarUrl: string | null;
}

export class SearchHitSession {
  @ApiProperty() id: number;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
}

export class SearchHitForum {
  @ApiProperty() id: number;
  @ApiProperty() title: string;
}

export class SearchHitView {
  @ApiProperty({ enum: SEARCH_KINDS }) kind: SearchKind;
  @ApiProperty({ description: 'The id of the session, forum, question, reply or live question.' }) id: string;
  @ApiProperty({ description: 'HTML: the title (or the start of the text) with the matched words in <mark>; everything else escaped.' }) titleHtml: string;
  @ApiProperty({ description: 'HTML: an excerpt with the matched words in <mark>.' }) snippetHtml: string;
  @ApiProperty({ description: "The client's path to open it." }) path: string;
  @ApiProperty({ type: SearchHitSession }) session: SearchHitSession;
  @ApiProperty({ type: SearchHitForum, nullable: true }) forum: SearchHitForum | null;
  @ApiProperty({ type: Number, nullable: true }) questionId: number | null;
  @ApiProperty({ type: SpeakerView, nullable: true }) author: SpeakerView | null;
  @ApiProperty({ type: String, nullable: true, description: "A reply's detected language (en, es, fr)." }) language: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A reply or question not shown to every reader: pending, hidden, rejected.' }) state: string | null;
  @ApiProperty({ description: 'When it was written (a session: its first date).' }) at: Date;
}

export class SearchGroupView {
  @ApiProperty({ enum: SEARCH_KINDS }) kind: SearchKind;
  @ApiProperty({ type: [SearchHitView] }) items: SearchHitView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` (with this `kind`) for the next page.' }) nextCursor: string | null;
}

export class SearchResultView {
  @ApiProperty() q: string;
  @ApiProperty({ type: [SearchGroupView], description: 'One group per kind, in a fixed order; a kind without results is left out.' }) groups: SearchGroupView[];
}
