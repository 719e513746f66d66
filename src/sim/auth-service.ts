// The auth host (protocol §2): the wallet sign-in challenge and login, access-token issue and
// verification (HMAC JWT bound to an Ed25519 requestId), and token revocation for the fault API.

import type { KeyObject } from 'node:crypto';
import { getAddress, verifyMessage } from 'ethers';
import { z } from 'zod';
import type { RandomSource } from '../domain/random.js';
import { signJwt, verifyJwt } from './jwt.js';
import { publicKeyFromBase58 } from './keys.js';

export interface TokenSession {
  readonly token: string;
  /** Lower-case wallet address. */
  readonly address: string;
  readonly publicKey: KeyObject;
  readonly expSeconds: number;
}

export type AuthOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly message: string };

export interface AuthServiceOptions {
  readonly secret: Buffer;
  readonly serverNowMs: () => number;
  readonly random: RandomSource;
  readonly tokenTtlSeconds: number;
}

/** Protocol §2.1: exp - iat = 180 s in the documented signedData. */
const CHALLENGE_TTL_SECONDS = 180;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

const loginSchema = z.object({
  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, 'signature must be 0x-prefixed 65-byte hex'),
  signedData: z.string().min(1),
  expiresSeconds: z.number().int().positive().optional(),
});

function siweMessage(address: string, requestId: string, nonce: string, issuedAt: string): string {
  return [
    'standx.com wants you to sign in with your Ethereum account:',
    address,
    '',
    'Sign in with Ethereum to the app.',
    '',
    'URI: https://standx.com',
    'Version: 1',
    'Chain ID: 56',
    `Nonce: ${nonce}`,
    `Issued At: ${issuedAt}`,
    `Request ID: ${requestId}`,
  ].join('\n');
}

export class AuthService {
  readonly #options: AuthServiceOptions;
  readonly #usedNonces = new Set<string>();
  readonly #revokedTokens = new Set<string>();
  /** Per address: tokens with a jti up to this value are refused. */
  readonly #revokedUpTo = new Map<string, number>();
  #lastJti = 0;

  constructor(options: AuthServiceOptions) {
    this.#options = options;
  }

  prepareSignin(chain: string | null, address: unknown, requestId: unknown): AuthOutcome<string> {
    if (chain !== 'bsc') return { ok: false, status: 400, message: 'unsupported chain' };
    if (typeof address !== 'string' || !ADDRESS.test(address)) return { ok: false, status: 400, message: 'invalid address' };
    if (typeof requestId !== 'string' || !publicKeyFromBase58(requestId)) {
      return { ok: false, status: 400, message: 'requestId must be the base58 Ed25519 public key' };
    }
    const iat = this.#nowSeconds();
    const nonce = this.#nonce();
    const issuedAt = new Date(iat * 1000).toISOString();
    const checksummed = getAddress(address);
    const payload = {
      domain: 'standx.com',
      uri: 'https://standx.com',
      statement: 'Sign in with Ethereum to the app.',
      version: '1',
      chainId: 56,
      nonce,
      address: checksummed,
      requestId,
      issuedAt,
      message: siweMessage(checksummed, requestId, nonce, issuedAt),
      exp: iat + CHALLENGE_TTL_SECONDS,
      iat,
    };
    return { ok: true, value: signJwt(payload, this.#options.secret) };
  }

  login(chain: string | null, body: unknown): AuthOutcome<{ token: string; address: string }> {
    if (chain !== 'bsc') return { ok: false, status: 400, message: 'unsupported chain' };
    const parsed = loginSchema.safeParse(body);
    if (!parsed.success) return { ok: false, status: 400, message: parsed.error.issues[0]?.message ?? 'invalid body' };
    const challenge = verifyJwt(parsed.data.signedData, this.#options.secret);
    const { message, address, requestId, exp, nonce } = challenge ?? {};
    if (typeof message !== 'string' || typeof address !== 'string' || typeof requestId !== 'string' || typeof nonce !== 'string') {
      return { ok: false, status: 401, message: 'invalid signedData' };
    }
    if (typeof exp !== 'number' || exp <= this.#nowSeconds()) return { ok: false, status: 401, message: 'signedData has expired' };
    if (this.#usedNonces.has(nonce)) return { ok: false, status: 401, message: 'signedData already used' };
    let signer: string;
    try {
      signer = verifyMessage(message, parsed.data.signature);
    } catch {
      return { ok: false, status: 401, message: 'invalid signature' };
    }
    if (signer.toLowerCase() !== address.toLowerCase()) return { ok: false, status: 401, message: 'invalid signature' };
    this.#usedNonces.add(nonce);
    // tokenTtlSeconds is the longest lifetime this server grants (StandX: 7 days by default).
    const ttlSeconds = Math.min(parsed.data.expiresSeconds ?? this.#options.tokenTtlSeconds, this.#options.tokenTtlSeconds);
    const token = this.issueToken(address, requestId, ttlSeconds);
    return { ok: true, value: { token, address } };
  }

  issueToken(address: string, requestId: string, ttlSeconds: number): string {
    const iat = this.#nowSeconds();
    this.#lastJti += 1;
    const payload = { sub: address.toLowerCase(), address: address.toLowerCase(), requestId, chain: 'bsc', jti: this.#lastJti, iat, exp: iat + ttlSeconds };
    return signJwt(payload, this.#options.secret);
  }

  verify(token: string): AuthOutcome<TokenSession> {
    const payload = verifyJwt(token, this.#options.secret);
    const { address, requestId, exp, jti } = payload ?? {};
    if (typeof address !== 'string' || typeof requestId !== 'string' || typeof exp !== 'number' || typeof jti !== 'number') {
      return { ok: false, status: 401, message: 'invalid token' };
    }
    const publicKey = publicKeyFromBase58(requestId);
    if (!publicKey) return { ok: false, status: 401, message: 'invalid token' };
    const revoked = this.#revokedTokens.has(token) || jti <= (this.#revokedUpTo.get(address) ?? 0);
    if (revoked || exp <= this.#nowSeconds()) return { ok: false, status: 401, message: 'token expired' };
    return { ok: true, value: { token, address, publicKey, expSeconds: exp } };
  }

  /** An address revokes every token issued to it so far; a later login gets a working one. */
  revoke(tokenOrAddress: string): void {
    if (ADDRESS.test(tokenOrAddress)) this.#revokedUpTo.set(tokenOrAddress.toLowerCase(), this.#lastJti);
    else this.#revokedTokens.add(tokenOrAddress);
  }

  #nowSeconds(): number {
    return Math.floor(this.#options.serverNowMs() / 1000);
  }

  #nonce(): string {
    let nonce = '';
    for (let index = 0; index < 16; index += 1) nonce += Math.floor(this.#options.random() * 36).toString(36);
    return nonce;
  }
}
