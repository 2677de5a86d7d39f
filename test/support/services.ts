import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './app-process.js';

/**
 * Private copies of the services, for tests that stop and start them: the
 * shared PostgreSQL and Redis must never be stopped. Each copy runs on a
 * free port picked at run time.
 */
export interface ServiceCopy {
  url: string;
  port: number;
  /** Stops it (SIGKILL: a crash; SIGTERM/fast: a clean stop) and resolves once it is gone. */
  stop(how?: 'kill' | 'clean'): Promise<void>;
  /** Starts it again on the same port (same data). */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  remove(): Promise<void>;
}

const waitUntil = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const exited = (child: ChildProcess) => new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())));

/** A redis-server of our own (no persistence) on a free port. */
export async function startRedisCopy(): Promise<ServiceCopy> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = () => {
    try {
      return execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe', timeout: 2_000 }).toString().trim() === 'PONG';
    } catch {
      return false;
    }
  };
  const copy: ServiceCopy = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await waitUntil(ping, `redis-server on port ${port}`);
    },
    async stop(how = 'kill') {
      if (!child) return;
      const running = child;
      child = null;
      running.kill(how === 'kill' ? 'SIGKILL' : 'SIGTERM');
      await exited(running);
    },
    async remove() {
      await copy.stop();
    },
  };
  await copy.start();
  return copy;
}

const pgBin = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : null;
})();

/** Whether a private PostgreSQL can be started here (the server binaries, and a non-root user to run them when we are root). */
export const canRunPostgresCopy = pgBin !== null;

/**
 * A PostgreSQL cluster of our own (trust auth, user postgres) on a free
 * port, run as the `postgres` system user when the tests run as root.
 */
export async function startPostgresCopy(): Promise<ServiceCopy> {
  if (!pgBin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'agora-pg-copy-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  chmodSync(dir, 0o777);
  const run = (bin: string, args: string[]) => {
    const command = [join(pgBin, bin), ...args];
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', ...command], { stdio: 'pipe', timeout: 120_000, cwd: '/' });
    else execFileSync(command[0], command.slice(1), { stdio: 'pipe', timeout: 120_000 });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const copy: ServiceCopy = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    },
    async stop(how = 'clean') {
      // "immediate" drops every connection at once, as a crashed or unreachable server would.
      run('pg_ctl', ['-D', data, '-w', '-m', how === 'kill' ? 'immediate' : 'fast', 'stop']);
    },
    async remove() {
      try {
        await copy.stop('kill');
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await copy.start();
  return copy;
}
