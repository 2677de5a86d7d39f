import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_ACCOUNTS } from '../src/auth/demo-accounts.js';
import { AppConfig } from '../src/config/app-config.js';
import type { DatabaseLocation } from '../src/database/database.module.js';
import { DEMO_CATALOGUE } from '../src/database/demo/catalogue.js';
import { DemoDataService } from '../src/database/demo/demo-data.service.js';
import { DEMO_FORUMS, demoInvitationToken, DIGITALISATION_FORUM_SLUG } from '../src/database/demo/demo-forums.js';
import { DEMO_LIVE_QA_SESSION } from '../src/database/demo/demo-live-qa.js';
import { DemoBootstrap } from '../src/database/demo/demo.module.js';
import { seedDemoCommand } from '../src/database/demo/seed-demo.command.js';
import { startTestApp, type TestApp } from './support/app.js';
import { signedIn, signIn } from './support/people.js';

// The embedded database (no DATABASE_URL) starts and migrates in a few seconds, and runs transactions one at a time.

/**
 * The seed text lives beside the repository (../shared), not in it: a clone
 * elsewhere (e.g. CI's) may not have it. The cross-check below then skips
 * with a message; the catalogue's own tests still run.
 */
const SEED_FILE = process.env.AGORA_SEED_FILE ?? resolve(process.cwd(), '../shared/seed/000_44f4cfd7f46d3fd4.txt');
const seedAvailable = existsSync(SEED_FILE);
if (!seedAvailable) console.warn(`\n*** SKIPPING the seed cross-check: ${SEED_FILE} is not here (set AGORA_SEED_FILE to check against it).\n`);
const DIGITALISATION = 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces';

/** Session titles in the seed text: each is a line repeated as the next non-blank line. */
function seedTitles(text: string): string[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.filter((line, i) => i + 1 < lines.length && lines[i + 1] === line && line.length < 120);
}

const normalise = (s: string) => s.replace(/[\u2018\u2019]/g, "'").toLowerCase();

async function counts(t: TestApp) {
  const [row] = await t.dataSource.query(
    `SELECT (SELECT count(*) FROM session)::int AS sessions, (SELECT count(*) FROM forum)::int AS forums,
            (SELECT count(*) FROM question)::int AS questions, (SELECT count(*) FROM reply)::int AS replies,
            (SELECT count(*) FROM reply_vote)::int AS votes, (SELECT count(*) FROM account)::int AS accounts,
            (SELECT count(*) FROM invitation)::int AS invitations, (SELECT count(*) FROM reply_flag)::int AS flags,
            (SELECT count(*) FROM audit_record WHERE stream = 'forum')::int AS actions`,
  );
  return row as Record<string, number>;
}

describe('demo data', () => {
  let t: TestApp;
  let demo: DemoDataService;
  let firstLoad: Awaited<ReturnType<DemoDataService['load']>>;

  beforeAll(async () => {
    t = await startTestApp();
    demo = t.app.get(DemoDataService);
    // Other spec files share this database, but none loads the demo catalogue.
    const [present] = await t.dataSource.query(`SELECT count(*)::int AS n FROM session WHERE slug = ANY($1)`, [DEMO_CATALOGUE.map((s) => s.slug)]);
    expect(present.n).toBe(0);
    expect(await demo.signInHints()).toEqual([]);
    firstLoad = await demo.load();
  });
  afterAll(async () => { await t.close(); });

  (seedAvailable ? it : it.skip)('covers every session of the seed text, once', () => {
    const titles = seedTitles(readFileSync(SEED_FILE, 'utf8'));
    expect(titles).toHaveLength(18);
    expect(DEMO_CATALOGUE.map((s) => normalise(s.title)).sort()).toEqual(titles.map(normalise).sort());
    expect(new Set(DEMO_CATALOGUE.map((s) => s.slug)).size).toBe(DEMO_CATALOGUE.length);
  });

  it('loads the whole catalogue, with dates, documents and organisers', async () => {
    expect(firstLoad).toMatchObject({ loaded: true, counts: { sessions: 18, forums: DEMO_FORUMS.length } });
    const rows: { slug: string; kind: string; organiser: string; dates: number }[] = await t.dataSource.query(
      `SELECT s.slug, s.kind, s.organiser, (SELECT count(*)::int FROM session_date d WHERE d.session_id = s.id) AS dates
       FROM session s WHERE s.slug = ANY($1)`,
      [DEMO_CATALOGUE.map((s) => s.slug)],
    );
    expect(rows).toHaveLength(18);
    for (const row of rows) expect(row.dates).toBeGreaterThanOrEqual(1);
    const bySlug = Object.fromEntries(rows.map((r) => [r.slug, r]));
    expect(bySlug['post-pandemic-cities-challenges-and-opportunities']).toMatchObject({ kind: 'training_workshop', organiser: 'Metropolis International Training Institute Cairo' });
    expect(bySlug['fighting-urban-inequalities'].kind).toBe('series');

    const digital = (await t.agent().get(`/api/sessions/${DIGITALISATION}`).expect(200)).body;
    expect(digital).toMatchObject({ kind: 'webinar', languages: ['en', 'es', 'fr'], state: 'ended', dates: [{ startsAt: '2021-05-17T13:00:00.000Z' }] });
    expect(digital.cities).toEqual(expect.arrayContaining(['Brussels', 'Grand Paris', 'Córdoba', 'Toronto', 'Harare', 'Nouakchott', 'Belo Horizonte']));
    expect(digital.documents.filter((d: { kind: string }) => d.kind === 'concept_note').map((d: { language: string }) => d.language)).toEqual(['en', 'es', 'fr']);
    expect(digital.documents.every((d: { url: string }) => d.url.startsWith('https://www.metropolis.org/'))).toBe(true);
    // The members-only forum is not shown to anonymous visitors.
    expect(digital.forums).toEqual([]);

    const mapping = (await t.agent().get('/api/sessions/mapping-a-green-future-urban-planning-under-the-park-city-initiative').expect(200)).body;
    expect(mapping.dates.map((d: { startsAt: string }) => d.startsAt.slice(0, 10))).toEqual(['2021-05-20', '2021-05-21']);
    const facets = (await t.agent().get('/api/sessions/facets').query({ organiser: 'Metropolis Learning Hub Chengdu' }).expect(200)).body;
    expect(facets.total).toBe(2);
  });

  it('opens the digitalisation forum to signed-in members, with its questions and nested threads', async () => {
    const member = await signIn(t, 'member@agora.example', 'agora-member');
    const detail = (await member.get(`/api/sessions/${DIGITALISATION}`).expect(200)).body;
    const forum = detail.forums.find((f: { slug: string }) => f.slug === DIGITALISATION_FORUM_SLUG);
    expect(forum).toMatchObject({ title: 'Learning forum on digitalisation', visibility: 'members', state: 'open' });
    expect(forum.questionCount).toBeGreaterThanOrEqual(4);
    expect(forum.questionCount).toBeLessThanOrEqual(6);

    // Only visible replies count (not the hidden one, nor the one awaiting approval).
    const [actual] = await t.dataSource.query(
      `SELECT (count(*) FILTER (WHERE state = 'visible'))::int AS n, max(depth)::int AS depth FROM reply WHERE forum_id = $1`,
      [forum.id],
    );
    expect(forum.replyCount).toBe(actual.n);
    expect(actual.depth).toBeGreaterThanOrEqual(4);
    const view = (await member.get(`/api/forums/${forum.id}`).expect(200)).body;
    expect(view.viewer).toMatchObject({ role: 'member', canPost: true });
    const moderator = await signIn(t, 'moderator@agora.example', 'agora-moderator');
    expect((await moderator.get(`/api/forums/${forum.id}`).expect(200)).body.viewer).toMatchObject({ role: 'moderator', canModerate: true });
    await t.agent().get(`/api/forums/${forum.id}`).expect(404);

    // Paths are parent path + own id (8 base-36 digits), depth matches, and counts agree with the rows.
    const rows: { id: string; parent_id: string | null; path: string; depth: number; parent_path: string | null; parent_depth: number | null }[] =
      await t.dataSource.query(
        `SELECT r.id, r.parent_id, r.path, r.depth, p.path AS parent_path, p.depth AS parent_depth
         FROM reply r LEFT JOIN reply p ON p.id = r.parent_id WHERE r.forum_id = $1`,
        [forum.id],
      );
    for (const r of rows) {
      expect(r.path).toBe((r.parent_path ?? '') + BigInt(r.id).toString(36).padStart(8, '0'));
      expect(r.depth).toBe((r.parent_depth ?? 0) + 1);
    }
    const [mismatch] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM reply r WHERE r.forum_id = $1 AND (
         r.vote_count <> (SELECT count(*) FROM reply_vote v WHERE v.reply_id = r.id)
         OR r.child_count <> (SELECT count(*) FROM reply c WHERE c.parent_id = r.id AND c.state IN ('visible', 'hidden', 'deleted') AND NOT c.withheld))`,
      [forum.id],
    );
    expect(mismatch.n).toBe(0);

    // The thread reads in tree order through the discussions API; replies are in several languages.
    const questions = (await member.get(`/api/forums/${forum.id}/questions`).expect(200)).body.items;
    const thread = (await member.get(`/api/questions/${questions[0].id}/replies`).query({ limit: 100 }).expect(200)).body.items;
    expect(thread.length).toBe(questions[0].replyCount);
    expect(thread.map((r: { depth: number }) => r.depth).slice(0, 4)).toEqual([1, 2, 3, 4]);
    const [languages] = await t.dataSource.query(
      `SELECT bool_or(body_source LIKE '%En Córdoba%') AS es, bool_or(body_source LIKE '%Même constat%') AS fr FROM reply WHERE forum_id = $1`,
      [forum.id],
    );
    expect(languages).toEqual({ es: true, fr: true });
  });

  it('shows the demo moderator a hidden reply, a flagged one and one awaiting approval, each in its place for the member', async () => {
    const member = await signIn(t, 'member@agora.example', 'agora-member');
    const moderator = await signIn(t, 'moderator@agora.example', 'agora-moderator');
    // The slug is unique per session only (other specs make forums with the same slug): find it through the demo session.
    const [{ id: forumId }] = await t.dataSource.query(
      `SELECT f.id FROM forum f JOIN session s ON s.id = f.session_id WHERE f.slug = $1 AND s.slug = $2`,
      [DIGITALISATION_FORUM_SLUG, DIGITALISATION],
    );
    const [{ id: julienId }] = await t.dataSource.query(`SELECT id FROM account WHERE email = 'julien.peeters@demo.agora.example'`);
    const questions: { id: number; title: string; replyCount: number; synthesis: { html: string; author: { displayName: string } } | null }[] =
      (await member.get(`/api/forums/${forumId}/questions`).expect(200)).body.items;
    const asked = (words: string) => questions.find((q) => q.title.includes(words))!;
    const thread = async (who: typeof member, questionId: number) =>
      (await who.get(`/api/questions/${questionId}/replies`).query({ limit: 100 }).expect(200)).body.items as
        { id: string; state: string; stateReason: string | null; bodyHtml: string | null; bodySource?: string | null; author: { id: string } }[];

    // What the member sees first is untouched: the pinned question has no moderated reply.
    expect((await thread(member, questions[0].id)).every((r) => r.state === 'visible')).toBe(true);

    // The moderators' queue: the flagged reply (two open flags, below the threshold) and the one awaiting approval.
    const queue = (await moderator.get(`/api/forums/${forumId}/moderation/queue`).expect(200)).body.items;
    expect(queue.map((i: { kind: string }) => i.kind).sort()).toEqual(['flags', 'pending']);
    const flagged = queue.find((i: { kind: string }) => i.kind === 'flags');
    expect(flagged.reply).toMatchObject({ state: 'visible', bodySource: expect.stringContaining('prueba gratuita') });
    expect(flagged.flags).toHaveLength(2);
    expect(flagged.counts).toEqual({ spam: 1, off_topic: 0, abusive: 0, other: 1 });
    const pending = queue.find((i: { kind: string }) => i.kind === 'pending');
    expect(pending.reply).toMatchObject({ state: 'pending', author: { id: julienId } });
    const settings = (await member.get(`/api/forums/${forumId}/moderation/settings`).expect(200)).body;
    expect(settings).toMatchObject({ premoderation: false, premoderateFirstReplies: 1 });
    expect((await member.get(`/api/forums/${forumId}/moderation/queue`).expect(403)).body.code).toBe('not_moderator');

    // The flagged reply stays in place for the member.
    const coordination = asked('coordinate');
    expect((await thread(member, coordination.id)).find((r) => r.id === flagged.reply.id)).toMatchObject({ state: 'visible' });

    // The reply awaiting approval: absent for the member, there for the moderator; not counted.
    const divide = asked('digital divide');
    const memberDivide = await thread(member, divide.id);
    expect(memberDivide.map((r) => r.id)).not.toContain(pending.reply.id);
    expect(memberDivide).toHaveLength(divide.replyCount);
    expect((await thread(moderator, divide.id)).map((r) => r.id)).toContain(pending.reply.id);
    await member.get(`/api/replies/${pending.reply.id}`).expect(404);
    expect(divide.synthesis).toMatchObject({ html: expect.stringContaining('Devices first'), author: { displayName: 'Li Wei (demo moderator)' } });

    // The hidden reply: a placeholder with the reason for the member, the text for the moderator; not counted, children count it.
    const privacy = asked('privacy');
    const memberPrivacy = await thread(member, privacy.id);
    const hidden = memberPrivacy.find((r) => r.state === 'hidden')!;
    expect(hidden).toMatchObject({ bodyHtml: null, stateReason: expect.stringContaining('name and home address') });
    expect(JSON.stringify(memberPrivacy)).not.toContain('Ana Costa');
    expect(memberPrivacy.filter((r) => r.state === 'visible')).toHaveLength(privacy.replyCount);
    expect(memberPrivacy).toHaveLength(privacy.replyCount + 1);
    expect((await moderator.get(`/api/replies/${hidden.id}`).expect(200)).body.reply).toMatchObject({ state: 'hidden', bodyHtml: expect.stringContaining('Ana Costa') });

    // The record lists the hide as the real act writes it (and the synthesis, and the rule for newcomers).
    const record = (await moderator.get(`/api/forums/${forumId}/moderation/actions`).expect(200)).body.items;
    expect(record.map((a: { act: string }) => a.act).sort()).toEqual(['forum.settings', 'question.synthesis', 'reply.hide']);
    expect(record.find((a: { act: string }) => a.act === 'reply.hide')).toMatchObject({
      actor: { displayName: 'Li Wei (demo moderator)' }, targetKind: 'reply', targetId: hidden.id, questionId: privacy.id,
      reason: hidden.stateReason, before: { state: 'visible', stateReason: null }, after: { state: 'hidden', stateReason: hidden.stateReason },
    });
    const removals = (await member.get(`/api/forums/${forumId}/moderation/removals`).expect(200)).body;
    expect(removals.totals).toEqual([{ act: 'reply.hide', count: 1 }]);

    // Every question's count is exactly its visible replies.
    const [wrong] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM question q WHERE q.forum_id = $1 AND
         (SELECT COALESCE(sum(reply_count), 0) FROM thread_counter c WHERE c.question_id = q.id) <> (SELECT count(*) FROM reply r WHERE r.question_id = q.id AND r.state = 'visible')`,
      [forumId],
    );
    expect(wrong.n).toBe(0);

    // The seeded items are real work for the real acts: approving the reply counts it and takes it out of the queue.
    const approved = (await moderator.post('/api/moderation/acts').send({ act: 'reply.approve', replyId: pending.reply.id }).expect(200)).body;
    expect(approved.actions).toEqual([expect.objectContaining({ act: 'reply.approve', before: { state: 'pending', stateReason: null } })]);
    const after = (await member.get(`/api/forums/${forumId}/questions`).expect(200)).body.items;
    expect(after.find((q: { id: number }) => q.id === divide.id).replyCount).toBe(divide.replyCount + 1);
    expect((await moderator.get(`/api/forums/${forumId}/moderation/queue`).expect(200)).body.items.map((i: { kind: string }) => i.kind)).toEqual(['flags']);
  });

  it("opens one session's live Q&A with a few questions, one on screen, guests welcome", async () => {
    const qa = (await t.agent().get(`/api/sessions/${DEMO_LIVE_QA_SESSION}/qa`).expect(200)).body;
    expect(qa).toMatchObject({ state: 'open', sessionState: 'live', allowGuests: true, highlighted: { body: expect.stringContaining('cycle lane') } });
    const items = (await t.agent().get(`/api/sessions/${DEMO_LIVE_QA_SESSION}/qa/questions`).expect(200)).body.items;
    expect(items.map((q: { voteCount: number }) => q.voteCount)).toEqual([4, 3, 2, 1]);
    expect(items.find((q: { anonymous: boolean }) => q.anonymous).asker).toBeNull();
    expect(items.find((q: { state: string }) => q.state === 'answered').answeredOffset).toBe('12:00');
  });

  it('has a public forum and an invite-only one, with a pending invitation for the demo member', async () => {
    const mobility = (await t.agent().get('/api/sessions/sustainable-urban-mobility').expect(200)).body;
    expect(mobility.forums).toEqual([expect.objectContaining({ visibility: 'public', questionCount: 2 })]);
    const member = await signIn(t, 'member@agora.example', 'agora-member');
    const token = demoInvitationToken('member');
    const preview = (await t.agent().post('/api/invitations/preview').send({ token }).expect(200)).body;
    expect(preview).toMatchObject({ status: 'pending', forum: { visibility: 'invite_only' } });
    await member.get(`/api/forums/${preview.forum.id}`).expect(404);
    // Addressed to the demo member: nobody else can use it.
    const admin = await signIn(t, 'admin@agora.example', 'agora-admin');
    expect((await admin.post('/api/invitations/accept').send({ token }).expect(403)).body.code).toBe('invitation_for_someone_else');
    await member.post('/api/invitations/accept').send({ token }).expect(200);
    await member.get(`/api/forums/${preview.forum.id}`).expect(200);
  });

  it('gives the banner the demo sign-in details', async () => {
    const hints = await demo.signInHints();
    expect(hints).toHaveLength(DEMO_ACCOUNTS.length);
    for (const account of DEMO_ACCOUNTS) expect(hints.join('\n')).toContain(`${account.email} / ${account.password}`);
  });

  it('does nothing when loaded again', async () => {
    const before = await counts(t);
    const again = await demo.load();
    expect(again.loaded).toBe(false);
    expect(again.message).toMatch(/already/);
    expect(await counts(t)).toEqual(before);
  });

  it('seed:demo refuses a database with real accounts unless --force', async () => {
    await signedIn(t);
    const before = await counts(t);
    await expect(seedDemoCommand.run(t.app, {})).rejects.toThrow(/--force/);
    await expect(seedDemoCommand.run(t.app, { force: true })).resolves.toBeUndefined();
    expect(await counts(t)).toEqual(before);
  });

  it('loads automatically only on a fresh embedded database with DEMO_DATA on', async () => {
    const calls: string[] = [];
    const fake = { load: async () => { calls.push('load'); return { loaded: true, message: '' }; }, isEmpty: async () => false } as unknown as DemoDataService;
    const config = (demoData: boolean) => Object.assign(new AppConfig(), { DEMO_DATA: demoData });
    const location = (fresh: boolean | null): DatabaseLocation => ({ url: 'postgres://x', embedded: fresh === null ? null : { url: 'postgres://x', fresh, stop: async () => {} } });
    await new DemoBootstrap(config(true), location(null), fake).onApplicationBootstrap();
    await new DemoBootstrap(config(false), location(true), fake).onApplicationBootstrap();
    await new DemoBootstrap(config(true), location(false), fake).onApplicationBootstrap();
    expect(calls).toEqual([]);
    await new DemoBootstrap(config(true), location(true), fake).onApplicationBootstrap();
    expect(calls).toEqual(['load']);
  });
});
