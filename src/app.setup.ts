import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { ErrorFilter } from './common/error.filter.js';
import { ErrorView } from './common/error.view.js';
import { jsonBodiesOnly, sendError } from './common/json-body.js';
import { createValidationPipe } from './common/validation.js';
import { AppException } from './common/app-exception.js';
import { AppConfig } from './config/app-config.js';
import { ShutdownService } from './health/shutdown.service.js';
import { serveMetrics, timeRequests } from './metrics/metrics.handler.js';
import { assignRequestIds } from './logging/request-id.js';
import { RealtimeIoAdapter } from './realtime/realtime-io.adapter.js';
import { serveWebClient } from './web-client.js';

/** Every HTTP route is under /api (the web client has the rest). */
export const API_PREFIX = 'api';

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
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // Signals are handled by main.ts (ShutdownService's sequence), not by Nest's hooks.
  // Socket.IO on the same HTTP server (origin check, size cap, Redis adapter when REDIS_URL is set).
  app.useWebSocketAdapter(new RealtimeIoAdapter(app));

  const document = buildApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  // The web client at `/` (API-only when client/dist has not been built).
  serveWebClient(app);
}

/**
 * The OpenAPI document the server serves at /api/docs-json. scripts/api-document.ts
 * builds the same one without a database, for the committed openapi.json and the
 * client's generated types.
 */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Agora API')
      .setDescription('Sessions, their forums, threaded discussions and live Q&A. Errors share one shape: `{ statusCode, code, message, details? }`.')
      .setVersion('1')
      .addServer('/', 'The server that serves the web client')
      .addCookieAuth('agora_session')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token from POST /api/auth/tokens.' })
      .build(),
    { extraModels: [ErrorView] },
  );
  // Signed in with the cookie, a token, or not at all: each operation decides what the caller may do.
  document.security = [{ cookie: [] }, { bearer: [] }, {}];
  // Every error answer has the one shape; any operation may answer one (validation, limits, a restart).
  const error = { 'application/json': { schema: { $ref: getSchemaPath(ErrorView) } } };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const responses = item[method]?.responses;
      if (!responses) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response && !('$ref' in response) && !response.content) response.content = error;
      }
      if (!Object.keys(responses).some((status) => status.startsWith('4'))) {
        responses['4XX'] = { description: 'An error (`validation_failed`, `rate_limited`, … see `code`).', content: error };
      }
    }
  }
  return document;
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
