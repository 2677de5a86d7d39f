import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';

const newClient = (url: string) => createClient({ url });
export type RedisClient = ReturnType<typeof newClient>;

export interface RealtimeRedis {
  client: RedisClient;
  /**
   * Prefix of every Redis key and channel the adapter uses: REDIS_KEY_PREFIX
   * plus a tag of the database, so instances share rooms only with instances
   * of the same database (two deployments, or test runs, on one Redis never
   * hear each other's forum events).
   */
  keyPrefix: string;
}

/** Redis for the Socket.IO adapter, or null when REDIS_URL is unset (one instance, in-memory adapter). */
export const REDIS = Symbol('REDIS');

export const redisProvider: Provider = {
  provide: REDIS,
  inject: [AppConfig, DataSource],
  useFactory: async (config: AppConfig, dataSource: DataSource): Promise<RealtimeRedis | null> => {
    if (!config.REDIS_URL) return null;
    const logger = new Logger('Redis');
    const client = newClient(config.REDIS_URL);
    // node-redis reconnects by itself; without a listener an error would crash the process.
    client.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
    await client.connect();
    return { client, keyPrefix: `${config.REDIS_KEY_PREFIX}:${await databaseTag(dataSource)}` };
  },
};

/** A short, stable tag of the database (cluster identifier and database name). */
async function databaseTag(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource
    .query(`SELECT current_database() AS name, (SELECT system_identifier::text FROM pg_control_system()) AS cluster`)
    .catch(() => dataSource.query(`SELECT current_database() AS name, '' AS cluster`));
  return createHash('sha256').update(`${row.cluster}/${row.name}`).digest('hex').slice(0, 12);
}

/** Closes the client after the Socket.IO server (and its adapter) has closed. */
@Injectable()
export class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RealtimeRedis | null) {}

  async onApplicationShutdown(): Promise<void> {
    const client = this.redis?.client;
    if (client?.isOpen) await client.close().catch(() => client.destroy());
  }
}
