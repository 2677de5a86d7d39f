import argon2 from 'argon2';

/**
 * Argon2id at OWASP's recommended parameters (m = 19 MiB, t = 2, p = 1).
 * Real parameters everywhere, tests included: a hash takes a few tens of ms.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** True when the password matches; a malformed hash counts as a mismatch. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash ahead of the first unknown-email sign-in (called at start). */
export function warmDummyHash(): Promise<string> {
  dummyHash ??= hashPassword('agora-dummy-password-for-timing');
  return dummyHash;
}

/**
 * Spends the time of one verification when there is no account to check, so a
 * wrong email and a wrong password take about as long to refuse.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await warmDummyHash(), password);
  return false;
}
