import { readFileSync } from 'node:fs';
import { verifyMessage } from 'ethers';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/errors.js';
import { loadWallet, personalSign } from '../../../../src/exchange/standx/eip191.js';

interface Eip191Vector {
  wallet_private_key: string;
  address: string;
  message: string;
  signature: string;
}

const vectors = (
  JSON.parse(readFileSync(new URL('../../../fixtures/vectors/eip191.json', import.meta.url), 'utf8')) as {
    cases: Eip191Vector[];
  }
).cases;

describe('EIP-191 personal_sign golden vectors', () => {
  it('has vectors to check', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(2);
  });

  it.each(vectors.map((vector) => ({ vector, label: `${vector.address} signs ${JSON.stringify(vector.message.slice(0, 24))}` })))(
    '$label',
    async ({ vector }) => {
      const wallet = await loadWallet(vector.wallet_private_key);
      expect(wallet.address).toBe(vector.address);
      const signature = await personalSign(wallet, vector.message);
      expect(signature).toBe(vector.signature);
      expect(verifyMessage(vector.message, signature)).toBe(vector.address);
    },
  );

  it.each(vectors.map((vector) => ({ vector, label: vector.address })))(
    'accepts the key of $label without 0x and with surrounding whitespace',
    async ({ vector }) => {
      const wallet = await loadWallet(` ${vector.wallet_private_key.slice(2)}\n`);
      expect(await personalSign(wallet, vector.message)).toBe(vector.signature);
    },
  );
});

describe('loadWallet', () => {
  it.each([
    ['too short', '0x1234'],
    ['not hex', `0x${'zz'.repeat(32)}`],
    ['zero (outside the curve order)', `0x${'00'.repeat(32)}`],
    ['the curve order itself', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
    ['empty', ''],
  ])('rejects a key that is %s with ConfigError naming the variable, not the value', async (_label, key) => {
    const error: unknown = await loadWallet(key).then(
      () => null,
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(ConfigError);
    {
      expect((error as ConfigError).problems[0]).toMatch(/^WALLET_PRIVATE_KEY: /);
      if (key.length > 4) expect((error as Error).message).not.toContain(key.slice(2));
      expect((error as Error).cause).toBeUndefined();
    }
  });
});
