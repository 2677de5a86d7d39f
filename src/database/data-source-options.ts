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
    // An unreachable server fails a request (503) within seconds instead of leaving it waiting for a connection.
    extra: { max: poolSize, connectionTimeoutMillis: 5_000, ...poolExtra },
    // Failed queries are reported by the error filter with their request; TypeORM's own
    // logger would print their parameters (password hashes, tokens) to the console.
    logging: false,
  };
}
