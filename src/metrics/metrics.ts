import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Agora's Prometheus metrics, served at /metrics (see metrics.handler.ts).
 * Module-level, like prom-client's own registry: the code that observes
 * something imports the metric it feeds. Values that are read rather than
 * counted (sockets, the pool, Redis) come from sources each app registers
 * and removes when it closes (tests run several apps in one process).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'agora_' });

type Source<T> = () => T;
const sources = {
  sockets: new Set<Source<{ sockets: number; subscriptions: Record<string, number> }>>(),
  pool: new Set<Source<{ total: number; idle: number; waiting: number }>>(),
  redis: new Set<Source<boolean | null>>(),
  jobs: new Set<Source<Promise<Record<string, number>>>>(),
};

/** Registers a source of read values; returns its removal. */
export function addSource<K extends keyof typeof sources>(kind: K, source: Parameters<(typeof sources)[K]['add']>[0]): () => void {
  (sources[kind] as Set<unknown>).add(source);
  return () => (sources[kind] as Set<unknown>).delete(source);
}

export const httpDuration = new Histogram({
  name: 'agora_http_request_duration_seconds',
  help: 'HTTP request latency by route (the pattern, e.g. /api/questions/:id/replies) and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const fanoutLag = new Histogram({
  name: 'agora_fanout_lag_seconds',
  help: "From an event's commit to its emission to this instance's sockets, by stream kind",
  labelNames: ['kind'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const eventsFilled = new Counter({
  name: 'agora_events_filled_from_postgres_total',
  help: 'Events delivered after reading them from Postgres (a gap, a lost inter-instance message, the sweep), by stream kind',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const deadlockRetries = new Counter({
  name: 'agora_deadlock_retries_total',
  help: 'Writes run again after Postgres rolled them back to break a deadlock',
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'agora_rate_limited_total',
  help: 'Requests and socket messages refused by a rate limit, by transport',
  labelNames: ['transport'] as const,
  registers: [registry],
});

export const unhandledRejections = new Counter({
  name: 'agora_unhandled_rejections_total',
  help: 'Promise rejections nothing handled (logged; the instance keeps serving)',
  registers: [registry],
});

const sum = <T>(set: Set<Source<T>>, pick: (value: T) => number) => [...set].reduce((n, source) => n + pick(source()), 0);

new Gauge({
  name: 'agora_sockets',
  help: 'Socket.IO connections open on this instance',
  registers: [registry],
  collect() {
    this.set(sum(sources.sockets, (v) => v.sockets));
  },
});

new Gauge({
  name: 'agora_subscriptions',
  help: 'Stream subscriptions of this instance\'s sockets, by kind (forum, qa)',
  labelNames: ['kind'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const source of sources.sockets) for (const [kind, n] of Object.entries(source().subscriptions)) this.inc({ kind }, n);
  },
});

new Gauge({
  name: 'agora_db_pool_connections',
  help: 'PostgreSQL pool connections by state (in_use, idle) and requests waiting for one (waiting)',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const total = sum(sources.pool, (v) => v.total);
    const idle = sum(sources.pool, (v) => v.idle);
    this.set({ state: 'in_use' }, total - idle);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'waiting' }, sum(sources.pool, (v) => v.waiting));
  },
});

new Gauge({
  name: 'agora_redis_up',
  help: 'Whether the Redis the Socket.IO adapter uses is connected (1) or not (0); absent without REDIS_URL',
  registers: [registry],
  collect() {
    this.reset();
    const states = [...sources.redis].map((s) => s()).filter((s): s is boolean => s !== null);
    if (states.length) this.set(states.every(Boolean) ? 1 : 0);
  },
});

new Gauge({
  name: 'agora_job_queue_depth',
  help: 'Jobs waiting to run in the Postgres job queue (pg-boss: created or due for retry), by queue',
  labelNames: ['queue'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of sources.jobs) {
      // A scrape during a database outage still answers, without this gauge.
      const sizes = await source().catch(() => ({}));
      for (const [queue, n] of Object.entries(sizes)) this.inc({ queue }, n);
    }
  },
});
