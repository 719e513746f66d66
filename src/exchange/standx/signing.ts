// Ed25519 request signing (protocol §3): the key, two interchangeable backends, and the signed
// headers over `v1,<x-request-id>,<x-request-timestamp>,<body>`. Both backends give identical
// signatures (Ed25519 is deterministic); the benchmark picks the default.

import { createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, createHash, type KeyObject } from 'node:crypto';
import * as ed from '@noble/ed25519';
import bs58 from 'bs58';

/** Ed25519 backends; the config schema offers exactly these. */
export const SIGNER_BACKENDS = ['node', 'noble'] as const;
export type SignerBackend = (typeof SIGNER_BACKENDS)[number];

export interface Ed25519Signer {
  readonly backend: SignerBackend;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface SignedHeaders {
  'x-request-sign-version': 'v1';
  'x-request-id': string;
  'x-request-timestamp': string;
  'x-request-signature': string;
}

export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError';
}

const SEED_BYTES = 32;
// DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows it (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SIGN_VERSION = 'v1';

/**
 * Decodes ED25519_PRIVATE_KEY: base58 of the 32-byte seed. Validated by decoded length, not string
 * length: base58 of 32 bytes is 43 or 44 characters (protocol §2.2). The message never echoes the key.
 */
export function decodeEd25519Seed(base58Key: string): Uint8Array {
  let decoded: Uint8Array;
  try {
    decoded = bs58.decode(base58Key.trim());
  } catch {
    throw new InvalidKeyError('not valid base58');
  }
  if (decoded.length !== SEED_BYTES) {
    throw new InvalidKeyError(`decodes to ${decoded.length} bytes, expected ${SEED_BYTES}`);
  }
  return decoded;
}

export function encodeBase58(bytes: Uint8Array): string {
  return bs58.encode(bytes);
}

export function generateEd25519Seed(): Uint8Array {
  return new Uint8Array(randomBytes(SEED_BYTES));
}

/** The wallet scheme's `requestId` and the sim's key binding: base58 of the public key. */
export function requestIdOf(signer: Ed25519Signer): string {
  return bs58.encode(signer.publicKey);
}

class NodeSigner implements Ed25519Signer {
  readonly backend = 'node' as const;
  readonly publicKey: Uint8Array;
  readonly #key: KeyObject;

  constructor(seed: Uint8Array) {
    this.#key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(this.#key).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - SEED_BYTES));
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(nodeSign(null, message, this.#key));
  }
}

function ensureNobleHash(): void {
  // @noble/ed25519 v3 signs synchronously only once told which SHA-512 to use.
  if (!ed.hashes.sha512) {
    ed.hashes.sha512 = (message: Uint8Array) => new Uint8Array(createHash('sha512').update(message).digest());
  }
}

class NobleSigner implements Ed25519Signer {
  readonly backend = 'noble' as const;
  readonly publicKey: Uint8Array;
  readonly #seed: Uint8Array;

  constructor(seed: Uint8Array) {
    ensureNobleHash();
    this.#seed = Uint8Array.from(seed);
    this.publicKey = ed.getPublicKey(this.#seed);
  }

  sign(message: Uint8Array): Uint8Array {
    return ed.sign(message, this.#seed);
  }
}

export function createSigner(seed: Uint8Array, backend: SignerBackend): Ed25519Signer {
  if (seed.length !== SEED_BYTES) throw new InvalidKeyError(`seed must be ${SEED_BYTES} bytes`);
  return backend === 'node' ? new NodeSigner(seed) : new NobleSigner(seed);
}

export function signedMessage(requestUuid: string, timestampMs: number, payload: string): string {
  return `${SIGN_VERSION},${requestUuid},${timestampMs},${payload}`;
}

/** Headers for one signed request; `payload` must be byte-identical to the body (or ws `params`) sent. */
export function signRequest(
  signer: Ed25519Signer,
  requestUuid: string,
  timestampMs: number,
  payload: string,
): SignedHeaders {
  const signature = signer.sign(Buffer.from(signedMessage(requestUuid, timestampMs, payload), 'utf8'));
  return {
    'x-request-sign-version': SIGN_VERSION,
    'x-request-id': requestUuid,
    'x-request-timestamp': String(timestampMs),
    'x-request-signature': Buffer.from(signature).toString('base64'),
  };
}
