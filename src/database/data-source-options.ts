import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from '../../migrations/index.js';

/**
 * The one TypeORM configuration, used by the app, the migration CLI and the
 * tests alike. Schema changes come only from migrations; never synchronize.
 */
export function dataSourceOptions(url: string, poolSize = 10, poolExtra: Record<string, unknown> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migration',
    synchronize: false,
    migrationsRun: false,
    // A stopped server refuses at once (503); this bounds the wait for an unreachable one. pg-pool applies the
    // same timeout to waiting for a free connection, so it must outlast a burst queueing on a busy pool
    // (300 voters at once queued past 5 s here and were told the database was down).
    extra: { max: poolSize, connectionTimeoutMillis: 30_000, ...poolExtra },
    // Failed queries are reported by the error filter with their request; TypeORM's own
    // logger would print their parameters (password hashes, tokens) to the console.
    logging: false,
  };
}
