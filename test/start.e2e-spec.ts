import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_ACCOUNTS } from '../src/auth/demo-accounts.js';
import { DIGITALISATION_FORUM_SLUG } from '../src/database/demo/demo-forums.js';
import { buildIfStale, startAppProcess, type AppProcess } from './support/app-process.js';

/**
 * `npm start` as a newcomer sees it: the built app on a brand-new embedded
 * database with the demo data, at the default log level. What it prints
 * before and in the banner, and that the two demo members can take part at
 * once (the "two browsers" demo).
 */
const DIGITALISATION = 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces';

describe('npm start on a fresh embedded database', () => {
  let app: AppProcess;
  let dir: string;
  let banner: string;

  beforeAll(async () => {
    buildIfStale();
    dir = mkdtempSync(join(tmpdir(), 'agora-start-'));
    app = await startAppProcess({ DATABASE_URL: '', REDIS_URL: '', PGLITE_DIR: join(dir, 'pglite'), DEMO_DATA: 'true', LOG_LEVEL: 'log' });
    // Health answers as soon as the app listens; the banner follows. Wait for its last line.
    const deadline = Date.now() + 20_000;
    while (!/invite-only forum: /.test(app.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    banner = app.output().replace(/\x1b\[[0-9;]*m/g, '');
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('says what the slow first steps are doing, without Nest’s per-module and per-route lines', () => {
    expect(banner).toMatch(/Creating the embedded database in .* \(first start only; this can take a minute\)/);
    expect(banner).toMatch(/Created the embedded database in [\d.]+ s/);
    expect(banner).toMatch(/Applied \d+ migration\(s\)/);
    expect(banner).toMatch(/Loading the demo data/);
    for (const noise of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'Mapped {', 'WebSocketsController', 'dependencies initialized']) {
      expect(banner).not.toContain(noise);
    }
    // Everything fits on one screen.
    expect(banner.split('\n').length).toBeLessThan(25);
  });

  it('lists every demo account it counts, and prints the invitation as an absolute link', async () => {
    expect(banner).toContain(`${DEMO_ACCOUNTS.length} demo accounts to sign in with`);
    for (const account of DEMO_ACCOUNTS) expect(banner).toContain(`${account.email} / ${account.password}`);
    expect(DEMO_ACCOUNTS.filter((a) => a.role === 'member' && a.key !== 'moderator')).toHaveLength(2);
    const link = banner.match(/invite-only forum: (\S+)/)?.[1];
    expect(link).toBe(`${app.url}/invite/demo-invitation-for-the-member`);
    // The link opens the web client's invitation page (or, without a client build, at least isn't a 404 from the API).
    expect((await fetch(link!)).status).toBe(200);
  });

  it('lets the two demo members reply in the digitalisation forum, each reply visible at once', async () => {
    const members = DEMO_ACCOUNTS.filter((a) => a.key === 'member' || a.key === 'member2');
    const agents = [];
    for (const m of members) {
      const agent = request.agent(app.url);
      await agent.post('/api/auth/sign-in').send({ email: m.email, password: m.password }).expect(200);
      agents.push(agent);
    }
    const session = (await agents[0].get(`/api/sessions/${DIGITALISATION}`).expect(200)).body;
    const forum = session.forums.find((f: { slug: string }) => f.slug === DIGITALISATION_FORUM_SLUG);
    const questions = (await agents[0].get(`/api/forums/${forum.id}/questions`).expect(200)).body.items;
    for (const [i, agent] of agents.entries()) {
      const res = await agent.post(`/api/questions/${questions[0].id}/replies`).send({ body: `Reply from demo member ${i + 1}` }).expect(201);
      // The forum pre-moderates newcomers' first replies; both demo members have taken part before.
      expect(res.body.reply ?? res.body).toMatchObject({ state: 'visible' });
    }
  });

  it('skips the client build when client/dist is newer than its sources', () => {
    const out = execFileSync(process.execPath, ['client/build-if-changed.mjs'], { encoding: 'utf8', timeout: 10_000 });
    expect(out).toContain('Web client: up to date');
  });
});
