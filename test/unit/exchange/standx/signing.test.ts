import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createSigner,
  decodeEd25519Seed,
  InvalidKeyError,
  requestIdOf,
  signedMessage,
  signRequest,
  type SignerBackend,
} from '../../../../src/exchange/standx/signing.js';

interface SigningVector {
  name: string;
  ed25519_private_key_base58: string;
  public_key_hex: string;
  request_id_base58: string;
  x_request_id: string;
  x_request_timestamp: string;
  payload: string;
  signed_message: string;
  x_request_signature: string;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../../fixtures/vectors/signing.json', import.meta.url), 'utf8')) as {
    cases: SigningVector[];
  }
).cases;
const backends: SignerBackend[] = ['node', 'noble'];
const cases = backends.flatMap((backend) => vectors.map((vector) => ({ backend, vector, label: `${backend}: ${vector.name} (${vector.request_id_base58.slice(0, 6)})` })));

describe('request signing golden vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(6);
  });

  it.each(cases)('$label', ({ backend, vector }) => {
    const signer = createSigner(decodeEd25519Seed(vector.ed25519_private_key_base58), backend);
    expect(Buffer.from(signer.publicKey).toString('hex')).toBe(vector.public_key_hex);
    expect(requestIdOf(signer)).toBe(vector.request_id_base58);
    const timestamp = Number(vector.x_request_timestamp);
    expect(signedMessage(vector.x_request_id, timestamp, vector.payload)).toBe(vector.signed_message);
    expect(signRequest(signer, vector.x_request_id, timestamp, vector.payload)).toEqual({
      'x-request-sign-version': 'v1',
      'x-request-id': vector.x_request_id,
      'x-request-timestamp': vector.x_request_timestamp,
      'x-request-signature': vector.x_request_signature,
    });
  });
});

describe('decodeEd25519Seed', () => {
  it('accepts a 43-character key that decodes to 32 bytes', () => {
    expect(decodeEd25519Seed('1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE')).toHaveLength(32);
  });

  it.each([
    ['not base58 (0 and l are outside the alphabet)', '0lthX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE'],
    ['too short', '1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkP'],
    ['too long', '1thX6LZfHDZZKUs92febYZhYRcXddmzfzF2NvTkPNE1111'],
    ['empty', ''],
  ])('rejects a key that is %s without echoing it', (_label, key) => {
    expect(() => decodeEd25519Seed(key)).toThrow(InvalidKeyError);
    try {
      decodeEd25519Seed(key);
    } catch (error) {
      if (key) expect((error as Error).message).not.toContain(key);
    }
  });
});
