import type { EntityManager } from 'typeorm';

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
