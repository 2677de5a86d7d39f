import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An invitation to a forum: a link whose secret token is shown once to its
 * creator (the table keeps only its SHA-256), open or addressed to one email.
 */
@Entity('invitation')
export class Invitation {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id: number;

  @Column('integer', { name: 'forum_id' })
  forumId: number;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { name: 'token_hash', select: false })
  tokenHash: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;

  @Column('integer', { name: 'max_uses' })
  maxUses: number;

  @Column('integer', { name: 'use_count' })
  useCount: number;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Who accepted which invitation (one use per person per invitation). */
@Entity('invitation_acceptance')
export class InvitationAcceptance {
  @PrimaryColumn('integer', { name: 'invitation_id' })
  invitationId: number;

  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId: string;

  @CreateDateColumn({ name: 'accepted_at', type: 'timestamptz' })
  acceptedAt: Date;
}
