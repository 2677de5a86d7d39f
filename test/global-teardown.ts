import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.AGORA_TEST_SERVER_URL;
  const name = process.env.AGORA_TEST_DATABASE;
  if (!serverUrl || !name || process.env.KEEP_TEST_DATABASE) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
