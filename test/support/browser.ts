import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import type { TestApp } from './app.js';

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser) with
 * playwright-core. Without /usr/bin/chromium they are skipped with a clear
 * message, except in CI (CI=true), where a missing browser fails the run.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const ROOT = resolve(process.cwd());
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CLIENT = join(ROOT, 'client');
const DIST_INDEX = join(CLIENT, 'dist', 'index.html');

const browserAvailable = (): boolean => existsSync(CHROMIUM);

/** `describe` when Chromium is here; otherwise skipped with a message (or failed loudly in CI). */
export function describeInBrowser(name: string, body: () => void): void {
  if (browserAvailable()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`${CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium).`);
    });
    return;
  }
  console.warn(`\n*** SKIPPING browser tests "${name}": no Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium\n`);
  describe.skip(name, body);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web client when client/dist is missing or older than its sources, so the test app serves the current client. */
export function ensureClientBuilt(): void {
  const sources = Math.max(
    newestMtime(join(CLIENT, 'src')),
    newestMtime(join(CLIENT, '..', 'src', 'protocol')),
    statSync(join(CLIENT, 'index.html')).mtimeMs,
    statSync(join(CLIENT, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  console.log('browser tests: building the web client (vite build)…');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // jest sets NODE_ENV=test, which would make Vite bundle the libraries' development code.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

export interface Viewport {
  width: number;
  height: number;
}
export const DESKTOP: Viewport = { width: 1280, height: 900 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A browser context (one simulated person), optionally signed in through the real sign-in endpoint. */
export async function personContext(
  browser: Browser,
  app: TestApp,
  opts: { email?: string; password?: string; viewport?: Viewport; locale?: string } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: app.url, viewport: opts.viewport ?? DESKTOP, locale: opts.locale ?? 'en-GB' });
  if (opts.email && opts.password) {
    const res = await context.request.post('/api/auth/sign-in', { data: { email: opts.email, password: opts.password } });
    if (res.status() !== 200) throw new Error(`sign-in of ${opts.email} in the browser got ${res.status()}: ${await res.text()}`);
  }
  return context;
}

/** Closes what a browser spec opened: its contexts, the browser, then the app. */
export async function closeBrowserScene(contexts: BrowserContext[], browser: Browser | undefined, app: TestApp | undefined): Promise<void> {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await app?.close();
}

/** Collects uncaught page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core in the page; answers the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // A string, so this file needs no DOM types; it runs in the page.
  const violations = (await page.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
  })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page screenshot in test-artifacts/ (git-ignored), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Routes every socket of a page through the test, so it can cut the live
 * connection (offline, open sockets closed, new ones refused) and bring it back.
 * Install before the page opens its socket.
 */
export async function cuttableConnection(page: Page) {
  let cut = false;
  const sockets: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (cut) {
      void ws.close();
      return;
    }
    ws.connectToServer();
    sockets.push(ws);
  });
  return {
    /** Socket.IO upgrades from polling to a WebSocket just after connecting: answers once that one is open. */
    async upgraded(): Promise<boolean> {
      for (let i = 0; i < 50 && sockets.length === 0; i++) await page.waitForTimeout(100);
      return sockets.length > 0;
    },
    async cut(): Promise<void> {
      cut = true;
      await page.context().setOffline(true);
      for (const ws of sockets) await ws.close();
    },
    async restore(): Promise<void> {
      cut = false;
      await page.context().setOffline(false);
    },
  };
}
