import { describe, expect, it } from '@jest/globals';
import { bearerSecret, cookieValue, newSecret, secretId } from './tokens.js';

describe('tokens', () => {
  it('makes distinct URL-safe secrets with the given prefix', () => {
    const a = newSecret('agora_');
    expect(a).toMatch(/^agora_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(newSecret());
  });

  it('stores the SHA-256 hex of a secret', () => {
    expect(secretId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reads a bearer token from the Authorization header', () => {
    expect(bearerSecret('Bearer agora_x1')).toBe('agora_x1');
    expect(bearerSecret('bearer  agora_x1 ')).toBe('agora_x1');
    expect(bearerSecret('Basic abc')).toBeNull();
    expect(bearerSecret('Bearer')).toBeNull();
    expect(bearerSecret('Bearer a b')).toBeNull();
    expect(bearerSecret(undefined)).toBeNull();
  });

  it('reads the session cookie from a raw Cookie header', () => {
    expect(cookieValue('a=1; agora_session=s%2B3; b=2')).toBe('s+3');
    expect(cookieValue('xagora_session=1')).toBeNull();
    expect(cookieValue('agora_session=')).toBeNull();
    expect(cookieValue('agora_session=%E0%A4%A')).toBeNull();
    expect(cookieValue(undefined)).toBeNull();
  });
});
