// The wallet side of the StandX sign-in: the EVM key from WALLET_PRIVATE_KEY and the EIP-191
// personal_sign of the sign-in message (protocol §2.1 step 4). Used by auth.ts and proven against
// ../shared/vectors/eip191.json.

import { Wallet } from 'ethers';
import { ConfigError } from '../errors.js';

const PRIVATE_KEY_HEX = /^(0x)?[0-9a-fA-F]{64}$/;

/**
 * The wallet for WALLET_PRIVATE_KEY: 32 bytes of hex, with or without `0x` (the reference bot
 * accepts both). Throws ConfigError naming the variable, never its value.
 */
export function createWallet(privateKeyHex: string): Wallet {
  const trimmed = privateKeyHex.trim();
  if (!PRIVATE_KEY_HEX.test(trimmed)) {
    throw new ConfigError(['WALLET_PRIVATE_KEY: expected 32 bytes of hex (64 hex digits, optional 0x)']);
  }
  try {
    return new Wallet(trimmed.startsWith('0x') ? trimmed : `0x${trimmed}`);
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
export async function personalSign(wallet: Wallet, message: string): Promise<string> {
  return wallet.signMessage(message);
}
