import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { originAllowed, ownOrigin } from './socket-auth.js';

const request = (headers: Record<string, string>, encrypted = false) =>
  ({ headers, socket: { encrypted } }) as unknown as IncomingMessage;

describe('socket handshake origin check', () => {
  const config = { ALLOWED_ORIGINS: ['https://partner.example'], TRUST_PROXY: false };

  it('allows the app\'s own origin, listed origins, and clients that send none', () => {
    expect(originAllowed(request({ host: 'agora.test:3000', origin: 'http://agora.test:3000' }), config)).toBe(true);
    expect(originAllowed(request({ host: 'agora.test', origin: 'https://partner.example' }), config)).toBe(true);
    expect(originAllowed(request({ host: 'agora.test' }), config)).toBe(true);
  });

  it('refuses other sites, "null" and garbage origins', () => {
    expect(originAllowed(request({ host: 'agora.test', origin: 'https://evil.example' }), config)).toBe(false);
    expect(originAllowed(request({ host: 'agora.test', origin: 'http://agora.test.evil.example' }), config)).toBe(false);
    expect(originAllowed(request({ host: 'agora.test', origin: 'null' }), config)).toBe(false);
    expect(originAllowed(request({ host: 'agora.test', origin: 'not a url' }), config)).toBe(false);
    // Same host, other scheme: another origin.
    expect(originAllowed(request({ host: 'agora.test', origin: 'https://agora.test' }), config)).toBe(false);
  });

  it('uses the forwarded host and scheme only behind a trusted proxy', () => {
    const headers = { host: 'app:3000', 'x-forwarded-host': 'agora.example.org', 'x-forwarded-proto': 'https', origin: 'https://agora.example.org' };
    expect(ownOrigin(request(headers), false)).toBe('http://app:3000');
    expect(originAllowed(request(headers), config)).toBe(false);
    expect(ownOrigin(request(headers), true)).toBe('https://agora.example.org');
    expect(originAllowed(request(headers), { ...config, TRUST_PROXY: true })).toBe(true);
    expect(ownOrigin(request({ host: 'agora.test' }, true), false)).toBe('https://agora.test');
  });
});
