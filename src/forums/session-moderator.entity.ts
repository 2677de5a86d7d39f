import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An organiser of a session: moderator of each of the session's forums, present and future. */
@Entity('session_moderator')
export class SessionModerator {
  @PrimaryColumn('integer', { name: 'session_id' })
  sessionId: number;

  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
