import type { EmbeddedPostgres } from './embedded-postgres.js';

/** Where the database is: a real server from DATABASE_URL, or the embedded one started here. */
export interface DatabaseLocation {
  url: string;
  embedded: EmbeddedPostgres | null;
}
export const DATABASE_LOCATION = Symbol('DATABASE_LOCATION');
