import pg from 'pg';

/** Drops the run's template database (and the copies of files that stopped before dropping theirs). */
export default async function serviceGlobalTeardown(): Promise<void> {
  const serverUrl = process.env.AGORA_SERVICE_SERVER_URL;
  const template = process.env.AGORA_SERVICE_TEMPLATE;
  if (!serverUrl || !template || process.env.KEEP_TEST_DATABASE) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
