import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ACCOUNT_RULE, ADDRESS_RULE } from '../src/auth/sign-in-throttle.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createAccount, type TestPerson } from './support/people.js';

// Sign-in throttling under concurrency: a webinar audience behind one NAT
// signs in at once (the address limit counts only settled failures), while a
// parallel burst of guesses at one account is still stopped (the account
// limit counts in-flight attempts). This app trusts X-Forwarded-For so each
// test acts from its own address and nothing bleeds into other spec files.

let addressSeq = 0;
const newAddress = () => `203.0.113.${++addressSeq}`;

describe('sign-in throttle under concurrency', () => {
  let t: TestApp;
  const savedTrustProxy = process.env.TRUST_PROXY;

  beforeAll(async () => {
    process.env.TRUST_PROXY = 'true';
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.dataSource.query(`DELETE FROM sign_in_attempt`);
    await t.close();
    if (savedTrustProxy === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = savedTrustProxy;
  });

  /** `n` accounts sharing one password; one Argon2 hash, copied in SQL (hashing 40 times adds nothing here). */
  async function audience(n: number): Promise<TestPerson[]> {
    const first = await createAccount(t);
    const rows: { id: string; email: string }[] = await t.dataSource.query(
      `INSERT INTO account (email, display_name, password_hash)
       SELECT 'attendee-' || $2 || '-' || i || '@example.org', 'Attendee ' || i, a.password_hash
         FROM account a, generate_series(1, $3::int) AS i WHERE a.id = $1
       RETURNING id, email`,
      [first.id, randomUUID().slice(0, 8), n - 1],
    );
    return [first, ...rows.map((r) => ({ ...first, id: r.id, email: r.email }))];
  }

  const signIn = (email: string, password: string, address: string) =>
    t.agent().post('/api/auth/sign-in').set('X-Forwarded-For', address).send({ email, password });

  it('lets 40 different accounts sign in at the same moment from one address', async () => {
    const people = await audience(40);
    const address = newAddress();
    const results = await Promise.all(people.map((p) => signIn(p.email, p.password, address)));
    expect(results.map((r) => r.status)).toEqual(people.map(() => 200));
  });

  it('doesn\'t count in-flight attempts against the address, even when it is one failure short of its limit', async () => {
    const address = newAddress();
    // Earlier typos in the room: settled failures, one short of the allowance.
    await t.dataSource.query(
      `INSERT INTO sign_in_attempt (email_key, address, failed_at) SELECT 'typo-' || i || '@example.org', $1, now() FROM generate_series(1, $2::int) AS i`,
      [address, ADDRESS_RULE.freeFailures - 1],
    );
    const people = await audience(10);
    const results = await Promise.all(people.map((p) => signIn(p.email, p.password, address)));
    expect(results.map((r) => r.status)).toEqual(people.map(() => 200));
  });

  it('counts only settled failures for the address: pending attempts of other accounts don\'t block it, failures do', async () => {
    const p = await createAccount(t);
    const address = newAddress();
    await t.dataSource.query(
      `INSERT INTO sign_in_attempt (email_key, address) SELECT 'pending-' || i || '@example.org', $1 FROM generate_series(1, $2::int) AS i`,
      [address, ADDRESS_RULE.freeFailures * 2],
    );
    await signIn(p.email, p.password, address).expect(200);

    await t.dataSource.query(`UPDATE sign_in_attempt SET failed_at = now() WHERE address = $1`, [address]);
    const res = await signIn(p.email, p.password, address).expect(429);
    expect(res.body.code).toBe('rate_limited');
  });

  it('stops a parallel burst of wrong passwords at one account: at most the free failures are checked, the rest wait', async () => {
    const p = await createAccount(t);
    const address = newAddress();
    const burst = await Promise.all(Array.from({ length: 20 }, () => signIn(p.email, 'wrong-password', address)));
    const statuses = burst.map((r) => r.status);
    const checked = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(ACCOUNT_RULE.freeFailures);
    for (const r of burst.filter((x) => x.status === 429)) expect(r.body.code).toBe('rate_limited');

    // Every checked guess is recorded as a settled failure, and refused ones left no row.
    const [row] = await t.dataSource.query(
      `SELECT count(*) FILTER (WHERE failed_at IS NOT NULL)::int AS failed, count(*) FILTER (WHERE failed_at IS NULL)::int AS pending
         FROM sign_in_attempt WHERE email_key = $1`,
      [p.email.toLowerCase()],
    );
    expect(row).toEqual({ failed: checked, pending: 0 });

    // Once over the allowance, even the right password must wait.
    await t.dataSource.query(
      `INSERT INTO sign_in_attempt (email_key, address, failed_at) SELECT $1, $2, now() FROM generate_series(1, $3::int)`,
      [p.email.toLowerCase(), address, ACCOUNT_RULE.freeFailures - checked],
    );
    await signIn(p.email, p.password, newAddress()).expect(429);
  });
});
