import { Injectable, Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

/**
 * The shutdown sequence (SIGTERM or SIGINT, see main.ts):
 * 1. readiness answers 503 at once, so the load balancer stops sending work;
 * 2. new work is refused: HTTP requests get 503 `shutting_down` (with
 *    `Connection: close`), socket messages an error ack, new sockets are refused;
 * 3. requests and socket messages already in flight finish (their events are delivered);
 * 4. sockets are told `server.shutdown` and their connections closed, so
 *    clients reconnect, through the load balancer, to another instance;
 * 5. the app closes (Socket.IO, Redis, the database pool);
 * all within SHUTDOWN_TIMEOUT_MS, after which whatever is left is cut.
 */
@Injectable()
export class ShutdownService {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly drainHooks: (() => void | Promise<void>)[] = [];

  get shuttingDown(): boolean {
    return this.draining;
  }

  /** Counts a piece of work (a request, a socket message) until `done` is called. */
  enter(): () => void {
    this.inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  /** Runs once the work in flight has finished, before the app closes (the gateway moves its sockets). */
  onDrained(hook: () => void | Promise<void>): void {
    this.drainHooks.push(hook);
  }

  /** Runs the sequence; resolves with the exit code (0: everything finished in time). */
  async run(app: INestApplication, timeoutMs: number, reason: string): Promise<number> {
    if (this.draining) return new Promise(() => undefined); // a second signal: the first run decides
    this.draining = true;
    const deadline = Date.now() + timeoutMs;
    this.logger.log(`${reason}: shutting down (readiness 503, new work refused, ${this.inFlight} in flight, at most ${timeoutMs} ms)`);
    const http = app.getHttpServer() as Server;
    // Idle keep-alive connections are closed now; requests from here on are answered 503 with
    // `Connection: close`. Not swept again: a connection just accepted, its request not yet
    // read, can count as idle, and a sweep reset it instead of answering it (seen on Node 26).
    http.closeIdleConnections();
    try {
      // Most of the time goes to work in flight; the rest to closing.
      const finished = await this.idle(Math.max(0, (deadline - Date.now()) * 0.7));
      if (!finished) this.logger.warn(`${this.inFlight} request(s) or message(s) still in flight at the deadline; cutting them`);
      for (const hook of this.drainHooks) await hook();
      http.closeAllConnections();
      const closed = await Promise.race([
        app.close().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), Math.max(0, deadline - Date.now())).unref()),
      ]);
      if (!closed) this.logger.warn('Closing did not finish within SHUTDOWN_TIMEOUT_MS');
      this.logger.log(`Shut down in ${timeoutMs - (deadline - Date.now())} ms`);
      return finished && closed ? 0 : 1;
    } catch (error) {
      this.logger.error(`Shutting down failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return 1;
    }
  }

  private idle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
