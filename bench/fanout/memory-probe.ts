/**
 * Preloaded into a measured server process (`--import`, or imported by the
 * bare server): when the file `<BENCH_MEMORY_FILE>.request` appears, it runs
 * a full garbage collection, writes `process.memoryUsage()` as JSON to
 * BENCH_MEMORY_FILE and removes the request, so the benchmark can read the
 * heap a server retains per socket from outside the process. (A file, not a
 * signal: the app's shutdown hooks listen to every signal, SIGUSR2 too.)
 * The report also carries the event-loop delay (p50, p99, max in ms) since
 * the previous report (read before the report's own GC; the histogram is
 * reset after it), so a benchmark can tell a stalled server loop apart.
 * It checks for the request every 100 ms (one stat) and samples the loop
 * delay every 10 ms; nothing else changes.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const request = `${file}.request`;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  setInterval(() => {
    if (!existsSync(request)) return;
    rmSync(request, { force: true });
    const msOf = (ns: number) => ns / 1e6;
    const eventLoopDelay = { p50: msOf(loopDelay.percentile(50)), p99: msOf(loopDelay.percentile(99)), max: msOf(loopDelay.max) };
    gc();
    gc();
    const usage = process.memoryUsage();
    loopDelay.reset();
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...usage, eventLoopDelay, at: Date.now() }));
    renameSync(`${file}.tmp`, file);
  }, 100).unref();
  writeFileSync(`${file}.ready`, String(process.pid));
}
