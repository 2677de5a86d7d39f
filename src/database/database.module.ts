import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { JobQueue } from './job-queue.js';

import { DATABASE_LOCATION, type DatabaseLocation } from './database-location.js';

export { DATABASE_LOCATION, type DatabaseLocation } from './database-location.js';

@Injectable()
class EmbeddedShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
    private readonly dataSource: DataSource,
  ) {}

  // The pool must close before the embedded server it talks to.
  async onApplicationShutdown(): Promise<void> {
    if (!this.location.embedded) return;
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.location.embedded.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_LOCATION,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<DatabaseLocation> => {
        if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
        const embedded = await startEmbeddedPostgres(config.PGLITE_DIR, config.DB_POOL_SIZE + 5);
        return { url: embedded.url, embedded };
      },
    },
  ],
  exports: [DATABASE_LOCATION],
})
class DatabaseLocationModule {}

/**
 * Runs the pending migrations while holding a PostgreSQL advisory lock, so
 * instances starting together on a fresh database take turns: the first
 * applies them, the others then find nothing to do. A pool of one
 * connection (the embedded database, which serves one process) can't hold
 * the lock on one connection and migrate on another: it migrates unlocked.
 */
async function migrateUnderLock(dataSource: DataSource) {
  if ((dataSource.options.extra as { max?: number } | undefined)?.max === 1) return dataSource.runMigrations({ transaction: 'each' });
  const holder = dataSource.createQueryRunner();
  await holder.connect();
  try {
    await holder.query(`SELECT pg_advisory_lock(hashtext('agora:migrations'))`);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await holder.query(`SELECT pg_advisory_unlock(hashtext('agora:migrations'))`).catch(() => undefined);
    await holder.release();
  }
}

@Global()
@Module({
  imports: [
    DatabaseLocationModule,
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, DATABASE_LOCATION],
      // The embedded server has one backend and pglite-socket 0.2 can interleave
      // the extended-protocol messages of concurrent connections outside a
      // transaction, so the embedded pool is one connection: statements queue
      // in the pool instead. A query made outside an open transaction's
      // manager would wait for that same connection: time out rather than hang.
      useFactory: (config: AppConfig, location: DatabaseLocation) =>
        location.embedded
          ? dataSourceOptions(location.url, 1, { connectionTimeoutMillis: 15_000 })
          : dataSourceOptions(location.url, config.DB_POOL_SIZE),
      // Migrations run before any module can query the schema.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const logger = new Logger('Database');
        const applied = await migrateUnderLock(dataSource);
        if (applied.length) logger.log(`Applied ${applied.length} migration(s)`);
        logger.debug(applied.map((m) => m.name).join(', '));
        return dataSource;
      },
    }),
  ],
  providers: [EmbeddedShutdown, JobQueue],
  exports: [DatabaseLocationModule, JobQueue],
})
export class DatabaseModule {}
