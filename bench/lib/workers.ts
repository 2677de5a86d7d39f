/**
 * Load-generator worker processes (the fan-out and live Q&A benches hold
 * their many sockets in a few child processes): the parent side
 * (WorkerProcess: one request at a time over IPC, answered in order) and the
 * child side (serveCommands), plus what both measure with.
 */
import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (msecs: number) => new Promise((r) => setTimeout(r, msecs));

/** A forked worker script; `request` sends one command and resolves with its answer (answers come in order). */
export class WorkerProcess<Command extends { cmd: string }> {
  readonly child: ChildProcess;
  private pending: { ok: (v: unknown) => void; fail: (e: Error) => void }[] = [];
  private exited = false;

  /** `prefix`: a command the worker runs under, e.g. `ip netns exec NAME` (it must exec node in the same process, keeping the IPC channel). */
  constructor(script: string, prefix: string[] = []) {
    const stdio: StdioOptions = ['ignore', 'inherit', 'inherit', 'ipc'];
    this.child = prefix.length
      ? spawn(prefix[0]!, [...prefix.slice(1), process.execPath, script], { serialization: 'advanced', stdio })
      : fork(script, [], { serialization: 'advanced', stdio, execArgv: [] });
    this.child.on('message', (m: { ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.shift();
      if (!p) return;
      if (m.ok) p.ok(m.value);
      else p.fail(new Error(`worker ${this.child.pid}: ${m.error}`));
    });
    this.child.on('error', (error) => {
      for (const p of this.pending.splice(0)) p.fail(new Error(`worker ${this.child.pid}: ${error.message}`));
    });
    this.child.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.splice(0)) p.fail(new Error(`worker ${this.child.pid} exited (code ${code})`));
    });
  }

  request<T>(command: Command, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`worker ${this.child.pid} has exited`));
    return new Promise<T>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`worker ${this.child.pid}: no answer to ${command.cmd} within ${timeoutMs / 1000} s`)), timeoutMs);
      this.pending.push({
        ok: (v) => (clearTimeout(timer), ok(v as T)),
        fail: (e) => (clearTimeout(timer), fail(e)),
      });
      this.child.send(command);
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * The child side: answers each command from the parent with the handler's
 * result (or its error), in order of arrival, and exits with the parent.
 */
export function serveCommands<Command extends { cmd: string }>(handle: (command: Command) => Promise<unknown> | unknown): void {
  let queue: Promise<unknown> = Promise.resolve();
  process.on('message', (command: Command) => {
    // Answers must come back in request order: each command starts once the previous one has been answered.
    queue = queue.then(() =>
      Promise.resolve()
        .then(() => handle(command))
        .then(
          (value) => process.send!({ ok: true, value }),
          (error) => process.send!({ ok: false, error: (error as Error).stack ?? String(error) }),
        ),
    );
  });
  // The parent went away: don't linger.
  process.on('disconnect', () => process.exit(0));
}

/** Splits items into `parts` contiguous ranges. */
export function split<T>(items: T[], parts: number): T[][] {
  const out: T[][] = [];
  for (let p = 0; p < parts; p++) out.push(items.slice(Math.floor((p * items.length) / parts), Math.floor(((p + 1) * items.length) / parts)));
  return out;
}

/** CPU seconds (user + system) a process has used so far, from /proc (NaN if unreadable). */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

export function openFileLimit(): number {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return !m || m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return Infinity;
  }
}
