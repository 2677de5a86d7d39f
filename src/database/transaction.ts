import type { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { deadlockRetries } from '../metrics/metrics.js';

/** Postgres' deadlock_detected: the transaction was rolled back as a whole. */
const DEADLOCK_DETECTED = '40P01';
const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs `work` in a transaction, and runs it again (up to 3 attempts in all)
 * when Postgres breaks a deadlock by rolling it back. Writes that lock rows
 * in different orders (a move locks a reply subtree from the top; approving,
 * deleting or moving a reply in it locks that reply, then its parent) can
 * meet that way. `work` may run more than once, so it writes only through
 * `manager` and keeps no state across attempts.
 */
export async function transactionRetryingDeadlocks<R>(dataSource: DataSource, logger: Logger, work: (manager: EntityManager) => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || (error as { code?: string }).code !== DEADLOCK_DETECTED) throw error;
      deadlockRetries.inc();
      logger.warn(`A write was rolled back to break a deadlock; running it again (attempt ${attempt + 1} of ${DEADLOCK_ATTEMPTS}).`);
    }
  }
}
