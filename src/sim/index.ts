// Public entry of the StandX-compatible simulator (`standx-mm sim`, integration tests, benchmark).

export { DEFAULT_SYMBOLS } from './defaults.js';
export { startSimulator } from './simulator.js';
export type {
  FillOptions,
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
