import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A previous text of a reply, kept when it is edited. */
@Entity('reply_revision')
export class ReplyRevision {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('bigint', { name: 'reply_id' })
  replyId: string;

  @Column('text', { name: 'body_source' })
  bodySource: string;

  @Column('uuid', { name: 'edited_by', nullable: true })
  editedBy: string | null;

  @Column('timestamptz', { name: 'replaced_at' })
  replacedAt: Date;

  /** The text was replaced by a moderator's edit, not its author's. */
  @Column('boolean', { name: 'by_moderator' })
  byModerator: boolean;
}
