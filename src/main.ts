import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { setUpApp } from './app.setup.js';
import { type AppConfig, ConfigError, loadConfig } from './config/app-config.js';
import { AppLogger } from './common/app-logger.js';
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
  const logger = new AppLogger(config.LOG_LEVEL);
  const app = await NestFactory.create(AppModule, { logger });
  setUpApp(app);
  await app.listen(config.PORT, config.HOST);
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${new URL(await app.getUrl()).port}`;
  const demo = app.get(DemoDataService);
  // The banner: where to go, and with the demo data, who to sign in as.
  const lines = [
    `Agora is running at ${url}  (API docs: ${url}/api/docs)`,
    config.embedded ? `Database: embedded PGlite in ${config.PGLITE_DIR}` : 'Database: PostgreSQL from DATABASE_URL',
  ];
  const hints = await demo.signInHints();
  if (hints.length) lines.push(`Demo accounts to sign in with (email / password):`, ...hints, ...demo.bannerNotes(url));
  logger.log(lines.join('\n'), 'Agora');
}

main().catch((error) => {
  new Logger('Agora').error(`Agora could not start: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
