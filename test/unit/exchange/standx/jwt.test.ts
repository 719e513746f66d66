import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/errors.js';
import { decodeJwtPayload, jwtExpiryMs } from '../../../../src/exchange/standx/jwt.js';
import { makeJwt } from './http-stub.js';

describe('decodeJwtPayload', () => {
  it('decodes a base64url payload without padding, including - and _ characters', () => {
    // "?>" and "~~~" encode to base64url with '_' / '-' where base64 would have '/' and '+'.
    const payload = { sub: 'bsc_0xabc', note: '?>?>~~~', unicode: 'é€' };
    const token = makeJwt(payload);
    expect(token.split('.')[1]).toMatch(/[-_]/);
    expect(token.split('.')[1]).not.toContain('=');
    expect(decodeJwtPayload(token)).toEqual(payload);
  });

  it('ignores surrounding whitespace (tokens pasted into .env files)', () => {
    expect(decodeJwtPayload(`  ${makeJwt({ exp: 1 })}\n`)).toEqual({ exp: 1 });
  });

  const secretLooking = 'eyJhbGciOiJFUzI1NiJ9.bm90LWpzb24.c2ln';
  it.each([
    ['two parts', 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjF9'],
    ['four parts', `${makeJwt({ exp: 1 })}.extra`],
    ['an empty payload', 'eyJhbGciOiJFUzI1NiJ9..c2ln'],
    ['characters outside base64url', 'eyJhbGciOiJFUzI1NiJ9.eyJleHAiOjF9+/=.c2ln'],
    ['a payload that is not JSON', secretLooking],
    ['a JSON array payload', `x.${Buffer.from('[1,2]').toString('base64url')}.y`],
    ['a JSON string payload', `x.${Buffer.from('"exp"').toString('base64url')}.y`],
    ['an opaque string', 'not-a-jwt-at-all'],
  ])('rejects %s with ProtocolError that does not quote the token', (_label, token) => {
    expect(() => decodeJwtPayload(token)).toThrow(ProtocolError);
    try {
      decodeJwtPayload(token);
    } catch (error) {
      expect((error as Error).message).not.toContain(token);
      for (const part of token.split('.').filter((p) => p.length > 3)) {
        expect((error as Error).message).not.toContain(part);
      }
    }
  });
});

describe('jwtExpiryMs', () => {
  it.each([
    ['exp in seconds becomes epoch ms', { exp: 1_767_225_600 }, 1_767_225_600_000],
    ['a fractional exp is rounded to the ms', { exp: 1_700_000_000.5 }, 1_700_000_000_500],
    ['no exp claim', { iat: 1_700_000_000 }, null],
    ['a string exp', { exp: '1700000000' }, null],
    ['a zero exp', { exp: 0 }, null],
    ['a null exp', { exp: null }, null],
  ])('%s', (_label, payload, expected) => {
    expect(jwtExpiryMs(makeJwt(payload))).toBe(expected);
  });

  it('reads exp from a real-world-shaped StandX token', () => {
    const token = makeJwt({ address: '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23', chain: 'bsc', iat: 1_767_225_600, exp: 1_767_830_400 });
    expect(jwtExpiryMs(token)).toBe(1_767_830_400_000);
  });

  it('throws ProtocolError for a token that cannot be decoded', () => {
    expect(() => jwtExpiryMs('abc')).toThrow(ProtocolError);
  });
});
