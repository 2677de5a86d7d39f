import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** Nest's own start-up chatter: one line per module, route and socket message. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'NestApplication', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'WebSocketsController']);

/**
 * The console logger, with Nest's per-module and per-route start-up lines
 * moved to `debug`, so the default level (`log`) shows what Agora itself is
 * doing and then a short banner.
 */
export class AppLogger extends ConsoleLogger {
  constructor(level: LogLevel) {
    const all: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
    super({ logLevels: all.slice(0, all.indexOf(level) + 1) });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      if (this.isLevelEnabled('debug')) super.debug(message, ...rest);
      return;
    }
    super.log(message, ...rest);
  }
}
