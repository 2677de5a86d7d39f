import { ApiProperty } from '@nestjs/swagger';
import { LANGUAGES, type Language } from '../../auth/account.entity.js';
import { ForumSummaryView } from '../../forums/dto/forum.view.js';
import { DOCUMENT_KINDS, type DocumentKind } from '../session-document.entity.js';
import { SESSION_KINDS, SESSION_STATES, type SessionKind, type SessionState } from '../session.entity.js';

export class SessionDateView {
  @ApiProperty() startsAt: Date;
  @ApiProperty() endsAt: Date;
}

export class SessionDocumentView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: DOCUMENT_KINDS }) kind: DocumentKind;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty() title: string;
  @ApiProperty() url: string;
}

/** A session as listed in the catalogue. */
export class SessionSummaryView {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces' }) slug: string;
  @ApiProperty({ enum: SESSION_KINDS }) kind: SessionKind;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty() organiser: string;
  @ApiProperty({ type: [String] }) partners: string[];
  @ApiProperty({ type: [String] }) cities: string[];
  @ApiProperty({ type: [String] }) topics: string[];
  @ApiProperty({ enum: LANGUAGES, isArray: true }) languages: Language[];
  @ApiProperty({ enum: SESSION_STATES }) state: SessionState;
  @ApiProperty({ type: [SessionDateView], description: 'Oldest first.' }) dates: SessionDateView[];
  @ApiProperty({ description: 'Forums of this session the caller may see.' }) forumCount: number;
  @ApiProperty({ description: "Members' forums of this session that signing in would show (members-only forums, counted for visitors who are not signed in; otherwise 0)." })
  membersForumCount: number;
}

export class SessionDetailView extends SessionSummaryView {
  @ApiProperty({ type: [SessionDocumentView], description: 'Ordered by language, then kind.' }) documents: SessionDocumentView[];
  @ApiProperty({ type: [ForumSummaryView], description: 'The forums of this session the caller may see.' }) forums: ForumSummaryView[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SessionPage {
  @ApiProperty({ type: [SessionSummaryView] }) items: SessionSummaryView[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class FacetCount {
  @ApiProperty() value: string;
  @ApiProperty() count: number;
}

export class SessionFacets {
  @ApiProperty({ description: 'Sessions matching the filters.' }) total: number;
  @ApiProperty({ type: [FacetCount], description: 'Most frequent first, then alphabetical.' }) topics: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) organisers: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) cities: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) kinds: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) languages: FacetCount[];
  @ApiProperty({ type: [FacetCount] }) states: FacetCount[];
}
