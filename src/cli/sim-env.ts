// The variables that point a daemon at an account of the built-in simulator: its credentials and
// the simulator's endpoints. Shared by `standx-mm sim`, the benchmark and the integration tests.

import type { QuotingConfig } from '../config/load.js';
import { bpsToNumber } from '../domain/bps.js';
import type { SimAccountCredentials, SimUrls, UptimeBand } from '../sim/index.js';

export function simAccountEnv(
  urls: SimUrls,
  account: SimAccountCredentials,
  scheme: 'token' | 'wallet' = 'token',
): Record<string, string> {
  const credentials: Record<string, string> =
    scheme === 'wallet'
      ? { WALLET_PRIVATE_KEY: account.walletPrivateKey }
      : { ED25519_PRIVATE_KEY: account.ed25519PrivateKey, ACCESS_TOKEN: account.accessToken };
  return {
    ...credentials,
    STANDX_API_BASE: urls.apiBase,
    STANDX_AUTH_BASE: urls.authBase,
    STANDX_GEO_BASE: urls.geoBase,
    STANDX_WS_STREAM_URL: urls.wsStream,
    STANDX_WS_API_URL: urls.wsApi,
  };
}

/** The band the simulator's uptime meter checks the daemon's quotes against: its own, and `markBandBps` of the mark. */
export function meterBand(quoting: QuotingConfig, markBandBps: number): UptimeBand {
  return { minBps: bpsToNumber(quoting.minBps), maxBps: bpsToNumber(quoting.maxBps), markBandBps };
}
