import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { httpDuration, registry } from './metrics.js';

/** Times every request, labelled by its route's pattern (never the raw URL, which would make a label per id). */
export function timeRequests() {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.once('finish', () => {
      const pattern = (req.route as { path?: string } | undefined)?.path;
      const route = pattern ? `${req.baseUrl}${pattern}` : req.path.startsWith('/api/') ? 'unmatched' : 'static';
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
}

/**
 * GET /metrics in Prometheus' text format, for a scraper holding
 * `Authorization: Bearer <METRICS_TOKEN>`; without METRICS_TOKEN it is off.
 */
export function serveMetrics(token: string | undefined) {
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.path !== '/' || req.method !== 'GET' || !expected) return next();
    const given = Buffer.from(req.get('authorization') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({ statusCode: 401, code: 'unauthenticated', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
  };
}
