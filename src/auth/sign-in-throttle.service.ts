import { HttpStatus, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { AppException } from '../common/app-exception.js';
import { affectedBy, db, rowsOf } from '../database/typed-sql.js';
import { retryAfterSeconds, SIGN_IN_WINDOW_MS, type FailureHistory } from './sign-in-throttle.js';

/** Thrown when sign-in attempts come too fast; carries the wait for the Retry-After header. */
export class RateLimitedException extends AppException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      HttpStatus.TOO_MANY_REQUESTS,
      'rate_limited',
      `Too many failed sign-in attempts. Wait ${retryAfterSeconds} second(s) and try again, or reset your password with an administrator.`,
    );
  }
}

/** One attempt in progress; settle it with succeeded() or failed(). */
export interface SignInAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

/**
 * Sign-in failures live in PostgreSQL (table sign_in_attempt), so the limit
 * holds across app instances. An attempt is recorded *before* the password is
 * checked, removed again if it succeeds, and marked `failed_at` if it fails.
 *
 * Per account, in-flight attempts count like failures: concurrent guesses at
 * one account see each other, so a burst can't all slip in before any
 * failure is written. Per address, only settled failures count: a webinar
 * audience behind one NAT signs in at the same moment, and their in-flight
 * attempts must not lock each other out. (A parallel spray of many accounts
 * from one address can therefore run a few checks past the address
 * allowance before its failures land; each account still has its own limit.)
 * An attempt never settled (the process died mid-check) keeps counting for
 * its account until it leaves the window.
 */
@Injectable()
export class SignInThrottleService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records an attempt for this email and address; throws RateLimitedException if one must wait. */
  async begin(email: string, address: string): Promise<SignInAttempt> {
    const emailKey = email.trim().toLowerCase().slice(0, 320);
    const addressKey = address.slice(0, 100);
    const [{ id }] = await rowsOf(this.dataSource.manager, db.insertInto('sign_in_attempt').values({ email_key: emailKey, address: addressKey }).returning('id'));
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE email_key = $1)::int AS account_count,
              (extract(epoch FROM max(attempted_at) FILTER (WHERE email_key = $1)) * 1000)::float8 AS account_latest,
              count(*) FILTER (WHERE address = $2 AND failed_at IS NOT NULL)::int AS address_count,
              (extract(epoch FROM max(failed_at) FILTER (WHERE address = $2)) * 1000)::float8 AS address_latest,
              (extract(epoch FROM now()) * 1000)::float8 AS now
         FROM sign_in_attempt
        WHERE (email_key = $1 OR (address = $2 AND failed_at IS NOT NULL)) AND id <> $3
          AND attempted_at > now() - make_interval(secs => $4)`,
      [emailKey, addressKey, id, SIGN_IN_WINDOW_MS / 1000],
    );
    const account: FailureHistory = { count: row.account_count, latestMs: row.account_latest };
    const addressHistory: FailureHistory = { count: row.address_count, latestMs: row.address_latest };
    const wait = retryAfterSeconds(account, addressHistory, row.now);
    if (wait > 0) {
      // A refused attempt isn't checked, so it doesn't extend the wait.
      await affectedBy(this.dataSource.manager, db.deleteFrom('sign_in_attempt').where('id', '=', id));
      throw new RateLimitedException(wait);
    }
    if (Math.random() < 0.02) void this.prune();
    return {
      // Success clears the account's failures; the address keeps its record.
      succeeded: async () => {
        await affectedBy(this.dataSource.manager, db.deleteFrom('sign_in_attempt').where((eb) => eb.or([eb('id', '=', id), eb('email_key', '=', emailKey)])));
      },
      failed: async () => {
        await affectedBy(this.dataSource.manager, db.updateTable('sign_in_attempt').set({ failed_at: sql<Date>`now()` }).where('id', '=', id));
      },
    };
  }

  /** Drops attempts too old to count. */
  async prune(): Promise<void> {
    await affectedBy(
      this.dataSource.manager,
      db.deleteFrom('sign_in_attempt').where('attempted_at', '<', sql<Date>`now() - make_interval(secs => ${SIGN_IN_WINDOW_MS / 1000})`),
    ).catch(() => undefined);
  }
}
