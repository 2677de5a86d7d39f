import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startAppProcess, type AppProcess } from '../../test/support/app-process.js';

export type { AppProcess };

/**
 * Starts the built app (`dist/src/main.js`, or BENCH_APP_MAIN) against the
 * bench database with the tests' launcher, echoing its output, and waits
 * for /api/health.
 */
export async function startApp(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<AppProcess> {
  const main = resolve(process.cwd(), process.env.BENCH_APP_MAIN || 'dist/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (the npm bench:* scripts do).`);
  // A load generator is one account writing as fast as it can: the per-person write limits would refuse it.
  const app = await startAppProcess({ DATABASE_URL: databaseUrl, RATE_LIMIT_SCALE: process.env.RATE_LIMIT_SCALE || '1000000', ...extraEnv }, { main, echo: true });
  console.log(`app started: pid ${app.pid}, ${app.url}`);
  return app;
}
