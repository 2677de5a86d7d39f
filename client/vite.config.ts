import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { measure, toMarkdown } from './size-budget.js';

/**
 * The web client. Built to client/dist, which the Nest app serves at `/`.
 * `npm run dev` runs this dev server with /api and /socket.io proxied to the
 * Nest app (AGORA_API, default http://127.0.0.1:3000).
 */
const api = process.env.AGORA_API ?? 'http://127.0.0.1:3000';

/** Measures the first page's JS after every build and fails the build over budget. */
function sizeBudget(): Plugin {
  let outDir = '';
  return {
    name: 'agora-size-budget',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const report = measure(outDir);
      const kb = (report.firstPageJsGzip / 1024).toFixed(1);
      this.info(`first page JS: ${kb} KB gzipped (budget ${report.budget / 1024} KB)`);
      if (!report.withinBudget) this.error(`The first page ships ${kb} KB of gzipped JS, over the budget.\n${toMarkdown(report)}`);
    },
  };
}

/**
 * Writes a .br and a .gz next to every text asset after the build, at the
 * highest levels (done once, so the server never compresses per request);
 * src/web-client.ts sends them with Content-Encoding when the browser accepts it.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'agora-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const assets = join(outDir, 'assets');
      for (const name of readdirSync(assets)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const file = join(assets, name);
        const body = readFileSync(file);
        if (body.length < 1024) continue;
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  // Preact's automatic JSX runtime, without a Babel-based plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [sizeBudget(), precompress()],
  build: {
    outDir: join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    manifest: true,
    chunkSizeWarningLimit: 200,
  },
  server: {
    port: Number(process.env.CLIENT_PORT ?? 5173),
    proxy: {
      '/api': { target: api },
      '/socket.io': { target: api, ws: true },
    },
  },
});
