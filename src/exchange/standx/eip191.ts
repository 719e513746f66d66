// The wallet side of the StandX sign-in: the EVM key from WALLET_PRIVATE_KEY and the EIP-191
// personal_sign of the sign-in message (protocol §2.1 step 4). Used by auth.ts and proven against
// test/fixtures/vectors/eip191.json. ethers is loaded only when a wallet is used: it weighs ~27 MB of
// RSS that a token-scheme daemon never needs.

import { ConfigError } from '../../errors.js';

const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/;

/** What the sign-in needs of a wallet. */
export interface EvmWallet {
  readonly address: string;
  signMessage(message: string): Promise<string>;
}

/**
 * Checks WALLET_PRIVATE_KEY's form: 32 bytes of hex, with or without `0x` (the reference bot accepts
 * both). Throws ConfigError naming the variable, never its value. Returns the 0x form.
 */
export function checkWalletKey(privateKeyHex: string): string {
  const trimmed = privateKeyHex.trim();
  if (!PRIVATE_KEY_HEX.test(trimmed)) {
    throw new ConfigError(['WALLET_PRIVATE_KEY: expected 32 bytes of hex (64 hex digits, optional 0x)']);
  }
  return trimmed.startsWith('0x') ? trimmed : `0x${trimmed}`;
}

/** The wallet for WALLET_PRIVATE_KEY (ethers). */
export async function loadWallet(privateKeyHex: string): Promise<EvmWallet> {
  const key = checkWalletKey(privateKeyHex);
  const { Wallet } = await import('ethers');
  try {
    return new Wallet(key);
  } catch {
    // No cause: library errors may quote the argument.
    throw new ConfigError(['WALLET_PRIVATE_KEY: not a valid secp256k1 private key']);
  }
}

/**
 * EIP-191 personal_sign of `message` (UTF-8): "\x19Ethereum Signed Message:\n" + length + message,
 * keccak-256, secp256k1 with RFC 6979 nonces and low s; returns the 65-byte r‖s‖v (v = 27|28) as
 * `0x` hex, the form StandX's login expects (protocol §2.1 step 4).
 */
export async function personalSign(wallet: EvmWallet, message: string): Promise<string> {
  return wallet.signMessage(message);
}
