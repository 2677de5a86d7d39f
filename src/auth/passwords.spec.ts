import { describe, expect, it, jest } from '@jest/globals';
import argon2 from 'argon2';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with Argon2id at the OWASP parameters and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(verifyPassword(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong')).resolves.toBe(false);
  });

  it('treats a malformed hash as a mismatch', async () => {
    await expect(verifyPassword('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('spends one real Argon2 verification when there is no account, so an unknown email is not faster to refuse', async () => {
    const verify = jest.spyOn(argon2, 'verify');
    try {
      await expect(verifyAgainstDummy('whatever')).resolves.toBe(false);
      expect(verify).toHaveBeenCalledTimes(1);
      expect(String(verify.mock.calls[0]![0])).toMatch(/^\$argon2id\$.*m=19456,p=1,t=2/);
    } finally {
      verify.mockRestore();
    }
  });
});
