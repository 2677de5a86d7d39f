import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { ErrorFilter } from './common/error.filter.js';
import { jsonBodiesOnly, sendError } from './common/json-body.js';
import { createValidationPipe } from './common/validation.js';
import { AppException } from './common/app-exception.js';
import { AppConfig } from './config/app-config.js';
import { ShutdownService } from './health/shutdown.service.js';
import { serveMetrics, timeRequests } from './metrics/metrics.handler.js';
import { assignRequestIds } from './logging/request-id.js';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter.js';
import { serveWebClient } from './web-client.js';

/** Everything main.ts and the e2e tests both apply to the app, so tests run the real thing. */
export function setUpApp(app: INestApplication): void {
  const config = app.get(AppConfig);
  const express = app as NestExpressApplication;
  // One proxy hop: the client address is the one our proxy saw, not whatever a
  // client wrote at the left of X-Forwarded-For (that would defeat rate limits).
  if (config.TRUST_PROXY) express.set('trust proxy', 1);
  express.disable('x-powered-by');
  app.use(assignRequestIds());
  app.use('/metrics', serveMetrics(config.METRICS_TOKEN));
  app.use(timeRequests());
  // API answers are data, never to be sniffed into something a browser would run.
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => (res.setHeader('X-Content-Type-Options', 'nosniff'), next()));
  app.use(drainGate(app.get(ShutdownService)));
  app.use(jsonBodiesOnly());
  app.use(cookieParser());
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // Signals are handled by main.ts (ShutdownService's sequence), not by Nest's hooks.
  // Socket.IO on the same HTTP server (origin check, size cap, Redis adapter when REDIS_URL is set).
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Agora API')
      .setDescription('Sessions, their forums, threaded discussions and live Q&A. Errors share one shape: `{ statusCode, code, message, details? }`.')
      .setVersion('1')
      .addCookieAuth('agora_session')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  // The web client at `/` (API-only when client/dist has not been built).
  serveWebClient(app);
}

/** Counts requests in flight; while shutting down, refuses new ones (except health probes) and closes each connection after its response. */
function drainGate(shutdown: ShutdownService) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (shutdown.shuttingDown) {
      res.setHeader('Connection', 'close');
      if (!req.path.startsWith('/api/health')) {
        return sendError(res, new AppException(503, 'shutting_down', 'This server is restarting. Try again in a moment.'), { 'Retry-After': '1' });
      }
    }
    const done = shutdown.enter();
    res.once('close', done);
    next();
  };
}
