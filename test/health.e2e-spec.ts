import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';

describe('health and docs', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('reports the database as up', async () => {
    const res = await t.agent().get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const res = await t.agent().get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/sessions', '/api/questions/{id}/replies']));
    const ui = await t.agent().get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('serves the committed openapi.json, from which the client types are generated', async () => {
    const res = await t.agent().get('/api/docs-json').expect(200);
    expect(res.body).toEqual(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'openapi.json'), 'utf8')));
  });

  it('answers unknown API routes with the common error shape', async () => {
    const res = await t.agent().get('/api/no-such-thing').expect(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'not_found', message: expect.any(String) });
  });
});

describe('health when the database is down', () => {
  it('answers 503 naming the database', async () => {
    const t = await startTestApp();
    try {
      // Closing the pool makes every query fail, as an unreachable server would.
      await t.dataSource.destroy();
      const res = await t.agent().get('/api/health').expect(503);
      expect(res.body).toMatchObject({ status: 'unavailable', database: { status: 'down', error: expect.any(String) } });
    } finally {
      await t.close();
    }
  });
});
