import { get } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';
import { ensureClientBuilt } from './support/browser.js';

const ASSETS = join(import.meta.dirname, '..', 'client', 'dist', 'assets');

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** A GET that keeps the bytes as sent (fetch would decode them). */
function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('web client assets are sent precompressed', () => {
  let t: TestApp;
  let script: string;
  let plain: Buffer;
  beforeAll(async () => {
    ensureClientBuilt();
    t = await startTestApp();
    // The entry script: the biggest .js of the build, which always has both encodings.
    script = readdirSync(ASSETS)
      .filter((n) => n.endsWith('.js'))
      .sort((a, b) => readFileSync(join(ASSETS, b)).length - readFileSync(join(ASSETS, a)).length)[0];
    plain = readFileSync(join(ASSETS, script));
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it('sends brotli to a browser that accepts it, with the script type and a year of cache', async () => {
    const res = await rawGet(`${t.url}/assets/${script}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect([res.status, res.headers['content-encoding'], res.headers['content-type']]).toEqual([200, 'br', 'text/javascript; charset=utf-8']);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(plain.length / 2);
    expect(brotliDecompressSync(res.body).equals(plain)).toBe(true);
  });

  it('sends gzip when brotli is not accepted', async () => {
    const res = await rawGet(`${t.url}/assets/${script}`, { 'Accept-Encoding': 'gzip' });
    expect([res.status, res.headers['content-encoding']]).toEqual([200, 'gzip']);
    expect(gunzipSync(res.body).equals(plain)).toBe(true);
  });

  it('sends the plain file when no encoding is accepted', async () => {
    const res = await rawGet(`${t.url}/assets/${script}`, { 'Accept-Encoding': 'identity' });
    expect([res.status, res.headers['content-encoding']]).toEqual([200, undefined]);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.body.equals(plain)).toBe(true);
    const none = await rawGet(`${t.url}/assets/${script}`, {});
    expect([none.status, none.headers['content-encoding'], none.body.equals(plain)]).toEqual([200, undefined, true]);
  });

  it('does not serve a file outside the assets folder, and a missing asset is still a 404', async () => {
    const escape = await rawGet(`${t.url}/assets/..%2F..%2Fpackage.json`, { 'Accept-Encoding': 'br' });
    expect(escape.headers['content-encoding']).toBeUndefined();
    expect(escape.body.toString()).not.toContain('"name": "agora"');
    const missing = await rawGet(`${t.url}/assets/nothing-here-123.js`, { 'Accept-Encoding': 'br' });
    expect([missing.status, missing.headers['content-encoding']]).toEqual([404, undefined]);
  });
});
