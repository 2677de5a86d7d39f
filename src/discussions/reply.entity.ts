import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReplyState = 'visible' | 'pending' | 'hidden' | 'deleted' | 'rejected';

/** A reply in a thread; `path` places it in the tree (see the ForumCore migration). */
@Entity('reply')
export class Reply {
  /** bigint: serialised as a string. */
  @PrimaryColumn('bigint')
  id: string;

  @Column('integer', { name: 'question_id' })
  questionId: number;

  @Column('integer', { name: 'forum_id' })
  forumId: number;

  @Column('bigint', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Column('text')
  path: string;

  @Column('smallint')
  depth: number;

  @Column('uuid', { name: 'author_id' })
  authorId: string;

  @Column('text', { name: 'body_source' })
  bodySource: string;

  @Column('text', { name: 'body_html' })
  bodyHtml: string;

  @Column('text')
  state: ReplyState;

  @Column('integer', { name: 'vote_count' })
  voteCount: number;

  @Column('integer', { name: 'child_count' })
  childCount: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'edited_at', nullable: true })
  editedAt: Date | null;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  /** Why a moderator hid, deleted or rejected it (shown in its place). */
  @Column('text', { name: 'state_reason', nullable: true })
  stateReason: string | null;

  /** Hidden by the flag threshold, not yet reviewed by a moderator. */
  @Column('boolean', { name: 'hidden_by_flags' })
  hiddenByFlags: boolean;

  @Column('timestamptz', { name: 'featured_at', nullable: true })
  featuredAt: Date | null;

  @Column('boolean', { name: 'edited_by_moderator' })
  editedByModerator: boolean;

  /** Deleted while pending or rejected: readers never saw it, and still don't. */
  @Column('boolean', { name: 'withheld' })
  withheld: boolean;

  /** Detected when written (tinyld), else the author's; picks the stemmer that indexes it for search (NULL: simple). */
  @Column('text', { nullable: true })
  language: 'en' | 'es' | 'fr' | null;
}
