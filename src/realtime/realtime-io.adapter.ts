import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Server, type ServerOptions } from 'socket.io';
import { AppConfig } from '../config/app-config.js';
import { ShutdownService } from '../health/shutdown.service.js';
import { REDIS, type RealtimeRedis } from './redis.js';
import { originAllowed } from './socket-auth.js';

/**
 * The Socket.IO server Agora runs, attached to the app's HTTP server at
 * /socket.io. Its options come from AppConfig, not from the gateway:
 * - the handshake's Origin is checked (cross-site WebSocket hijacking) in
 *   `allowRequest`, which engine.io runs for every new connection, polling
 *   or websocket;
 * - messages are capped at SOCKET_MAX_MESSAGE_BYTES;
 * - with REDIS_URL, rooms span instances through the Redis Streams adapter.
 * Connection state recovery stays off: a reconnecting client re-subscribes
 * with its last sequence numbers and the server replays from Postgres,
 * which also re-checks access (a recovered session would restore rooms
 * without that check).
 */
type NestServer = ReturnType<IoAdapter['createIOServer']>;
type NestServerOptions = Parameters<IoAdapter['createIOServer']>[1];

export class RealtimeIoAdapter extends IoAdapter {
  constructor(private readonly app: INestApplication) {
    super(app);
  }

  override createIOServer(port: number, gatewayOptions?: NestServerOptions): NestServer {
    const config = this.app.get(AppConfig);
    const redis = this.app.get<typeof REDIS, RealtimeRedis | null>(REDIS, { strict: false });
    const shutdown = this.app.get(ShutdownService, { strict: false });
    const allowed = config.ALLOWED_ORIGINS;
    const options: Partial<ServerOptions> = {
      ...(gatewayOptions as Partial<ServerOptions> | undefined),
      path: '/socket.io',
      serveClient: false,
      transports: config.SOCKET_TRANSPORTS,
      maxHttpBufferSize: config.SOCKET_MAX_MESSAGE_BYTES,
      allowRequest: (req, callback) => {
        // A new connection while shutting down is refused; the client retries (through the load balancer, elsewhere).
        if (shutdown.shuttingDown && !new URL(req.url ?? '/', 'http://x').searchParams.has('sid')) {
          return callback('This server is restarting.', false);
        }
        const ok = originAllowed(req, config);
        callback(ok ? null : 'This connection came from another website, so it was refused.', ok);
      },
      // Other sites' pages may use the socket only if listed (their polling requests need CORS headers).
      ...(allowed.length ? { cors: { origin: allowed, credentials: true } } : {}),
    };
    // Built here rather than by super.createIOServer(), which would use the socket.io copy
    // @nestjs/platform-socket.io pins instead of the version this app depends on.
    const server = this.httpServer && port === 0 ? new Server(this.httpServer, options) : new Server(port, options);
    if (redis) {
      const prefix = `${redis.keyPrefix}:socket.io`;
      server.adapter(
        createAdapter(redis.forAdapter, {
          streamName: prefix,
          channelPrefix: prefix,
          sessionKeyPrefix: `${prefix}:session:`,
          // XREAD returns as soon as an entry arrives; this only bounds how long closing waits.
          blockTimeInMs: 1_000,
          // Agora sends JSON only: skip the adapter's search for binary data.
          onlyPlaintext: true,
        }),
      );
    }
    return server as unknown as NestServer;
  }
}
