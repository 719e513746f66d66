// The one logging interface every module writes through. It is pino's shape (a constant message,
// the data in an object), so the daemon hands in its pino logger and tests a silent or recording one.

type LogFn = {
  (data: object, message: string): void;
  (message: string): void;
};

export interface Log {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  /** A logger whose lines also carry `bindings` (e.g. `{ component: 'maker' }`). */
  child(bindings: Record<string, unknown>): Log;
}

const noop = (): void => undefined;

/** Writes nothing: the default where a caller passes no logger. */
export const silentLog: Log = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silentLog,
};
