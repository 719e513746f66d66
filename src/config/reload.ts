// What a reload may change live: the quoting settings (all but the symbol), the alert settings and
// the log level. Everything else (credentials, symbol, endpoints, timings, files, kill switches) is
// read once at start, so a change there is reported as needing a restart and the old value is kept.

import type { Config } from './load.js';

export interface ReloadPlan {
  readonly isQuotingChanged: boolean;
  readonly isTelegramChanged: boolean;
  readonly isLogLevelChanged: boolean;
  /** Sections that changed but only take effect after a restart (e.g. `quoting.symbol`, `endpoints`). */
  readonly needsRestart: readonly string[];
}

export function planReload(current: Config, next: Config): ReloadPlan {
  const restartOnly: Record<string, [unknown, unknown]> = {
    accountName: [current.accountName, next.accountName],
    credentials: [credentialsKey(current), credentialsKey(next)],
    'quoting.symbol': [current.quoting.symbol, next.quoting.symbol],
    endpoints: [current.endpoints, next.endpoints],
    timing: [current.timing, next.timing],
    'log.file': [fileSettings(current), fileSettings(next)],
    runtime: [current.runtime, next.runtime],
    clOrdIdPrefix: [current.clOrdIdPrefix, next.clOrdIdPrefix],
    signer: [current.signer, next.signer],
    guards: [current.guards, next.guards],
  };
  return {
    isQuotingChanged: !isSame({ ...current.quoting, symbol: '' }, { ...next.quoting, symbol: '' }),
    isTelegramChanged: !isSame(current.telegram, next.telegram),
    isLogLevelChanged: current.log.level !== next.log.level,
    needsRestart: Object.entries(restartOnly)
      .filter(([, [before, after]]) => !isSame(before, after))
      .map(([name]) => name),
  };
}

/** What was applied, for the log line and the alert. */
export function appliedSections(plan: ReloadPlan): string[] {
  return [
    ...(plan.isQuotingChanged ? ['quoting'] : []),
    ...(plan.isTelegramChanged ? ['alerts'] : []),
    ...(plan.isLogLevelChanged ? ['log level'] : []),
  ];
}

function fileSettings(config: Config): unknown {
  const { dir, file, maxSizeMb, maxFiles } = config.log;
  return { dir, file, maxSizeMb, maxFiles };
}

/** Compared, never logged: the raw secret material of the scheme. */
function credentialsKey(config: Config): string {
  const { credentials } = config;
  return credentials.scheme === 'wallet'
    ? `wallet:${credentials.walletPrivateKey}`
    : `token:${Buffer.from(credentials.ed25519Seed).toString('hex')}:${credentials.accessToken}`;
}

function isSame(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner));
}
