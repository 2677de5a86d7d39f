/**
 * Preloaded into a measured server process (`--import`, or imported by the
 * bare server): when the file `<BENCH_MEMORY_FILE>.request` appears, it runs
 * a full garbage collection, writes `process.memoryUsage()` as JSON to
 * BENCH_MEMORY_FILE and removes the request, so the benchmark can read the
 * heap a server retains per socket from outside the process. (A file, not a
 * signal: the app's shutdown hooks listen to every signal, SIGUSR2 too.)
 * It checks for the request every 100 ms (one stat); nothing else changes.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const request = `${file}.request`;
  setInterval(() => {
    if (!existsSync(request)) return;
    rmSync(request, { force: true });
    gc();
    gc();
    const usage = process.memoryUsage();
    writeFileSync(`${file}.tmp`, JSON.stringify({ ...usage, at: Date.now() }));
    renameSync(`${file}.tmp`, file);
  }, 100).unref();
  writeFileSync(`${file}.ready`, String(process.pid));
}
