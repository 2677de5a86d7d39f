import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One day (or slot) of a session; a session can span several. */
@Entity('session_date')
export class SessionDate {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('integer', { name: 'session_id' })
  sessionId: number;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt: Date;
}
