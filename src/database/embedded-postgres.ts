import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  /** True when the data folder was empty before this start (a brand-new database). */
  fresh: boolean;
  stop(): Promise<void>;
}

/**
 * Starts PGlite in this process and serves it on an ephemeral loopback port,
 * so the app reaches it through the ordinary `pg` driver, like a real server.
 * PGlite runs one backend: the socket server multiplexes pool connections
 * onto it and serialises their transactions.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const logger = new Logger('EmbeddedPostgres');
  const dir = resolve(dataDir);
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  mkdirSync(dir, { recursive: true });
  // A first start runs initdb inside WebAssembly: seconds, or a minute on a busy machine. Say so, and that it is still going.
  logger.log(fresh ? `Creating the embedded database in ${dir} (first start only; this can take a minute)...` : `Opening the embedded database in ${dir}`);
  const started = Date.now();
  const ticker = setInterval(() => logger.log(`  still ${fresh ? 'creating' : 'opening'} the embedded database (${Math.round((Date.now() - started) / 1000)} s)...`), 10_000);
  let db: PGlite;
  try {
    // Contrib bundles must be given here: search uses unaccent, and reply's search index btree_gin.
    db = await PGlite.create(dir, { extensions: { unaccent, btree_gin } });
  } finally {
    clearInterval(ticker);
  }
  if (fresh) logger.log(`Created the embedded database in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  server.addEventListener('error', (event) => logger.error(`Embedded database socket error: ${String((event as CustomEvent).detail)}`));
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    fresh,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
