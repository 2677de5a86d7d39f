/**
 * First page on a phone: Lighthouse's mobile performance audit (its default
 * config: a mid-range phone on a throttled 4G link, simulated) of the
 * catalogue and of the demo thread with the most replies, served by the built
 * app over the demo data, in Debian's Chromium.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:lighthouse
 *   ... npm run bench:lighthouse -- --smoke      (one run per page, no report)
 *
 * Knobs: BENCH_RUNS (default 5 per page; the median run is reported),
 * CHROMIUM (default /usr/bin/chromium), BENCH_LHR_DIR (write each run's full Lighthouse report there).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import pg from 'pg';
import { startApp } from './lib/app-process.js';
import { createBenchDatabase, requireServerUrl } from './lib/database.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, parseOptions } from './lib/options.js';
import { publishSection, table } from './lib/report.js';

const GOAL_SCORE = 90;
const GOAL_LCP_MS = 2500;
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'] as const;

interface Run {
  score: number;
  values: Record<(typeof METRICS)[number], number>;
  /** Requests before the page's content, as Lighthouse's critical chain sees them. */
  chain: number;
  transferKb: number;
}

function median<T>(runs: T[], key: (r: T) => number): T {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The longest request chain in Lighthouse's critical-request-chains audit. */
function chainLength(details: unknown): number {
  const walk = (chains: Record<string, { children?: Record<string, unknown> }> | undefined): number =>
    chains ? Math.max(0, ...Object.values(chains).map((c) => 1 + walk(c.children as never))) : 0;
  return walk((details as { chains?: Record<string, { children?: Record<string, unknown> }> } | undefined)?.chains);
}

async function audit(url: string, chromePath: string): Promise<Run> {
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', onlyCategories: ['performance'], logLevel: 'error' });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (process.env.BENCH_LHR_DIR) writeFileSync(join(process.env.BENCH_LHR_DIR, `${new URL(url).pathname.replace(/\W+/g, '_') || 'root'}.json`), JSON.stringify(lhr));
    if (lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.message}`);
    const values = Object.fromEntries(METRICS.map((m) => [m, lhr.audits[m]?.numericValue ?? NaN])) as Run['values'];
    return {
      score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
      values,
      chain: chainLength(lhr.audits['critical-request-chains']?.details),
      transferKb: (lhr.audits['total-byte-weight']?.numericValue ?? 0) / 1024,
    };
  } finally {
    await chrome.kill();
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const runs = options.smoke ? 1 : envInt('BENCH_RUNS', 5);
  const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromePath)) {
    console.error(`No browser at ${chromePath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM to one.`);
    process.exit(2);
  }
  const db = await createBenchDatabase(requireServerUrl());
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    console.log('loading the demo data');
    execFileSync(process.execPath, [resolve('dist/src/cli.js'), 'seed:demo'], { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' }, stdio: 'inherit' });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const machine = await describeMachine(client);
    const busiest = await client.query<{ forum_id: number; id: number; replies: string }>(
      `SELECT q.forum_id, q.id, count(r.id) AS replies FROM question q
         JOIN forum f ON f.id = q.forum_id AND f.visibility = 'public'
         LEFT JOIN reply r ON r.question_id = q.id AND r.state = 'visible'
        GROUP BY q.id ORDER BY count(r.id) DESC, q.id LIMIT 1`,
    );
    await client.end();
    if (!busiest.rows[0]) throw new Error('The demo data has no public question to open.');
    const thread = busiest.rows[0];
    app = await startApp(db.url, { LOG_LEVEL: 'warn' });
    const pages = [
      { name: 'catalogue', path: '/' },
      { name: `thread (${thread.replies} replies)`, path: `/forums/${thread.forum_id}/questions/${thread.id}` },
    ];
    const rows: string[][] = [];
    let allMet = true;
    for (const page of pages) {
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) {
        const run = await audit(`${app.url}${page.path}`, chromePath);
        console.log(`${page.name} run ${i + 1}/${runs}: score ${run.score}, LCP ${Math.round(run.values['largest-contentful-paint'])} ms`);
        results.push(run);
      }
      const mid = median(results, (r) => r.score);
      const scores = results.map((r) => r.score).sort((a, b) => a - b);
      const met = mid.score >= GOAL_SCORE && mid.values['largest-contentful-paint'] < GOAL_LCP_MS;
      allMet &&= met;
      rows.push([
        page.name,
        `${mid.score} (${scores.join(', ')})`,
        (mid.values['first-contentful-paint'] / 1000).toFixed(2),
        (mid.values['largest-contentful-paint'] / 1000).toFixed(2),
        Math.round(mid.values['total-blocking-time']).toString(),
        mid.values['cumulative-layout-shift'].toFixed(3),
        (mid.values['speed-index'] / 1000).toFixed(2),
        String(mid.chain),
        mid.transferKb.toFixed(1),
        met ? 'met' : 'not met',
      ]);
    }
    const lighthouseVersion = (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version as string;
    const markdown = [
      '## First page on a phone (Lighthouse, mobile)',
      '',
      `Command: \`${commandLine('bench:lighthouse', ['BENCH_RUNS', 'CHROMIUM'])}\``,
      '',
      ...machineLines(machine),
      `- Lighthouse ${lighthouseVersion}, default (mobile) config: simulated mid-range phone and slow 4G; ${execFileSync(chromePath, ['--version']).toString().trim()}, headless`,
      `- The built app (\`dist/src/main.js\`) over the demo data in a fresh PostgreSQL database; ${runs} run(s) per page in a new browser each, the run with the median score shown (all scores in brackets)`,
      '',
      table(
        ['page', 'performance', 'FCP s', 'LCP s', 'TBT ms', 'CLS', 'speed index s', 'request chain', 'transfer KB', `goal ≥${GOAL_SCORE}, LCP <${GOAL_LCP_MS / 1000} s`],
        rows,
      ),
    ].join('\n');
    publishSection('lighthouse', markdown, options.report);
    if (!allMet) console.log('A page is below the goal.');
  } finally {
    await app?.stop();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
