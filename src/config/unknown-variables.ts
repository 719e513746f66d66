// Catching misspelt variables: a name that looks like one of the daemon's (same family prefix) but
// is not one is an error with a "did you mean", instead of a silent default. The Python bot's
// variables that standx-mm does not use are only reported as ignored (protocol §9).

import { envSchema } from './schema.js';

/** Every variable the daemon reads. */
export const KNOWN_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Families named outright, on top of those derived from the schema. */
const NAMED_PREFIXES = ['MARKET_MAKER_', 'STANDX_', 'TELEGRAM_', 'LOG_'];

/**
 * The reference bot's variables (and its later versions') that mean nothing here: accepted so that
 * one env file serves both during a migration.
 */
const PYTHON_BOT_ONLY: readonly RegExp[] = [
  /^BALANCE_EXIT_THRESHOLD$/,
  /^REORDER_NOTIFY_THROTTLE_SECONDS$/,
  /^MIDPRICE_[A-Z0-9_]+$/,
  /^(TP|SL|TAKE_PROFIT|STOP_LOSS|RISK|POSITION|BALANCE_REPORT)_[A-Z0-9_]+$/,
];

/**
 * A prefix is a family when at least two of the daemon's variables share their first word (LOG_,
 * MID_, …): single-word families such as HTTP_ would catch HTTP_PROXY from a process environment.
 */
export function variablePrefixes(known: readonly string[] = KNOWN_VARIABLES): readonly string[] {
  const counts = new Map<string, number>();
  for (const name of known) {
    const underscore = name.indexOf('_');
    if (underscore > 0) counts.set(name.slice(0, underscore + 1), (counts.get(name.slice(0, underscore + 1)) ?? 0) + 1);
  }
  const families = [...counts].filter(([, count]) => count >= 2).map(([prefix]) => prefix);
  return [...new Set([...NAMED_PREFIXES, ...families])].sort();
}

export interface VariableReview {
  /** One line per unknown variable of the daemon's families: `NAME: unknown variable (did you mean X?)`. */
  readonly problems: readonly string[];
  /** Names that are not the daemon's: the Python bot's and anything outside its families. */
  readonly ignored: readonly string[];
}

/**
 * `fileNames` come from the env file, `processNames` from the process environment; of the latter only
 * the daemon's families count, since a shell or a unit carries many unrelated variables.
 */
export function reviewVariables(fileNames: readonly string[], processNames: readonly string[], known: readonly string[] = KNOWN_VARIABLES): VariableReview {
  const knownSet = new Set(known);
  const prefixes = variablePrefixes(known);
  const isFamily = (name: string): boolean => prefixes.some((prefix) => name.startsWith(prefix));
  const isPythonOnly = (name: string): boolean => PYTHON_BOT_ONLY.some((pattern) => pattern.test(name));
  const candidates = new Set([...fileNames, ...processNames.filter(isFamily)]);
  const problems: string[] = [];
  const ignored: string[] = [];
  for (const name of [...candidates].sort()) {
    if (knownSet.has(name)) continue;
    if (isFamily(name) && !isPythonOnly(name)) problems.push(`${name}: unknown variable${suggestion(name, known)}`);
    else ignored.push(name);
  }
  return { problems, ignored };
}

function suggestion(name: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const limit = Math.max(2, Math.floor(name.length / 4));
  return best !== null && bestDistance <= limit ? ` (did you mean ${best}?)` : '';
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
