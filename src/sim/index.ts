// Public entry of the StandX-compatible simulator (`standx-mm sim`, integration tests, benchmark).

export { DEFAULT_SYMBOLS } from './defaults.js';
export { DEFAULT_REGIME } from './defaults.js';
export { isRegimeName, REGIME_NAMES, REGIMES, type LiveRegimeName, type RegimeName, type RegimeParams } from './regimes.js';
export { startSimulator } from './simulator.js';
export type {
  FillOptions,
  MakerUptimeHour,
  MakerUptimeHours,
  MakerUptimeReport,
  MeterFill,
  QuoteLife,
  MalformedVariant,
  OrderSelector,
  SimAccountCredentials,
  SimFaults,
  SimFill,
  SimOrderView,
  SimPositionView,
  SimStats,
  SimSymbolConfig,
  Simulator,
  SimulatorOptions,
  SimUrls,
  SocketKind,
  UptimeBand,
  UptimeMeter,
  UptimeReport,
} from './types.js';
