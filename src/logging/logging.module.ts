import { Injectable, Module } from '@nestjs/common';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

/** LOG_LEVEL (Nest's names) to pino's. */
const PINO_LEVEL = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** Nest's start-up chatter (a line per module and per route) goes to debug. */
const START_UP = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'WebSocketsController', 'NestApplication']);

/**
 * pino-pretty (a dev dependency, when installed) for people: with LOG_FORMAT=pretty, or by default on the
 * embedded database (trying Agora out) and with NODE_ENV=development. JSON otherwise, for a log collector.
 */
function prettyTransport(config: AppConfig) {
  const format = config.LOG_FORMAT ?? (config.embedded || process.env.NODE_ENV === 'development' ? 'pretty' : 'json');
  if (format !== 'pretty') return undefined;
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' } };
  } catch {
    return undefined;
  }
}

/** Nest's Logger facade onto pino, with start-up lines demoted. */
@Injectable()
export class AgoraLogger extends PinoNestLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && START_UP.has(context)) return super.debug(message, ...optionalParams);
    return super.log(message, ...optionalParams);
  }
}

/**
 * Structured JSON logs (pino, through nestjs-pino): one line per HTTP
 * request (health probes and static files excepted) with its request id,
 * method, path, status and time; every line logged while handling a
 * request carries its `requestId` (socket messages: their id is in the line's text). Never logged: bodies,
 * query strings, cookies, Authorization headers.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: PINO_LEVEL[config.LOG_LEVEL],
          transport: prettyTransport(config),
          quietReqLogger: true,
          customAttributeKeys: { reqId: 'requestId' },
          // Assigned by assignRequestIds (request-id.ts), which runs first.
          genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
          autoLogging: { ignore: (req: IncomingMessage) => !req.url?.startsWith('/api/') || req.url.startsWith('/api/health') },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
          serializers: {
            req: (req: { method?: string; url?: string }) => ({ method: req.method, path: req.url?.split('?')[0] }),
            res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
  providers: [AgoraLogger],
  exports: [AgoraLogger],
})
export class LoggingModule {}
