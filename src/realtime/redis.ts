import { Inject, Injectable, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';

const newClient = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof newClient>;

export interface RealtimeRedis {
  client: RedisClient;
  /**
   * The client as the Socket.IO adapter gets it: its PUBLISHes (presence,
   * inter-instance events) are fire-and-forget in the adapter, so a failure
   * while Redis is away would be an unhandled rejection; here it is noted
   * instead. Delivery to this instance's sockets never waits for Redis, and
   * the fan-out's sweep fills from Postgres what other instances missed.
   */
  forAdapter: RedisClient;
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

const redisProvider: Provider = {
  provide: REDIS,
  inject: [AppConfig, DataSource],
  useFactory: async (config: AppConfig, dataSource: DataSource): Promise<RealtimeRedis | null> => {
    if (!config.REDIS_URL) return null;
    const logger = new Logger('Redis');
    const client = newClient(config.REDIS_URL);
    // node-redis reconnects by itself; without a listener an error would crash the process.
    // One line when the connection is lost and one when it is back, not one per reconnect attempt.
    let lost = false;
    client.on('error', (error: Error) => {
      if (lost) return;
      lost = true;
      logger.error(`Redis unreachable (${error.message}); delivering on this instance only, other instances' events filled from Postgres, reconnecting`);
    });
    client.on('ready', () => {
      if (!lost) return;
      lost = false;
      logger.log('Redis reachable again');
    });
    await client.connect();
    return { client, forAdapter: catchingPublishes(client, logger), keyPrefix: `${config.REDIS_KEY_PREFIX}:${await databaseTag(dataSource)}` };
  },
};

// Commands the adapter sends without awaiting them: PUBLISH (presence, inter-instance
// events) and, on the client it duplicates for listening, SUBSCRIBE, which closing
// the adapter rejects if Redis hasn't answered it yet.
const UNAWAITED = new Set<PropertyKey>(['publish', 'PUBLISH', 'sPublish', 'SPUBLISH', 'subscribe', 'SUBSCRIBE', 'sSubscribe', 'SSUBSCRIBE']);

/** The same client, except that those commands' failures are logged (at debug: the connection loss itself is logged once) rather than left unhandled. */
function catchingPublishes(client: RedisClient, logger: Logger): RedisClient {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'duplicate') return (...args: unknown[]) => catchingPublishes((value as (...a: unknown[]) => RedisClient).apply(target, args), logger);
      if (!UNAWAITED.has(property)) return value.bind(target);
      return (...args: unknown[]) => {
        const sent = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        sent.catch((error: Error) => logger.debug(`${String(property).toUpperCase()} failed: ${error.message}`));
        return sent;
      };
    },
  });
}

/** A short, stable tag of the database (cluster identifier and database name). */
async function databaseTag(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource
    .query(`SELECT current_database() AS name, (SELECT system_identifier::text FROM pg_control_system()) AS cluster`)
    .catch(() => dataSource.query(`SELECT current_database() AS name, '' AS cluster`));
  return createHash('sha256').update(`${row.cluster}/${row.name}`).digest('hex').slice(0, 12);
}

/** Closes the client after the Socket.IO server (and its adapter) has closed. */
@Injectable()
class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RealtimeRedis | null) {}

  async onApplicationShutdown(): Promise<void> {
    const client = this.redis?.client;
    if (client?.isOpen) await client.close().catch(() => client.destroy());
  }
}

/** The Redis connection (or none, without REDIS_URL) for the socket adapter, rate limits, health and metrics. */
@Module({ providers: [redisProvider, RedisShutdown], exports: [REDIS] })
export class RedisModule {}
