import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type ForumRole = 'member' | 'moderator';
export const FORUM_ROLES: ForumRole[] = ['member', 'moderator'];
/** A removed membership is kept (not deleted) so the person can't rejoin a public forum implicitly. */
export type MembershipState = 'active' | 'removed';

@Entity('forum_membership')
export class ForumMembership {
  @PrimaryColumn('integer', { name: 'forum_id' })
  forumId: number;

  @PrimaryColumn('uuid', { name: 'account_id' })
  accountId: string;

  @Column('text')
  role: ForumRole;

  @Column('text')
  state: MembershipState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
