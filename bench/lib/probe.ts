import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sleep } from './workers.js';

/** What bench/fanout/memory-probe.ts reports from inside a server process. */
export interface Memory {
  heapUsed: number;
  rss: number;
  /** Event-loop delay since the previous report (ms); absent when the probe is not loaded. */
  eventLoopDelay?: { p50: number; p99: number; max: number };
}

/**
 * Heap after a full GC and event-loop delay (through the memory probe
 * preloaded into the process, asked through a file) and RSS of a server
 * process; without the probe, RSS from /proc only.
 */
export async function memoryOf(pid: number, file: string): Promise<Memory> {
  const rssProc = () => {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  };
  if (!existsSync(`${file}.ready`) || readFileSync(`${file}.ready`, 'utf8') !== String(pid)) {
    console.warn(`!! the memory probe is not loaded in pid ${pid}: heap unknown, RSS from /proc`);
    return { heapUsed: Number.NaN, rss: rssProc() };
  }
  rmSync(file, { force: true });
  writeFileSync(`${file}.request`, '');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const usage = JSON.parse(readFileSync(file, 'utf8')) as Memory;
      return { heapUsed: usage.heapUsed, rss: usage.rss, eventLoopDelay: usage.eventLoopDelay };
    }
    await sleep(50);
  }
  console.warn(`!! no memory report from pid ${pid} (probe not loaded?): heap unknown, RSS from /proc`);
  return { heapUsed: Number.NaN, rss: rssProc() };
}
