import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('reply_vote')
export class ReplyVote {
  @PrimaryColumn('bigint', { name: 'reply_id' })
  replyId: string;

  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
