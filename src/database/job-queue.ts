import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import pg, { type Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { addSource } from '../metrics/metrics.js';
import { DATABASE_LOCATION, type DatabaseLocation } from './database-location.js';

export type { Job } from 'pg-boss';

/**
 * The Postgres job queue (pg-boss), for work that must survive a crash and
 * may run on any instance: mail sends, digests, cleanups. Its schema comes
 * from a migration (1796300000001-Mail), so pg-boss starts with
 * `migrate: false`. On the embedded database (one connection) its SQL runs
 * through the app's own pool (`db` option); on a real server it gets a
 * small pool of its own. Either way its SQL goes through `executeSql` here,
 * so a stop can wait for the statements in flight. Started on first use, so
 * CLI commands never start it.
 */
@Injectable()
export class JobQueue implements OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private starting: Promise<PgBoss> | null = null;
  private readonly queues = new Set<string>();
  private defining: Promise<void> = Promise.resolve();
  private removeMetrics: (() => void) | null = null;
  /** The queue's own pool on a real server (the embedded database shares the app's). */
  private ownPool: Pool | null = null;
  /** pg-boss statements and job handlers running now. */
  private inFlight = 0;
  /** Set by the stop: a late first use (a feature still starting its workers) must not start a queue nobody stops. */
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
  ) {}

  private start(): Promise<PgBoss> {
    if (this.stopped && !this.starting) return Promise.reject(new Error('the job queue is stopped (the app is shutting down)'));
    this.starting ??= (async () => {
      const common = { schema: 'pgboss', migrate: false };
      const pool = this.location.embedded
        ? ((this.dataSource.driver as PostgresDriver).master as Pool)
        : (this.ownPool = new pg.Pool({ connectionString: this.location.url, max: 2 }));
      this.ownPool?.on('error', (error: Error) => this.logger.warn(`Job queue connection: ${error.message}`));
      const boss = new PgBoss({ ...common, db: { executeSql: (text: string, values?: unknown[]) => this.track(pool.query(text, values)) } });
      boss.on('error', (error: Error) => this.logger.warn(`Job queue: ${error.message}`));
      await boss.start();
      this.removeMetrics = addSource('jobs', async () =>
        Object.fromEntries(await Promise.all([...this.queues].map(async (name) => [name, await boss.getQueueSize(name)] as const))),
      );
      return boss;
    })();
    return this.starting;
  }

  private async queue(name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<PgBoss> {
    const boss = await this.start();
    // One definition at a time: creating a queue is DDL (its partition), and two at once deadlock.
    const run = this.defining.then(async () => {
      if (this.queues.has(name)) return;
      // The queue's options live in the database: apply this instance's (the settings may have changed since it was created).
      if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
      else await boss.createQueue(name, { name, ...options });
      this.queues.add(name);
    });
    this.defining = run.catch(() => undefined);
    await run;
    return boss;
  }

  /** Declares a queue (policy, retries), or brings an existing one's options up to date; safe on every instance. */
  async define(name: string, options: Omit<PgBoss.Queue, 'name'> = {}): Promise<void> {
    await this.queue(name, options);
  }

  /** Queues a job; returns its id, or null when the queue's policy dropped it (e.g. one already waiting for the same key). */
  async send(name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    const boss = await this.start();
    return boss.send(name, data, options);
  }

  /**
   * Queues a job inside the caller's transaction (pg-boss's `db` option runs
   * its insert on the transaction's connection): it exists exactly when the
   * transaction commits, so a crash after the commit loses no job. The
   * queue must be declared first (`define`), outside the transaction.
   */
  async sendIn(m: EntityManager, name: string, data: object, options: PgBoss.SendOptions = {}): Promise<string | null> {
    const runner = m.queryRunner;
    if (!runner?.isTransactionActive) throw new Error(`sendIn(${name}) needs a transaction's EntityManager`);
    const boss = await this.start();
    const db = { executeSql: async (text: string, values: unknown[]) => ({ rows: (await runner.query(text, values, true)).records }) };
    return boss.send(name, data, { ...options, db });
  }

  /** Runs jobs of a queue on this instance. */
  async work<T extends object>(name: string, options: PgBoss.WorkOptions, handler: (job: PgBoss.JobWithMetadata<T>) => Promise<void>): Promise<void> {
    // Counted while it registers, so a stop waits for the worker to exist (a worker registered while
    // pg-boss stops is missed by its stop and polls on after the app is gone).
    await this.track((async () => {
      const boss = await this.start();
      await boss.work<T>(name, { ...options, includeMetadata: true }, (jobs) =>
        this.track((async () => {
          for (const job of jobs) await handler(job);
        })()),
      );
    })());
  }

  /** A cron schedule for a queue (pg-boss runs it once across instances). */
  async schedule(name: string, cron: string, data: object = {}): Promise<void> {
    const boss = await this.start();
    await boss.schedule(name, cron, data, { tz: 'UTC' });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.removeMetrics?.();
    if (!this.starting) return;
    const boss = await this.starting.catch(() => null);
    // Workers being registered now (a feature starting its queues as the app closes) first.
    if (!(await this.settled(3_000))) this.logger.warn(`Stopping the job queue: ${this.inFlight} registration(s), statement(s) or job(s) still running after 3 s`);
    if (boss) await boss.stop({ graceful: true, wait: true, timeout: 5_000 }).catch((e: Error) => this.logger.warn(`Stopping the job queue: ${e.message}`));
    // pg-boss's stop can return while a worker is still inside a fetch; its
    // stop loop then polls each second and loads a timer module lazily, after
    // the app (or a test file's environment) is gone. Waiting until nothing
    // of ours runs lets every worker end first.
    const ok = await this.settled(3_000);
    if (!ok) this.logger.warn(`Stopping the job queue: ${this.inFlight} statement(s) or job(s) still running after 3 s`);
    await this.ownPool?.end().catch((e: Error) => this.logger.warn(`Closing the job queue's connections: ${e.message}`));
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight++;
    return work.finally(() => this.inFlight--);
  }

  /** True once nothing has run for two polls in a row (a fetch's result can start a handler a tick later). */
  private async settled(limitMs: number): Promise<boolean> {
    const until = Date.now() + limitMs;
    let quiet = 0;
    while (Date.now() < until) {
      quiet = this.inFlight === 0 ? quiet + 1 : 0;
      if (quiet >= 2) return true;
      await sleep(20);
    }
    return this.inFlight === 0;
  }
}
