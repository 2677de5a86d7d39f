import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module.js';
import type { Actor, GlobalRole } from '../../src/common/actor.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { newAccounts, type Db } from './fixtures.js';

/**
 * The service tier: the real app's providers (AppModule, no HTTP server)
 * against a real PostgreSQL database of this file's own, so a spec calls a
 * service directly and asserts what it returned and stored.
 *
 * With DATABASE_URL the database is a copy of the run's template, migrated
 * once (test/service-global-setup.ts): made in a fraction of a second,
 * dropped by close(). Without, the embedded database starts in a fresh folder and
 * migrates, as in the e2e tier.
 */
export interface ServiceContext {
  module: TestingModule;
  dataSource: DataSource;
  /** A provider of the app, e.g. `s.get(RepliesService)`. */
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Brings the template up to date (the first file migrates it; the others
 * find nothing pending) and copies it. One file at a time: a database with
 * a connection open can't be copied.
 */
async function copyOfTemplate(serverUrl: string, template: string, database: string): Promise<void> {
  await admin(serverUrl, async (c) => {
    await c.query(`SELECT pg_advisory_lock(hashtext($1))`, [template]);
    try {
      const migrator = await new DataSource(dataSourceOptions(databaseUrl(serverUrl, template), 1)).initialize();
      try {
        await migrator.runMigrations({ transaction: 'each' });
      } finally {
        await migrator.destroy();
      }
      await c.query(`CREATE DATABASE ${database} TEMPLATE ${template}`);
    } finally {
      await c.query(`SELECT pg_advisory_unlock(hashtext($1))`, [template]);
    }
  });
}

export async function startServices(): Promise<ServiceContext> {
  const serverUrl = process.env.AGORA_SERVICE_SERVER_URL;
  const template = process.env.AGORA_SERVICE_TEMPLATE;
  const env: NodeJS.ProcessEnv = { ...process.env };
  let database: string | null = null;
  if (serverUrl && template) {
    database = `${template}_${randomUUID().slice(0, 8)}`;
    await copyOfTemplate(serverUrl, template, database);
    env.DATABASE_URL = databaseUrl(serverUrl, database);
  } else {
    delete env.DATABASE_URL;
    env.PGLITE_DIR = mkdtempSync(join(tmpdir(), 'agora-service-pglite-'));
  }
  const module = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(AppConfig)
    .useValue(loadConfig(env))
    .compile();
  module.useLogger(['error', 'warn']);
  await module.init();
  return {
    module,
    dataSource: module.get(DataSource),
    get: (type) => module.get(type),
    async close() {
      await module.close();
      if (database) await admin(serverUrl!, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}

/** `count` accounts (never signed in) and the Actor a service takes for each. */
export async function newActors(db: Db, count: number, opts: { role?: GlobalRole; label?: string } = {}): Promise<Actor[]> {
  const label = opts.label ?? `actor-${randomUUID().slice(0, 8)}`;
  const ids = await newAccounts(db, count, { label, displayName: 'Actor', role: opts.role });
  return ids.map((accountId, i) => ({ accountId, displayName: `Actor ${i + 1}`, role: opts.role ?? 'member', sessionId: `service-spec-${accountId}` }));
}
