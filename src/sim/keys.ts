// Key material: deterministic account keys derived from the simulator seed, and Ed25519
// verification of request signatures with node:crypto (the key is the base58 requestId, §2-§3).

import { createHash, createPrivateKey, createPublicKey, verify, type KeyObject } from 'node:crypto';
import bs58 from 'bs58';

// DER prefixes of PKCS#8 / SPKI Ed25519 keys (RFC 8410); the 32 raw key bytes follow.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** 32 bytes derived from the simulator seed, a purpose label and an index. */
export function deriveBytes(seed: number, purpose: string, index: number): Buffer {
  return createHash('sha256').update(`standx-sim:${seed}:${purpose}:${index}`).digest();
}

export function ed25519PublicKeyOf(seed32: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed32]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - KEY_BYTES));
}

/** The public key named by a base58 requestId, or null when it is not 32 bytes of base58. */
export function publicKeyFromBase58(requestId: string): KeyObject | null {
  let raw: Uint8Array;
  try {
    raw = bs58.decode(requestId);
  } catch {
    return null;
  }
  if (raw.length !== KEY_BYTES) return null;
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** Standard padded base64 of exactly 64 bytes, verifying over `message`. */
export function verifyEd25519(key: KeyObject, message: Buffer, signatureBase64: string): boolean {
  if (!BASE64.test(signatureBase64)) return false;
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length !== SIGNATURE_BYTES) return false;
  return verify(null, message, key, signature);
}
