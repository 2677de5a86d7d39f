import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

// For the TypeORM CLI (migration:run / revert / generate) against DATABASE_URL.
// The embedded database needs none of this: the app migrates it at start.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to the PostgreSQL server to migrate (the embedded database is migrated by `npm start`).');
  process.exit(2);
}

export default new DataSource(dataSourceOptions(url, 2));
