import { existsSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * Serves the built web client (client/dist, made by `npm run build:client`)
 * at `/`, with the single-page fallback: any GET for a path outside /api and
 * /socket.io that isn't a file answers index.html, and the client's router
 * takes it from there. Without a build the app runs API-only and says so.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // No inline styles at all: the client turns table cells' text-align into classes.
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function findClientDist(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/ when run from source (tests), dist/src/ when built.
  const candidates = [resolve(here, '../client/dist'), resolve(here, '../../client/dist'), resolve(process.cwd(), 'client/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

export function serveWebClient(app: INestApplication): void {
  const logger = new Logger('WebClient');
  const dist = findClientDist();
  if (!dist) {
    logger.warn('No built web client (client/dist): serving the API only. Run `npm run build:client` (or `npm run build`) to serve the client at /.');
    return;
  }
  const index = join(dist, 'index.html');
  const isApiPath = (path: string) => /^\/(api|socket\.io)(\/|$)/.test(path);
  const http = app as NestExpressApplication;

  const assetsDir = join(dist, 'assets');
  // The build writes .br and .gz beside each text asset (client/vite.config.ts,
  // precompress): send the smallest one the browser accepts, else the plain file.
  const encodings = [
    { name: 'br', ext: '.br' },
    { name: 'gzip', ext: '.gz' },
  ];
  http.use('/assets', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let file: string;
    try {
      file = join(assetsDir, normalize(decodeURIComponent(req.path)));
    } catch {
      return next();
    }
    if (!file.startsWith(assetsDir + sep)) return next();
    // Browsers list gzip before br at equal weight, so ask for each in our order
    // (smallest first) rather than taking the browser's first.
    res.vary('Accept-Encoding');
    const chosen = encodings.find((e) => req.acceptsEncodings(e.name) === e.name);
    if (!chosen || !existsSync(file + chosen.ext)) return next();
    res.type(extname(file));
    res.setHeader('Content-Encoding', chosen.name);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(file + chosen.ext, (err) => err && next(err));
  });
  // The build holds assets/ and index.html only (the fallback below serves it). Mounted at /assets,
  // not at /, so an API request does not first cost a stat of a file that cannot exist.
  http.useStaticAssets(assetsDir, {
    prefix: '/assets',
    index: false,
    // Vite fingerprints everything under assets/, so it can be cached for good.
    setHeaders: (res: Response) => res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
  });
  http.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    // A missing file is a 404, not the page.
    if (req.path !== '/' && extname(req.path) !== '') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.sendFile(index);
  });
  logger.debug(`Serving the web client from ${dist}`);
}
