import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { recordForumActs, recordQaAct } from '../src/audit/audit-record.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion } from './support/fixtures.js';
import { newOpenQa } from './support/live-qa.js';
import { signedIn } from './support/people.js';

/**
 * One audit record (issue 11): forum moderation and live Q&A acts land in
 * audit_record, each in its own stream, and the migration that made it moves
 * the rows of the two old tables (ids, order, times, every field) and back.
 */
describe('the audit record', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds a forum moderator\'s act and a live Q&A moderator\'s act, each in its stream, and each feature reads its own', async () => {
    const forum = await newForum(t);
    const { account: moderator, agent } = await signedIn(t, { displayName: 'Forum Moderator' });
    await addMember(t, forum.id, moderator.id, 'moderator');
    const question = await newQuestion(t, forum.id);
    await agent.post('/api/moderation/acts').send({ act: 'question.pin', questionId: question.id }).expect(200);

    const { session, mod, moderator: qaModerator } = await newOpenQa(t);
    const asked = (await mod.post(`/api/sessions/${session.id}/qa/questions`).send({ body: 'Who keeps the data?' }).expect(201)).body;
    await mod.post(`/api/qa/questions/${asked.id}/moderate`).send({ action: 'answer' }).expect(200);

    const rows = await t.dataSource.query(
      `SELECT id, stream, forum_id, session_id, actor_id, act, target_kind, target_id, question_id, live_question_id
         FROM audit_record WHERE forum_id = $1 OR session_id = $2 ORDER BY id`,
      [forum.id, session.id],
    );
    expect(rows).toEqual([
      { id: expect.any(String), stream: 'forum', forum_id: forum.id, session_id: null, actor_id: moderator.id, act: 'question.pin', target_kind: 'question', target_id: String(question.id), question_id: question.id, live_question_id: null },
      { id: expect.any(String), stream: 'live_qa', forum_id: null, session_id: session.id, actor_id: qaModerator.id, act: 'open', target_kind: null, target_id: null, question_id: null, live_question_id: null },
      { id: expect.any(String), stream: 'live_qa', forum_id: null, session_id: session.id, actor_id: qaModerator.id, act: 'answer', target_kind: null, target_id: null, question_id: null, live_question_id: asked.id },
    ]);
    expect((await t.dataSource.query(`SELECT to_regclass('moderation_action') AS a, to_regclass('live_qa_action') AS b`))[0]).toEqual({ a: null, b: null });

    // Each feature's record is read from there: the forum's lists its act only, the Q&A's its own.
    const forumRecord = (await agent.get(`/api/forums/${forum.id}/moderation/actions`).expect(200)).body;
    expect(forumRecord.items.map((a: { id: string; act: string }) => [a.id, a.act])).toEqual([[rows[0].id, 'question.pin']]);
    const qaRecord = (await mod.get(`/api/sessions/${session.id}/qa/actions`).expect(200)).body;
    expect(qaRecord.items.map((a: { id: number; action: string; questionId: number | null }) => [a.id, a.action, a.questionId])).toEqual([
      [Number(rows[2].id), 'answer', asked.id],
      [Number(rows[1].id), 'open', null],
    ]);
  });
});

// A scratch database of its own on the test server (the embedded database serves one app only).
const serverUrl = process.env.AGORA_TEST_SERVER_URL;
const describeServer = serverUrl ? describe : describe.skip;

describeServer('the AuditRecord migration', () => {
  const name = `agora_audit_${Date.now()}_${process.pid}`;
  const url = serverUrl ? Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString() : '';
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const connect = (migrations: typeof MIGRATIONS) => new DataSource({ ...dataSourceOptions(url, 2), migrations }).initialize();
  let db: DataSource | null = null;

  beforeAll(() => admin(`CREATE DATABASE ${name}`));
  afterAll(async () => {
    await db?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('moves both tables\' rows into audit_record with their ids, times and fields, and down moves them back', async () => {
    const previous = MIGRATIONS.slice(0, -1);
    expect((MIGRATIONS.at(-1) as unknown as { name: string }).name).toBe('AuditRecord1796740000000');
    db = await connect(previous);
    await db.runMigrations({ transaction: 'each' });
    const q = (sql: string, params: unknown[] = []) => db!.query(sql, params);

    const [actor] = await q(`INSERT INTO account (email, display_name, password_hash) VALUES ('mod@example.org', 'Mod', 'x') RETURNING id`);
    const [author] = await q(`INSERT INTO account (email, display_name, password_hash) VALUES ('author@example.org', 'Author', 'x') RETURNING id`);
    const [session] = await q(`INSERT INTO session (slug, kind, title, organiser) VALUES ('s', 'webinar', 'S', 'Hub') RETURNING id`);
    const [forum] = await q(`INSERT INTO forum (session_id, slug, title, visibility) VALUES ($1, 'f', 'F', 'public') RETURNING id`, [session.id]);
    await q(`INSERT INTO live_qa (session_id) VALUES ($1)`, [session.id]);
    const [liveQuestion] = await q(`INSERT INTO live_question (session_id, asker_id, body, state) VALUES ($1, $2, 'Why?', 'pending') RETURNING id`, [session.id, author.id]);
    const [poll] = await q(`INSERT INTO live_poll (session_id, kind, prompt) VALUES ($1, 'rating', 'Rate it') RETURNING id`, [session.id]);
    const forumRow = (act: string, at: string, extra: Record<string, unknown> = {}) =>
      q(
        `INSERT INTO moderation_action (forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [forum.id, actor.id, act, extra.targetKind ?? 'reply', extra.targetId ?? '17', extra.questionId ?? 5, extra.targetAuthorId ?? author.id,
          extra.reason ?? null, extra.before ?? null, extra.after ?? null, at],
      );
    await forumRow('reply.hide', '2026-01-01T10:00:00Z', { reason: 'Spam', before: '{"state":"visible"}', after: '{"state":"hidden"}' });
    await forumRow('reply.unhide', '2026-01-01T10:01:00Z');
    await forumRow('member.silence', '2026-01-01T10:02:00Z', { targetKind: 'account', targetId: author.id, questionId: null, reason: 'Rude' });
    await q(`DELETE FROM moderation_action WHERE act = 'reply.unhide'`); // a gap in the ids, which must stay
    const qaRow = (action: string, at: string, extra: Record<string, unknown> = {}) =>
      q(
        `INSERT INTO live_qa_action (session_id, question_id, poll_id, actor_id, action, before, after, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [session.id, extra.questionId ?? null, extra.pollId ?? null, extra.actorId === undefined ? actor.id : extra.actorId, action,
          extra.before ?? null, extra.after ?? null, extra.reason ?? null, at],
      );
    await qaRow('open', '2026-01-01T09:00:00Z', { after: '{"state":"open"}' });
    await qaRow('dismiss', '2026-01-01T09:05:00Z', { questionId: liveQuestion.id, before: '{"state":"pending"}', after: '{"state":"dismissed"}', reason: 'Off topic' });
    await qaRow('poll_launch', '2026-01-01T09:06:00Z', { pollId: poll.id, before: '"draft"', after: 'null', actorId: null });
    await qaRow('hand_over', '2026-01-01T09:07:00Z', { after: '{"created":[]}' });

    const oldForum = await q(`SELECT * FROM moderation_action ORDER BY id`);
    const oldQa = await q(`SELECT * FROM live_qa_action ORDER BY id`);
    expect(oldForum.map((r: { id: string }) => r.id)).toEqual(['1', '3']);
    expect(oldQa.map((r: { id: string }) => r.id)).toEqual(['1', '2', '3', '4']);
    await db.destroy();

    // Up: every row, with every field, in its stream.
    db = await connect(MIGRATIONS);
    expect((await db.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['AuditRecord1796740000000']);
    const forumStream = () =>
      q(`SELECT id, forum_id, actor_id, act, target_kind, target_id, question_id, target_author_id, reason, before, after, created_at
           FROM audit_record WHERE stream = 'forum' ORDER BY id`);
    const qaStream = () =>
      q(`SELECT id, session_id, live_question_id AS question_id, actor_id, act AS action, before, after, reason, created_at, poll_id
           FROM audit_record WHERE stream = 'live_qa' ORDER BY id`);
    expect(await forumStream()).toEqual(oldForum);
    expect(await qaStream()).toEqual(oldQa);
    expect((await q(`SELECT to_regclass('moderation_action') AS a, to_regclass('live_qa_action') AS b`))[0]).toEqual({ a: null, b: null });
    expect((await q(`SELECT count(*)::int AS n FROM audit_record WHERE forum_id IS NOT NULL AND session_id IS NOT NULL`))[0].n).toBe(0);

    // New acts take ids past both old tables', in one sequence.
    const [newForumId] = await recordForumActs(db.manager, forum.id, actor.id, [{ act: 'question.pin', targetKind: 'question', targetId: 5, questionId: 5 }]);
    await recordQaAct(db.manager, { sessionId: session.id, actorId: actor.id, action: 'close', before: { state: 'open' }, after: { state: 'closed' } });
    const [newQa] = await q(`SELECT id FROM audit_record WHERE stream = 'live_qa' AND act = 'close'`);
    expect([newForumId, newQa.id]).toEqual(['5', '6']);
    const nowForum = await forumStream();
    const nowQa = await qaStream();

    // Down: the two tables again, with every row (the new ones too) and the constraint names earlier downs drop.
    await db.undoLastMigration({ transaction: 'each' });
    expect((await q(`SELECT to_regclass('audit_record') AS t`))[0].t).toBeNull();
    expect(await q(`SELECT * FROM moderation_action ORDER BY id`)).toEqual(nowForum);
    expect(await q(`SELECT * FROM live_qa_action ORDER BY id`)).toEqual(nowQa);
    const constraints = await q(`SELECT conname FROM pg_constraint WHERE conname IN ('moderation_action_act_check', 'live_qa_action_action_check') ORDER BY conname`);
    expect(constraints.map((c: { conname: string }) => c.conname)).toEqual(['live_qa_action_action_check', 'moderation_action_act_check']);
    // Their ids go on after the rows moved back.
    const [afterDown] = await q(
      `INSERT INTO moderation_action (forum_id, actor_id, act, target_kind, target_id) VALUES ($1, $2, 'question.unpin', 'question', '5') RETURNING id`,
      [forum.id, actor.id],
    );
    expect(afterDown.id).toBe('6');

    // And up again.
    expect((await db.runMigrations({ transaction: 'each' })).map((m) => m.name)).toEqual(['AuditRecord1796740000000']);
    expect((await forumStream()).map((r: { id: string; act: string }) => [r.id, r.act])).toEqual([['1', 'reply.hide'], ['3', 'member.silence'], ['5', 'question.pin'], ['6', 'question.unpin']]);
    expect((await qaStream()).map((r: { id: string; action: string }) => [r.id, r.action])).toEqual([['1', 'open'], ['2', 'dismiss'], ['3', 'poll_launch'], ['4', 'hand_over'], ['6', 'close']]);
  }, 120_000);
});
