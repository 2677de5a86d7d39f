/**
 * Loaded into the app process (`node --import`) by `BENCH_BREAKDOWN=1 npm run
 * bench:writes`, never by the app itself: times where one reply's
 * milliseconds go on the server. Each `POST …/replies` runs in its own async
 * context; every `pg` round trip awaited in it (BEGIN and COMMIT included)
 * and every JSON.stringify/parse is added to that request, until its response
 * has been sent. Work its commit set off that runs later (the notifier's
 * queries, fan-out) is counted apart, as "after the response".
 * `GET /__bench/breakdown` answers the totals since the last call and resets them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

interface RequestTimes {
  done: boolean;
  sqlMs: number;
  sqlCount: number;
  jsonMs: number;
  statements: string[];
}

/** What the bench reads back over one case (bench/reply-writes.ts). */
export interface Totals {
  replies: number;
  serverMs: number;
  sqlMs: number;
  sqlCount: number;
  jsonMs: number;
  afterSqlCount: number;
  afterSqlMs: number;
  /** Round trips by statement (its first words), per reply. */
  statements: Record<string, number>;
}

const fresh = (): Totals => ({ replies: 0, serverMs: 0, sqlMs: 0, sqlCount: 0, jsonMs: 0, afterSqlCount: 0, afterSqlMs: 0, statements: {} });
let totals = fresh();
const context = new AsyncLocalStorage<RequestTimes>();
const require = createRequire(`${process.cwd()}/package.json`);

/** A statement's first words, enough to tell the round trips apart. */
function label(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 70);
}

const pg = require('pg') as typeof import('pg');
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function timedQuery(this: unknown, ...args: unknown[]) {
  const times = context.getStore();
  const result = query.apply(this, args);
  if (!times || !(result instanceof Promise)) return result;
  const start = performance.now();
  const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
  const settle = () => {
    const ms = performance.now() - start;
    if (times.done) {
      totals.afterSqlCount++;
      totals.afterSqlMs += ms;
    } else {
      times.sqlCount++;
      times.sqlMs += ms;
      times.statements.push(label(text));
    }
  };
  result.then(settle, settle);
  return result;
} as typeof pg.Client.prototype.query;

for (const name of ['stringify', 'parse'] as const) {
  const original = JSON[name] as (...args: unknown[]) => unknown;
  (JSON as unknown as Record<string, unknown>)[name] = function timedJson(...args: unknown[]) {
    const times = context.getStore();
    if (!times || times.done) return original.apply(JSON, args);
    const start = performance.now();
    try {
      return original.apply(JSON, args);
    } finally {
      times.jsonMs += performance.now() - start;
    }
  };
}

const emit = http.Server.prototype.emit as (this: http.Server, event: string, ...args: unknown[]) => boolean;
http.Server.prototype.emit = function timedEmit(this: http.Server, event: string, ...args: unknown[]) {
  if (event !== 'request') return emit.call(this, event, ...args);
  const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
  if (req.url === '/__bench/breakdown') {
    const body = JSON.stringify(totals);
    totals = fresh();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return true;
  }
  if (req.method !== 'POST' || !/^\/api\/questions\/\d+\/replies$/.test(req.url ?? '')) return emit.call(this, event, ...args);
  const times: RequestTimes = { done: false, sqlMs: 0, sqlCount: 0, jsonMs: 0, statements: [] };
  const start = performance.now();
  res.once('finish', () => {
    times.done = true;
    totals.replies++;
    totals.serverMs += performance.now() - start;
    totals.sqlMs += times.sqlMs;
    totals.sqlCount += times.sqlCount;
    totals.jsonMs += times.jsonMs;
    for (const s of times.statements) totals.statements[s] = (totals.statements[s] ?? 0) + 1;
  });
  return context.run(times, () => emit.call(this, event, ...args));
} as typeof http.Server.prototype.emit;
