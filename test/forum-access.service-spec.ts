import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MaybeActor } from '../src/common/actor.js';
import { ForumAccessService } from '../src/forums/forum-access.service.js';
import { addMember, newForum } from './support/fixtures.js';
import { newActors, startServices, type ServiceContext } from './support/service.js';

type Caller = 'anonymous' | 'stranger' | 'member' | 'removed' | 'moderator' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'stranger', 'member', 'removed', 'moderator', 'admin'];

/**
 * ForumAccessService.describe over every visibility and caller, on the real
 * statement: what each may read, whether they moderate, and why they may
 * not take part. The expectations are written out, not derived from
 * forum-policy.ts, so the SQL and the policy are both held to them.
 */
describe('ForumAccessService.describe (service tier)', () => {
  let s: ServiceContext;
  let access: ForumAccessService;
  const callers = {} as Record<Caller, MaybeActor>;

  beforeAll(async () => {
    s = await startServices();
    access = s.get(ForumAccessService);
    const [stranger, member, removed, moderator] = await newActors(s, 4);
    const [admin] = await newActors(s, 1, { role: 'admin' });
    Object.assign(callers, { anonymous: null, stranger, member, removed, moderator, admin });
  });
  afterAll(() => s?.close());

  async function forumWithCast(opts: Parameters<typeof newForum>[1]): Promise<number> {
    const { id } = await newForum(s, opts);
    await addMember(s, id, callers.member!.accountId);
    await addMember(s, id, callers.removed!.accountId, 'member', 'removed');
    await addMember(s, id, callers.moderator!.accountId, 'moderator');
    return id;
  }

  /** Per caller: null (can't read it), else [canModerate, participationRefusal]. */
  async function seenBy(forumId: number) {
    const out = {} as Record<Caller, [boolean, string | null] | null>;
    for (const caller of CALLERS) {
      const a = await access.describe(callers[caller], forumId);
      out[caller] = a && [a.canModerate, a.participationRefusal];
    }
    return out;
  }

  it('a public forum: everyone reads; signed-in people take part, except the removed', async () => {
    await expect(seenBy(await forumWithCast({ visibility: 'public' }))).resolves.toEqual({
      anonymous: [false, 'unauthenticated'],
      stranger: [false, null],
      member: [false, null],
      removed: [false, 'removed'],
      moderator: [true, null],
      admin: [true, null],
    });
  });

  it('a members-only forum: hidden from anonymous visitors and removed members', async () => {
    await expect(seenBy(await forumWithCast({ visibility: 'members' }))).resolves.toEqual({
      anonymous: null,
      stranger: [false, null],
      member: [false, null],
      removed: null,
      moderator: [true, null],
      admin: [true, null],
    });
  });

  it('an invite-only forum: only its active members, its moderators and admins', async () => {
    await expect(seenBy(await forumWithCast({ visibility: 'invite_only' }))).resolves.toEqual({
      anonymous: null,
      stranger: null,
      member: [false, null],
      removed: null,
      moderator: [true, null],
      admin: [true, null],
    });
  });

  it('a closed forum takes part from its moderators only; an archived one from nobody', async () => {
    const closed = await seenBy(await forumWithCast({ state: 'closed' }));
    expect([closed.member, closed.stranger, closed.moderator, closed.admin]).toEqual([
      [false, 'forum_closed'], [false, 'forum_closed'], [true, null], [true, null],
    ]);
    const archived = await seenBy(await forumWithCast({ state: 'archived' }));
    expect([archived.member, archived.moderator, archived.admin]).toEqual([
      [false, 'forum_archived'], [true, 'forum_archived'], [true, 'forum_archived'],
    ]);
  });

  it('no forum: null for everyone', async () => {
    await expect(access.describe(callers.admin, 2_000_000_000)).resolves.toBeNull();
  });

  it('asked at the same moment (read together), each caller still gets its own view; an id no forum can have fails none of the others', async () => {
    const open = await forumWithCast({ visibility: 'public' });
    const invite = await forumWithCast({ visibility: 'invite_only' });
    const one = async (forumId: number) => Object.fromEntries(
      await Promise.all(CALLERS.map(async (c) => [c, await access.describe(callers[c], forumId).then((a) => a && [a.canModerate, a.participationRefusal])])),
    );
    const [together, beyond] = await Promise.all([Promise.all([one(open), one(invite)]), Promise.all([access.describe(callers.member, 2 ** 31), access.describe(null, 0)])]);
    expect(together).toEqual([await seenBy(open), await seenBy(invite)]);
    expect(beyond).toEqual([null, null]);
  });
});
