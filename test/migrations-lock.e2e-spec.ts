import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { MIGRATIONS } from '../migrations/index.js';
import { buildIfStale, startAppProcess, type AppProcess } from './support/app-process.js';

/**
 * Two instances started at the same moment on a fresh, empty database: both
 * come up (the migrations run under an advisory lock, once).
 */
const serverUrl = process.env.AGORA_TEST_SERVER_URL;
const describeServer = serverUrl ? describe : describe.skip;

describeServer('two instances starting together on a fresh database', () => {
  const name = `agora_migrate_${Date.now()}_${process.pid}`;
  const apps: AppProcess[] = [];
  const admin = () => new pg.Client({ connectionString: serverUrl });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  it('both start, and every migration is applied once', async () => {
    buildIfStale();
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    // Line both instances up at the same moment: a transaction of ours creates the migrations
    // table and stays open, so each instance's first step waits on it; then it rolls back.
    const blocker = new pg.Client({ connectionString: url.toString() });
    await blocker.connect();
    await blocker.query(`BEGIN; CREATE TABLE migration (id serial PRIMARY KEY, "timestamp" bigint NOT NULL, name varchar NOT NULL)`);
    const starting = [0, 1].map(() => startAppProcess({ DATABASE_URL: url.toString(), REDIS_URL: '' }));
    // (Watched from another connection: within a transaction, pg_stat_activity is a snapshot.)
    const watcher = admin();
    await watcher.connect();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [name]);
      if (rows[0].n >= 2) break;
      if (Date.now() > deadline) throw new Error('the two instances never both waited on the migrations');
      await new Promise((r) => setTimeout(r, 100));
    }
    await watcher.end();
    await blocker.query('ROLLBACK');
    await blocker.end();
    const started = await Promise.allSettled(starting);
    for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
    expect(started.map((s) => (s.status === 'fulfilled' ? 'up' : String(s.reason).slice(0, 2_000)))).toEqual(['up', 'up']);
    // Up at the first attempt: TypeORM's connection retry would otherwise hide a failed migration run behind a logged error.
    for (const app of apps) expect(app.output()).not.toMatch(/Unable to connect|duplicate key|already exists/);

    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT name FROM migration ORDER BY id`);
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => (m as { name: string }).name));
    } finally {
      await db.end();
    }
  }, 180_000);
});
