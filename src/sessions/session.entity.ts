import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from '../auth/account.entity.js';

export type SessionKind = 'webinar' | 'training_workshop' | 'series';
export const SESSION_KINDS: SessionKind[] = ['webinar', 'training_workshop', 'series'];
export type SessionState = 'scheduled' | 'live' | 'ended';
export const SESSION_STATES: SessionState[] = ['scheduled', 'live', 'ended'];

/** A webinar, training workshop or series of the network. */
@Entity('session')
export class Session {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('text')
  slug: string;

  @Column('text')
  kind: SessionKind;

  @Column('text')
  title: string;

  @Column('text')
  summary: string;

  @Column('text')
  organiser: string;

  @Column('text', { array: true })
  partners: string[];

  @Column('text', { array: true })
  cities: string[];

  @Column('text', { array: true })
  topics: string[];

  @Column('text', { array: true })
  languages: Language[];

  @Column('text')
  state: SessionState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
