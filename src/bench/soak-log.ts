// Reads the daemon's JSON log for the soak's error figures: fatal lines (uncaught exceptions and
// unhandled rejections end there), and error lines the daemon never recovered from. Pure.

export interface LogEntry {
  /** pino levels: 50 error, 60 fatal. */
  readonly level: number;
  readonly timeMs: number;
  readonly msg: string;
  /** The error's class and message, when the line carries one. */
  readonly err: string | null;
}

export interface ErrorFindings {
  readonly fatal: readonly LogEntry[];
  /** Error lines with no recovery: none of the account's quoting state after them (or an unclean end after the stop). */
  readonly unrecovered: readonly LogEntry[];
  readonly recoveredErrors: number;
}

const ERROR_LEVEL = 50;
const FATAL_LEVEL = 60;

function errText(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, message } = value as { type?: unknown; message?: unknown };
  const parts = [typeof type === 'string' ? type : '', typeof message === 'string' ? message : ''].filter((part) => part.length > 0);
  return parts.length > 0 ? parts.join(': ') : null;
}

/** Error and fatal lines of a pino JSON log; other lines and lines that are not JSON are skipped. */
export function parseErrorLines(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const level = typeof record['level'] === 'number' ? record['level'] : 0;
    if (level < ERROR_LEVEL) continue;
    const time = record['time'];
    const timeMs = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : NaN;
    entries.push({ level, timeMs, msg: typeof record['msg'] === 'string' ? record['msg'] : '', err: errText(record['err']) });
  }
  return entries;
}

export interface RecoveryFacts {
  /** The last instant before the stop at which both quotes rested with no position. */
  readonly lastQuotingMs: number | null;
  /** When SIGTERM was sent. */
  readonly stopMs: number;
  /** No order left, no position, exit code 0. */
  readonly isCleanEnd: boolean;
}

/** An error line before the stop is recovered once the account quotes again after it; after the stop, by a clean end. */
export function classifyErrors(entries: readonly LogEntry[], facts: RecoveryFacts): ErrorFindings {
  const fatal = entries.filter((entry) => entry.level >= FATAL_LEVEL);
  const errors = entries.filter((entry) => entry.level < FATAL_LEVEL);
  const isRecovered = (entry: LogEntry): boolean =>
    entry.timeMs >= facts.stopMs ? facts.isCleanEnd : facts.lastQuotingMs !== null && facts.lastQuotingMs > entry.timeMs;
  const unrecovered = errors.filter((entry) => !isRecovered(entry));
  return { fatal, unrecovered, recoveredErrors: errors.length - unrecovered.length };
}
