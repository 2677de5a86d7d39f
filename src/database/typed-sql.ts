import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Compilable, type InferResult } from 'kysely';
import type { EntityManager } from 'typeorm';
import type { DB } from './schema.js';

/**
 * Typed SQL over the tables, with row types generated from the migrated
 * schema (`npm run schema:generate` writes schema.ts; a test fails when it is
 * stale). It only builds statements, never connects: they run through
 * TypeORM's manager, so a write joins the caller's transaction and its
 * failures reach the error filter in the shape of every other query.
 */
export const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely's own bound
type AnyQuery = Compilable<any>;
type Rows<Q extends AnyQuery> = InferResult<Q> extends readonly unknown[] ? InferResult<Q> : never;

async function runStructured(manager: EntityManager, query: AnyQuery): Promise<{ records: unknown[]; affected?: number }> {
  const { sql, parameters } = query.compile();
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    // The structured result: TypeORM's plain one differs by statement kind ([rows, count] for an UPDATE).
    return await runner.query(sql, parameters as unknown[], true);
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** The rows of a SELECT, or of a write's RETURNING clause. */
export async function rowsOf<Q extends AnyQuery>(manager: EntityManager, query: Q): Promise<Rows<Q>> {
  return (await runStructured(manager, query)).records as Rows<Q>;
}

/** Runs a write and returns how many rows it touched. */
export async function affectedBy(manager: EntityManager, query: AnyQuery): Promise<number> {
  const result = await runStructured(manager, query);
  return result.affected ?? result.records.length;
}
