import { isGuest, type MaybeActor } from '../auth/actor.js';
import type { ForumMembership } from './forum-membership.entity.js';
import type { Forum } from './forum.entity.js';

/**
 * The access rules for a forum, as pure functions of the forum, the caller
 * and the caller's membership. ForumAccessService applies them; HTTP and
 * sockets both go through it.
 */
type ForumLike = Pick<Forum, 'visibility' | 'state'>;
type MembershipLike = Pick<ForumMembership, 'role' | 'state'> | null;

const active = (m: MembershipLike) => m?.state === 'active';

/**
 * Guests (a name given to join one session's live Q&A) have no standing in
 * forums: every rule here sees them as anonymous visitors.
 */
const forumActor = (actor: MaybeActor): MaybeActor => (isGuest(actor) ? null : actor);

export function canModerate(caller: MaybeActor, membership: MembershipLike): boolean {
  const actor = forumActor(caller);
  if (!actor) return false;
  return actor.role === 'admin' || (active(membership) && membership!.role === 'moderator');
}

export function canRead(forum: ForumLike, caller: MaybeActor, membership: MembershipLike): boolean {
  const actor = forumActor(caller);
  if (canModerate(actor, membership)) return true;
  switch (forum.visibility) {
    case 'public':
      return true;
    case 'members':
      // A removed member loses a members-only forum at once; anyone else signed in reads it.
      return actor !== null && membership?.state !== 'removed';
    case 'invite_only':
      return actor !== null && active(membership);
  }
}

export type ParticipationRefusal = 'unauthenticated' | 'removed' | 'not_invited' | 'forum_closed' | 'forum_archived';

/**
 * Why the caller may not take part (reply, vote) in the forum, or null if
 * they may. Public and members-only forums let any signed-in person join
 * implicitly; invite-only forums need an active membership.
 */
export function participationRefusal(forum: ForumLike, caller: MaybeActor, membership: MembershipLike): ParticipationRefusal | null {
  const actor = forumActor(caller);
  if (!actor) return 'unauthenticated';
  if (forum.state === 'archived') return 'forum_archived';
  if (forum.state === 'closed' && !canModerate(actor, membership)) return 'forum_closed';
  if (canModerate(actor, membership)) return null;
  if (membership?.state === 'removed') return 'removed';
  if (forum.visibility === 'invite_only' && !active(membership)) return 'not_invited';
  return null;
}
