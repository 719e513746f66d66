// Where StandX lives: the five base URLs (overridable for the simulator and tests), the sign-in chain
// and every REST path this client calls. Protocol reference: docs/standx-protocol.md §1, §2, §4.

export interface StandXEndpoints {
  /** REST base, paths `/api/...` (protocol §1, §4). */
  readonly apiBase: string;
  /** Login host: `/v1/offchain/prepare-signin`, `/v1/offchain/login` (protocol §1, §2.1). */
  readonly authBase: string;
  /** Server time: `/v1/region` → `systemTime` (protocol §1). */
  readonly geoBase: string;
  /** Market and account pushes (protocol §5). */
  readonly wsStreamUrl: string;
  /** Order commands and their acks (protocol §6). */
  readonly wsApiUrl: string;
}

export const DEFAULT_ENDPOINTS: StandXEndpoints = Object.freeze({
  apiBase: 'https://perps.standx.com',
  authBase: 'https://api.standx.com',
  geoBase: 'https://geo.standx.com',
  wsStreamUrl: 'wss://perps.standx.com/ws-stream/v1',
  wsApiUrl: 'wss://perps.standx.com/ws-api/v1',
});

/**
 * The `chain` query parameter of the wallet sign-in. `bsc` is what the reference bot uses and what
 * an EVM (EIP-191) wallet signs for; `solana` exists but needs a different signature (protocol §1, §2.1).
 */
export const SIGNIN_CHAIN = 'bsc';

/** REST paths, without trailing slashes: StandX answers 404 to them (protocol §1). */
export const PATHS = Object.freeze({
  querySymbolInfo: '/api/query_symbol_info',
  querySymbolPrice: '/api/query_symbol_price',
  queryDepthBook: '/api/query_depth_book',
  queryOpenOrders: '/api/query_open_orders',
  queryPositions: '/api/query_positions',
  queryBalance: '/api/query_balance',
  newOrder: '/api/new_order',
  cancelOrder: '/api/cancel_order',
  cancelOrders: '/api/cancel_orders',
  makerUptime: '/api/maker/uptime',
  region: '/v1/region',
  klineTime: '/api/kline/time',
  prepareSignin: '/v1/offchain/prepare-signin',
  login: '/v1/offchain/login',
});
