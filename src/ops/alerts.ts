// The alert vocabulary: what the daemon tells its operator, and how each event reads as one short
// plain-text message. The account comes first so people running several accounts can tell them
// apart; free text is scrubbed of anything that looks like a secret.

export interface BandBps {
  minBps: number;
  targetBps: number;
  maxBps: number;
}

export type Alert =
  | {
      kind: 'start';
      symbol: string;
      /** Quote size per side, as a decimal string. */
      qty: string;
      band: BandBps;
      /** How quotes are managed (for example the reprice policy). */
      policy: string;
      /** How the daemon authenticates (wallet sign-in or a pasted token). */
      scheme: string;
    }
  | {
      kind: 'stop';
      /** Why: the signal name, or a short cause. */
      reason: string;
      ordersCancelled: number;
      /** False when open orders could not be confirmed gone after cancelling. */
      isCancelConfirmed: boolean;
      isPositionFlat: boolean;
      /** The remaining position when not flat, e.g. `0.005 long`. */
      position?: string;
      /** The uptime count of the hour at stop. */
      uptime?: string;
    }
  | { kind: 'fatal'; message: string }
  | { kind: 'authFailure'; reason: string }
  | {
      kind: 'flattened';
      /** The side of the position that was closed. */
      side: 'long' | 'short';
      qty: string;
      /** Realized PnL as a signed decimal string, when known. */
      realizedPnl?: string;
    }
  | { kind: 'streamDown'; stream: string; reason: string }
  | { kind: 'streamUp'; stream: string; downForMs: number }
  | { kind: 'tokenExpiring'; expiresAt: number }
  | {
      kind: 'orderRejected';
      /** A stable category (say, the error code), so repeats throttle together. */
      reason: string;
      pausedForMs: number;
    }
  | {
      kind: 'halted';
      /** What halted quoting: paused, failures, dailyLoss, secondQuoter. */
      reason: string;
      detail: string;
    }
  | { kind: 'resumed'; after: string }
  | {
      kind: 'reload';
      /** Empty when the file was refused. */
      applied: string[];
      /** Settings that changed in the file but only take effect after a restart. */
      needsRestart: string[];
      /** Why the file was refused (the old settings are kept); empty when it was applied. */
      problems: string[];
    }
  | {
      kind: 'cleanup';
      /** Why the cleanup ran (systemd's result and exit status after an unclean stop). */
      reason: string;
      cancelled: number;
      /** Orders still open afterwards; null when unknown (the cleanup failed). */
      remaining: number | null;
      /** The position left after flattening, or null when it could not be read. */
      position: string | null;
    }
  /** The daemon exits before trading: another daemon holds the account, or a setting is refused. */
  | { kind: 'notStarted'; reason: string; exitCode: number }
  | {
      kind: 'uptimeAtRisk';
      /** The UTC hour that can no longer reach 42 credited minutes. */
      hourStartMs: number;
      creditedMs: number;
      remainingMs: number;
    }
  | {
      kind: 'uptimeMismatch';
      hourStartMs: number;
      daemonCreditedMs: number;
      /** What the exchange's record says, as far as it says. */
      exchange: string;
    }
  | { kind: 'dailyReport'; day: string; lines: string[] };

export type AlertKind = Alert['kind'];

export interface AlertContext {
  account: string;
  symbol: string;
  /** Epoch milliseconds. */
  now: number;
}

const CRITICAL_KINDS: ReadonlySet<AlertKind> = new Set(['start', 'stop', 'fatal', 'authFailure', 'halted', 'cleanup', 'notStarted']);

/** Critical alerts are never throttled and are the last to be dropped from a full queue. */
export function isCriticalAlert(alert: Alert): boolean {
  return CRITICAL_KINDS.has(alert.kind);
}

/** Alerts with the same key are "similar" for throttling: the kind plus what it is about. */
export function alertKey(alert: Alert): string {
  switch (alert.kind) {
    case 'streamDown':
    case 'streamUp':
      return `${alert.kind}:${alert.stream}`;
    case 'orderRejected':
      return `${alert.kind}:${alert.reason}`;
    case 'flattened':
      return `${alert.kind}:${alert.side}`;
    case 'halted':
      return `${alert.kind}:${alert.reason}`;
    case 'uptimeAtRisk':
    case 'uptimeMismatch':
      return `${alert.kind}:${alert.hourStartMs}`;
    case 'dailyReport':
      return `${alert.kind}:${alert.day}`;
    case 'start':
    case 'stop':
    case 'fatal':
    case 'authFailure':
    case 'tokenExpiring':
    case 'resumed':
    case 'reload':
    case 'cleanup':
    case 'notStarted':
      return alert.kind;
  }
}

const MAX_FREE_TEXT = 300;

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  // A Telegram bot token: <bot id>:<35 characters>.
  [/\b\d{5,}:[\w-]{30,}/g, '[redacted]'],
  // A JWT (StandX access tokens are JWTs).
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[redacted]'],
  // An EVM private key or any 32-byte hex string.
  [/\b(?:0x)?[0-9a-fA-F]{64}\b/g, '[redacted]'],
  // A base58 ed25519 key or seed.
  [/\b[1-9A-HJ-NP-Za-km-z]{43,}\b/g, '[redacted]'],
];

/** Removes anything shaped like a secret and bounds the length of free text from errors. */
export function scrubText(text: string): string {
  let scrubbed = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    scrubbed = scrubbed.replace(pattern, replacement);
  }
  return scrubbed.length > MAX_FREE_TEXT ? `${scrubbed.slice(0, MAX_FREE_TEXT - 1)}…` : scrubbed;
}

/** `850ms`, `42s`, `3m 05s`, `5h 03m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  const clamped = Math.max(0, Math.round(ms));
  if (clamped < 1000) return `${clamped}ms`;
  const seconds = Math.floor(clamped / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** `2026-02-07 12:34:56 UTC` */
export function formatUtc(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function formatBand(band: BandBps): string {
  return `band ${band.minBps}–${band.maxBps} bps (target ${band.targetBps})`;
}

/** The title and detail lines of one alert. */
function describe(alert: Alert, now: number): [title: string, ...details: string[]] {
  switch (alert.kind) {
    case 'start':
      return [
        `started on ${scrubText(alert.symbol)}`,
        `qty ${alert.qty} · ${formatBand(alert.band)}`,
        `policy ${scrubText(alert.policy)} · auth ${scrubText(alert.scheme)}`,
      ];
    case 'stop': {
      const orders = `${alert.ordersCancelled} order${alert.ordersCancelled === 1 ? '' : 's'} cancelled`;
      const position = alert.isPositionFlat
        ? 'position flat'
        : `POSITION NOT FLAT${alert.position === undefined ? '' : `: ${scrubText(alert.position)}`}`;
      const lines: [string, ...string[]] = [`stopped (${scrubText(alert.reason)})`, `${orders} · ${position}`];
      if (!alert.isCancelConfirmed) lines.push('open orders NOT confirmed gone: check the exchange');
      if (alert.uptime !== undefined) lines.push(scrubText(alert.uptime));
      return lines;
    }
    case 'fatal':
      return ['FATAL error, stopping', scrubText(alert.message)];
    case 'authFailure':
      return ['AUTH FAILED, stopping', scrubText(alert.reason), 'renew the credentials, then restart'];
    case 'flattened':
      return [
        'position flattened',
        `closed ${alert.side} ${alert.qty}` +
          (alert.realizedPnl === undefined ? '' : ` · realized PnL ${alert.realizedPnl}`),
      ];
    case 'streamDown':
      return [`${scrubText(alert.stream)} stream DOWN`, scrubText(alert.reason)];
    case 'streamUp':
      return [`${scrubText(alert.stream)} stream up`, `after ${formatDuration(alert.downForMs)} down`];
    case 'tokenExpiring': {
      const left = alert.expiresAt - now;
      return [
        'access token expiring',
        left > 0
          ? `expires in ${formatDuration(left)} (${formatUtc(alert.expiresAt)})`
          : `expired ${formatDuration(-left)} ago (${formatUtc(alert.expiresAt)})`,
      ];
    }
    case 'orderRejected':
      return [
        'order rejected',
        `${scrubText(alert.reason)} · quoting paused ${formatDuration(alert.pausedForMs)}`,
      ];
    case 'halted':
      return [`QUOTING HALTED (${scrubText(alert.reason)})`, scrubText(alert.detail), 'orders cancelled, fills still flattened, streams up: `standx-mm resume` to quote again'];
    case 'resumed':
      return ['quoting resumed', `after ${scrubText(alert.after)}`];
    case 'reload':
      return describeReload(alert);
    case 'cleanup':
      return [
        'cleanup after an unclean stop',
        scrubText(alert.reason),
        `${alert.cancelled} order${alert.cancelled === 1 ? '' : 's'} cancelled · ${alert.remaining ?? 'UNKNOWN'} left · position ${alert.position === null ? 'UNKNOWN' : scrubText(alert.position)}`,
      ];
    case 'notStarted':
      return [`NOT started (exit ${alert.exitCode})`, scrubText(alert.reason)];
    case 'uptimeAtRisk':
      return [
        `uptime hour ${formatUtc(alert.hourStartMs).slice(11, 16)} UTC cannot reach 42 credited min`,
        `${formatDuration(alert.creditedMs)} credited, ${formatDuration(alert.remainingMs)} left in the hour`,
      ];
    case 'uptimeMismatch':
      return [
        `uptime record differs for ${formatUtc(alert.hourStartMs).slice(0, 16)} UTC`,
        `daemon ${formatDuration(alert.daemonCreditedMs)} credited · exchange ${scrubText(alert.exchange)}`,
      ];
    case 'dailyReport':
      return [`daily report ${alert.day}`, ...alert.lines.map(scrubText)];
  }
}

function describeReload(alert: Extract<Alert, { kind: 'reload' }>): [string, ...string[]] {
  if (alert.problems.length > 0) return ['reload REFUSED, old settings kept', ...alert.problems.map(scrubText)];
  const lines: [string, ...string[]] = ['settings reloaded', alert.applied.length > 0 ? `applied: ${alert.applied.join(', ')}` : 'nothing changed'];
  if (alert.needsRestart.length > 0) lines.push(`needs a restart: ${alert.needsRestart.join(', ')}`);
  return lines;
}

/**
 * One plain-text message (no parse mode, so nothing needs escaping):
 * `<account> · <symbol> · <title>`, the details, then the time in UTC.
 */
export function formatAlert(alert: Alert, context: AlertContext): string {
  const [title, ...details] = describe(alert, context.now);
  return [
    `${scrubText(context.account)} · ${scrubText(context.symbol)} · ${title}`,
    ...details,
    formatUtc(context.now),
  ].join('\n');
}
