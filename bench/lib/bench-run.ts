import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startApp, type AppProcess } from './app-process.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';

/**
 * What one benchmark run owns: its fresh database and a small pool on it,
 * the app, child processes (servers, workers) and the memory-probe files;
 * `release` lets them all go, also on Ctrl-C.
 */
export class BenchRun {
  db: BenchDatabase | undefined;
  pool: pg.Pool | undefined;
  app: AppProcess | undefined;
  private readonly processes: { kill(): unknown }[] = [];
  private readonly files: string[] = [];

  constructor(private readonly name: string) {
    process.once('SIGINT', () => void this.release().finally(() => process.exit(130)));
  }

  /** A fresh database with the app's schema (see database.ts), and a pool of 4 on it. */
  async createDatabase(serverUrl: string): Promise<{ db: BenchDatabase; pool: pg.Pool }> {
    const db = (this.db = await createBenchDatabase(serverUrl));
    const pool = (this.pool = new pg.Pool({ connectionString: db.url, max: 4 }));
    // An idle client dropped by the server must not end the run (the pool makes a new one when asked).
    pool.on('error', (error) => console.warn(`!! bench pool: ${error.message}`));
    return { db, pool };
  }

  async startApp(extraEnv: Record<string, string> = {}): Promise<AppProcess> {
    this.app = await startApp(this.db!.url, extraEnv);
    return this.app;
  }

  /** A file path for the memory probe of one server process (removed with its companions at the end). */
  probeFile(server: string): string {
    const file = join(os.tmpdir(), `agora-${this.name}-${server}-${process.pid}.json`);
    this.files.push(file);
    return file;
  }

  /** Forks a server script that sends `{ port }` over IPC once it listens. */
  async forkServer(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
    const child = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    this.own({ kill: () => child.exitCode === null && child.kill('SIGKILL') });
    const port = await new Promise<number>((ok, fail) => {
      child.once('message', (m: { port: number }) => ok(m.port));
      child.once('exit', (code) => fail(new Error(`${script} exited (code ${code})`)));
    });
    return { child, port };
  }

  /** Kills this (worker) process at the end, if it is still there. */
  own<T extends { kill(): unknown }>(worker: T): T {
    this.processes.push(worker);
    return worker;
  }

  async release(): Promise<void> {
    for (const p of this.processes.splice(0)) p.kill();
    await this.app?.stop().catch((e) => console.error('stopping the app:', e));
    this.app = undefined;
    await this.pool?.end().catch(() => undefined);
    this.pool = undefined;
    if (this.db) {
      await this.db.drop().catch((e) => console.error(`dropping ${this.db?.name}:`, e));
      console.log(`database ${this.db.name} dropped`);
      this.db = undefined;
    }
    for (const file of this.files.splice(0)) for (const suffix of ['', '.ready', '.request', '.tmp']) rmSync(`${file}${suffix}`, { force: true });
  }
}
