import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { setUpApp } from './app.setup.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DemoDataService } from './database/demo/demo-data.service.js';
import { ShutdownService } from './health/shutdown.service.js';
import { AgoraLogger } from './logging/logging.module.js';
import { unhandledRejections } from './metrics/metrics.js';

const logger = new Logger('Agora');

// Last resort: a promise rejection nothing handled (a dependency failing in a
// fire-and-forget call) is logged and the instance keeps serving; requests
// and sockets report their own failures. An uncaught exception leaves the
// process in an unknown state: it is logged and the instance shuts down.
process.on('unhandledRejection', (reason) => {
  unhandledRejections.inc();
  logger.error(`Unhandled promise rejection (still serving): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
let stopping: ((reason: string, code?: number) => void) | null = null;
process.on('uncaughtException', (error, origin) => {
  logger.fatal(`Uncaught exception (${origin}); shutting down: ${error.stack ?? error.message}`);
  if (stopping) stopping('uncaught exception', 1);
  else process.exit(1);
});

async function main() {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Start-up lines wait for pino (JSON, LOG_LEVEL) rather than going to Nest's console logger.
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(AgoraLogger));
  setUpApp(app);
  await app.listen(config.PORT, config.HOST);
  const shutdown = app.get(ShutdownService);
  stopping = (reason, code = 0) => {
    // A hard stop in case closing itself hangs past the deadline.
    setTimeout(() => {
      logger.error(`Still running ${config.SHUTDOWN_TIMEOUT_MS} ms after ${reason}; exiting`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 1_000).unref();
    void shutdown.run(app, config.SHUTDOWN_TIMEOUT_MS, reason).then((result) => process.exit(Math.max(result, code)));
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stopping?.(signal));
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${new URL(await app.getUrl()).port}`;
  const demo = app.get(DemoDataService);
  // The banner: where to go, and with the demo data, who to sign in as.
  const lines = [
    `Agora is running at ${url}  (API docs: ${url}/api/docs)`,
    config.embedded ? `Database: embedded PGlite in ${config.PGLITE_DIR}` : 'Database: PostgreSQL from DATABASE_URL',
    config.SMTP_URL ? 'Mail: sent over SMTP_URL' : `Mail: no SMTP_URL, so mails go to the local outbox; admins read them at ${url}/admin/outbox`,
  ];
  const hints = await demo.signInHints();
  if (hints.length) lines.push(`Demo accounts to sign in with (email / password):`, ...hints, ...demo.bannerNotes(url));
  logger.log(lines.join('\n'), 'Agora');
}

main().catch((error) => {
  logger.error(`Agora could not start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
