import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { QueryFailedError, type EntityManager } from 'typeorm';

/**
 * Runs SQL written with TypeORM-style named parameters (`:name`, `:...list`),
 * so conditions built for query builders (e.g. ForumAccessService's
 * readableForumsCondition) can be reused in hand-written SQL.
 */
export async function namedQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  return manager.query(text, values) as Promise<T[]>;
}

/**
 * namedQuery as a named prepared statement, for a hot read whose best plan does
 * not depend on its values (e.g. rows by primary key): each connection parses
 * and plans it a few times, then PostgreSQL keeps a generic plan and skips the
 * planning, which for a statement of several joins costs more than running it.
 * Not for statements whose plan should follow the values (a full-text match,
 * whose words decide between the GIN index and a primary key walk).
 */
export async function preparedQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  // The name follows the text: one connection keeps one statement per distinct text.
  const name = `agora_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    try {
      return (await client.query({ name, text, values })).rows as T[];
    } catch (error) {
      // The shape manager.query throws, so callers and the error filter see one kind of failure.
      throw new QueryFailedError(text, values, error as Error);
    }
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
