// Unverified JWT payload decoding: enough to read `exp` of an access token and the sign-in
// message of prepare-signin's `signedData` (protocol §2.1 step 3, §2.2). Never verifies a signature,
// and no error message ever contains the token.

import { ProtocolError } from '../../errors.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The payload (middle part) of a compact JWT as a JSON object. Throws ProtocolError when the token
 * is not three dot-separated base64url parts or the payload is not a JSON object.
 */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const parts = token.trim().split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || payload === '' || !BASE64URL.test(payload)) {
    throw new ProtocolError('not a compact JWT (expected three base64url parts)');
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    // The cause is dropped on purpose: a JSON parse error quotes the text it failed on.
    throw new ProtocolError('JWT payload is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('JWT payload is not a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Expiry of a JWT in epoch ms from its `exp` claim (NumericDate, seconds), or null when the token
 * carries no usable `exp`. Throws ProtocolError when the token cannot be decoded at all.
 */
export function jwtExpiryMs(token: string): number | null {
  const exp = decodeJwtPayload(token).exp;
  return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? Math.round(exp * 1000) : null;
}
