import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ForumVisibility = 'public' | 'members' | 'invite_only';
export const FORUM_VISIBILITIES: ForumVisibility[] = ['public', 'members', 'invite_only'];
export type ForumState = 'open' | 'closed' | 'archived';
export const FORUM_STATES: ForumState[] = ['open', 'closed', 'archived'];

/** A discussion space attached to a session. */
@Entity('forum')
export class Forum {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('integer', { name: 'session_id' })
  sessionId: number;

  @Column('text')
  slug: string;

  @Column('text')
  title: string;

  @Column('text')
  description: string;

  @Column('text')
  visibility: ForumVisibility;

  @Column('text')
  state: ForumState;

  /** Members may propose questions for the moderators to publish (on by default). */
  @Column('boolean', { name: 'member_questions', default: true })
  memberQuestions: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
