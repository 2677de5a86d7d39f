import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';

/**
 * The built app (`node dist/src/main.js`) as a separate process, for tests
 * that need several instances or a real process to kill.
 */
export interface AppProcess {
  url: string;
  pid: number;
  /** SIGTERM (graceful shutdown; SIGKILL after 10 s) or SIGKILL (a crash); resolves once the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** The last lines it logged (for failure messages). */
  output(): string;
  /** Its exit code once it has exited (null when killed by a signal), undefined while it runs. */
  exitCode(): number | null | undefined;
  /** Resolves with the exit code once it has exited. */
  exited(): Promise<number | null>;
}

// The repository root: jest and the npm scripts (tests, benchmarks) run from it.
const root = resolve(process.cwd());
const main = join(root, 'dist/src/main.js');

/** Builds what changed since the last build, as `npm start` does (the server incrementally, the client if its sources changed). */
export function buildIfStale(): void {
  execFileSync('npm', ['run', '--silent', 'prestart'], { cwd: root, stdio: 'pipe', timeout: 300_000 });
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no free port'))));
    });
  });
}

export interface StartOptions {
  /** The built app to run (default dist/src/main.js). */
  main?: string;
  /** Also copy its output to this process's stderr, each line prefixed (benchmarks show it as they go). */
  echo?: boolean;
  /** Listen on this port (default: a free one), e.g. to restart an instance behind a load balancer. */
  port?: number;
}

/** Starts an instance on a free port and resolves once GET /api/health answers 200. */
export async function startAppProcess(env: Record<string, string>, options: StartOptions = {}): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [options.main ?? main], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (stream: string) => (chunk: Buffer) => {
    const fresh = chunk.toString().split('\n').filter(Boolean);
    if (options.echo) for (const line of fresh) process.stderr.write(`  [app ${stream}] ${line}\n`);
    lines.push(...fresh);
    lines.splice(0, Math.max(0, lines.length - 60));
  };
  child.stdout!.on('data', keep('out'));
  child.stderr!.on('data', keep('err'));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((done) => child.once('exit', (code) => ((exitCode = code), done())));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`The app exited (code ${exitCode}) before it was healthy:\n${lines.join('\n')}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The app was not healthy within 60 s:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    pid: child.pid!,
    async stop(signal = 'SIGTERM') {
      if (exitCode === undefined) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => lines.join('\n'),
    exitCode: () => exitCode,
    exited: () => exited.then(() => exitCode ?? null),
  };
}

/** Two instances of the built app on one PostgreSQL database (the first applies the migrations), and a connection of the test's own to it. */
export async function startTwoInstances(env: Record<string, string> & { DATABASE_URL: string }): Promise<{ a: AppProcess; b: AppProcess; db: DataSource }> {
  buildIfStale();
  const a = await startAppProcess(env);
  const b = await startAppProcess(env);
  const db = await new DataSource(dataSourceOptions(env.DATABASE_URL, 2)).initialize();
  return { a, b, db };
}
