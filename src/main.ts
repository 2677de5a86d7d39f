import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { setUpApp } from './app.setup.js';
import { AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { DemoDataService } from './database/demo/demo-data.service.js';

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
  const app = await NestFactory.create(AppModule, { logger: levelsFrom(config.LOG_LEVEL) });
  setUpApp(app);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${new URL(await app.getUrl()).port}`;
  const logger = new Logger('Agora');
  logger.log(`Agora is running at ${url}  (API docs: ${url}/api/docs)`);
  logger.log(config.embedded ? `Database: embedded PGlite in ${config.PGLITE_DIR}` : 'Database: PostgreSQL from DATABASE_URL');
  logger.log(config.SMTP_URL ? 'Mail: sent over SMTP_URL' : `Mail: no SMTP_URL, so mails go to the local outbox; admins read them at ${url}/admin/outbox`);
  const hints = await app.get(DemoDataService).signInHints();
  if (hints.length) logger.log(`Demo accounts (email / password) to sign in with:\n${hints.join('\n')}`);
}

function levelsFrom(level: AppConfig['LOG_LEVEL']) {
  const all = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level) + 1) as unknown as ('error' | 'warn' | 'log' | 'debug' | 'verbose')[];
}

main().catch((error) => {
  new Logger('Agora').error(`Agora could not start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
