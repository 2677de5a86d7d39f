import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Language } from '../auth/account.entity.js';

export type DocumentKind = 'programme' | 'concept_note' | 'recording' | 'presentation' | 'other';
export const DOCUMENT_KINDS: DocumentKind[] = ['programme', 'concept_note', 'recording', 'presentation', 'other'];

/** A link attached to a session (programme, concept note...), in one language. */
@Entity('session_document')
export class SessionDocument {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('integer', { name: 'session_id' })
  sessionId: number;

  @Column('text')
  kind: DocumentKind;

  @Column('text')
  language: Language;

  @Column('text')
  title: string;

  @Column('text')
  url: string;
}
