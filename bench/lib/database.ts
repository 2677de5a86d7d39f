import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';

/** A throwaway database on the server named by DATABASE_URL, with the app's schema. */
export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function requireServerUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'Set DATABASE_URL to a real PostgreSQL server, e.g.\n' +
        '  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:threads\n' +
        'The benchmark creates its own database agora_bench_<timestamp> there and drops it at the end.',
    );
    process.exit(2);
  }
  return url;
}

async function migrate(url: string, name: string): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(url, 2)).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(`database ${name}: applied ${applied.length} migration(s)`);
  } finally {
    await dataSource.destroy();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * An existing bench database (one kept with BENCH_KEEP_DB), brought up to the
 * app's current migrations; drop() leaves it in place (drop it by hand).
 */
export async function openBenchDatabase(serverUrl: string, name: string): Promise<BenchDatabase> {
  if (!/^agora_bench_\d+$/.test(name)) throw new Error(`${name} is not a bench database name (agora_bench_<digits>)`);
  const url = databaseUrl(serverUrl, name);
  await migrate(url, name);
  return { name, url, drop: async () => undefined };
}

/** Creates agora_bench_<ts>, applies the app's migrations through its own data source options. */
export async function createBenchDatabase(serverUrl: string, suffix = ''): Promise<BenchDatabase> {
  const name = `agora_bench_${Date.now()}${suffix}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db: BenchDatabase = {
    name,
    url: databaseUrl(serverUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
  try {
    await migrate(db.url, name);
  } catch (error) {
    await db.drop().catch(() => undefined);
    throw error;
  }
  return db;
}
