import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * With DATABASE_URL: create a fresh database for this run on that server and
 * point the tests at it (migrations are applied when the app boots).
 * Without: each test app starts the embedded database in a fresh folder.
 */
export default async function globalSetup(): Promise<void> {
  process.env.DEMO_DATA = 'false';
  // Fixtures post many replies and votes by one person in a row: the write
  // limits are raised for the suite, and the tests of those limits set the
  // product's own (RATE_LIMIT_SCALE 1) for themselves.
  process.env.RATE_LIMIT_SCALE = process.env.RATE_LIMIT_SCALE ?? '1000';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'error';
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    process.env.PGLITE_DIR = mkdtempSync(join(tmpdir(), 'agora-test-pglite-'));
    console.log(`\ne2e: no DATABASE_URL, using the embedded database in ${process.env.PGLITE_DIR}`);
    return;
  }
  const name = `agora_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.AGORA_TEST_SERVER_URL = serverUrl;
  process.env.AGORA_TEST_DATABASE = name;
  process.env.DATABASE_URL = url.toString();
  console.log(`\ne2e: fresh database ${name} on ${url.host}`);
}
