import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The row types of typed SQL (src/database/schema.ts) are generated from the
 * migrated schema: this fails when a migration changed a table and
 * `npm run schema:generate` was not run after it.
 */
const describeServer = process.env.DATABASE_URL ? describe : describe.skip;

describeServer('the typed schema', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(); // applies the migrations
  });
  afterAll(() => t.close());

  it('matches the migrated database', () => {
    const run = spawnSync('npm', ['run', '--silent', 'schema:generate', '--', '--verify', '--url', process.env.DATABASE_URL!, '--log-level', 'error'], {
      encoding: 'utf8',
    });
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: expect.any(String) });
  });
});
