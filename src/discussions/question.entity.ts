import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type QuestionState = 'published' | 'proposed' | 'rejected';

/** A discussion question of a forum: the root of a thread. */
@Entity('question')
export class Question {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('integer', { name: 'forum_id' })
  forumId: number;

  @Column('integer')
  position: number;

  @Column('text')
  title: string;

  @Column('text', { name: 'body_source' })
  bodySource: string;

  @Column('text', { name: 'body_html' })
  bodyHtml: string;

  @Column('uuid', { name: 'author_id', nullable: true })
  authorId: string | null;

  @Column('boolean')
  pinned: boolean;

  /** A member's proposal waits for a moderator; a rejected one keeps the moderator's reason. */
  @Column('text', { default: 'published' })
  state: QuestionState;

  @Column('text', { name: 'state_reason', nullable: true })
  stateReason: string | null;

  @Column('boolean')
  locked: boolean;

  @Column('boolean')
  closed: boolean;

  /** Merged into this question (its replies live there now); a merged question is closed. */
  @Column('integer', { name: 'merged_into_id', nullable: true })
  mergedIntoId: number | null;

  /** One reply per person per this many seconds (moderators exempt). */
  @Column('integer', { name: 'slow_mode_seconds', nullable: true })
  slowModeSeconds: number | null;

  /** The moderator's synthesis (markdown source; shown rendered at the top of the thread). */
  @Column('text', { name: 'synthesis_source', nullable: true })
  synthesisSource: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
