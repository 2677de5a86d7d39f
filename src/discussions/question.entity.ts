import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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

  @Column('boolean')
  locked: boolean;

  @Column('boolean')
  closed: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
