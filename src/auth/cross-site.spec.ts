import { describe, expect, it } from '@jest/globals';
import { isAllowedOrigin, originOf, type OriginCheckInput } from './cross-site.js';

const base: OriginCheckInput = { method: 'POST', ownOrigin: 'http://agora.example:3000', allowedOrigins: [], bearer: false };

describe('originOf', () => {
  it('reduces http(s) URLs to their origin and rejects anything else', () => {
    expect(originOf('https://agora.example/forums/1?x=y')).toBe('https://agora.example');
    expect(originOf('http://agora.example:3000/')).toBe('http://agora.example:3000');
    expect(originOf('HTTPS://Agora.Example:443')).toBe('https://agora.example');
    expect(originOf('null')).toBeNull();
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('')).toBeNull();
  });
});

describe('isAllowedOrigin', () => {
  it('lets safe methods through whatever their origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(isAllowedOrigin({ ...base, method, origin: 'https://evil.example' })).toBe(true);
    }
  });

  it('refuses unsafe methods from a foreign origin', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'delete']) {
      expect(isAllowedOrigin({ ...base, method, origin: 'https://evil.example' })).toBe(false);
    }
  });

  it('accepts the own origin, and refuses the same host on another scheme or port', () => {
    expect(isAllowedOrigin({ ...base, origin: 'http://agora.example:3000' })).toBe(true);
    expect(isAllowedOrigin({ ...base, origin: 'https://agora.example:3000' })).toBe(false);
    expect(isAllowedOrigin({ ...base, origin: 'http://agora.example:4000' })).toBe(false);
    expect(isAllowedOrigin({ ...base, origin: 'http://agora.example.evil.example:3000' })).toBe(false);
  });

  it('falls back to Referer when Origin is absent, and Origin wins when both are present', () => {
    expect(isAllowedOrigin({ ...base, referer: 'http://agora.example:3000/forums/2' })).toBe(true);
    expect(isAllowedOrigin({ ...base, referer: 'https://evil.example/page' })).toBe(false);
    expect(isAllowedOrigin({ ...base, origin: 'http://agora.example:3000', referer: 'https://evil.example/' })).toBe(true);
    expect(isAllowedOrigin({ ...base, origin: 'https://evil.example', referer: 'http://agora.example:3000/' })).toBe(false);
  });

  it('lets requests with neither header through (scripts, curl)', () => {
    expect(isAllowedOrigin({ ...base })).toBe(true);
    expect(isAllowedOrigin({ ...base, origin: '' })).toBe(true);
  });

  it('refuses the opaque "null" origin and malformed values', () => {
    expect(isAllowedOrigin({ ...base, origin: 'null' })).toBe(false);
    expect(isAllowedOrigin({ ...base, origin: 'not a url' })).toBe(false);
  });

  it('accepts origins listed in ALLOWED_ORIGINS, compared as origins', () => {
    const allowedOrigins = ['https://client.example/', 'http://localhost:5173'];
    expect(isAllowedOrigin({ ...base, allowedOrigins, origin: 'https://client.example' })).toBe(true);
    expect(isAllowedOrigin({ ...base, allowedOrigins, origin: 'http://localhost:5173' })).toBe(true);
    expect(isAllowedOrigin({ ...base, allowedOrigins, origin: 'http://localhost:5174' })).toBe(false);
  });

  it('exempts bearer-token requests, which carry no ambient credential', () => {
    expect(isAllowedOrigin({ ...base, bearer: true, origin: 'https://evil.example' })).toBe(true);
  });

  it('refuses a foreign origin when the own origin is unknown', () => {
    expect(isAllowedOrigin({ ...base, ownOrigin: null, origin: 'http://agora.example:3000' })).toBe(false);
  });
});
