import pg from 'pg';

/**
 * The service tier's database: with DATABASE_URL, one template database per
 * run, migrated by the first service-spec file and then copied by each
 * file (CREATE DATABASE … TEMPLATE: a file copy, no migrations) into a
 * database of its own (test/support/service.ts). A schema per file would
 * not do: the migrations name `public` (the search configurations and
 * functions). Without DATABASE_URL each file starts the embedded database
 * in a fresh folder instead.
 *
 * It sets only AGORA_SERVICE_* variables, so it runs beside the e2e tier's
 * global setup (npm test runs both), whichever goes first.
 */
export default async function serviceGlobalSetup(): Promise<void> {
  process.env.DEMO_DATA = 'false';
  process.env.RATE_LIMIT_SCALE = process.env.RATE_LIMIT_SCALE ?? '1000';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'error';
  const serverUrl = process.env.AGORA_TEST_SERVER_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) return;
  const template = `agora_service_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  process.env.AGORA_SERVICE_SERVER_URL = serverUrl;
  process.env.AGORA_SERVICE_TEMPLATE = template;
  console.log(`\nservice: template database ${template} on ${new URL(serverUrl).host}`);
}
