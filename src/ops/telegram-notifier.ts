// Telegram alerts through node-telegram-bot-api's Api (sendMessage only, never polling): a bounded
// queue sent one message at a time, per-send timeouts, and throttling of repeated alerts. Nothing
// here throws into the caller or waits on the network on its behalf.

import { Api, TelegramApiError, TelegramBotError } from 'node-telegram-bot-api';
import type { Log } from './log.js';
import { alertKey, formatAlert, isCriticalAlert, scrubText } from './alerts.js';
import type { Alert } from './alerts.js';
import type { Clock } from './clock.js';
import type { Notifier } from './notifier.js';

/** Default ALERT_THROTTLE window: one alert per key per 10 minutes. */
export const DEFAULT_ALERT_THROTTLE_MS = 600_000;
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
export const DEFAULT_QUEUE_LIMIT = 50;
/** The longest a 429's `retry_after` may hold the queue before the message is given up. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

export interface TelegramNotifierOptions {
  botToken: string;
  chatId: string | number;
  account: string;
  symbol: string;
  logger: Log;
  clock: Clock;
  /** Default https://api.telegram.org; tests point it at a local fake. */
  apiRoot?: string;
  sendTimeoutMs?: number;
  /** Alerts waiting to be sent, besides the one in flight. */
  queueLimit?: number;
  throttleMs?: number;
  maxRetryAfterMs?: number;
}

export interface TelegramNotifierStats {
  sent: number;
  failed: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Held back by throttling. */
  suppressed: number;
  queued: number;
}

interface QueuedAlert {
  kind: Alert['kind'];
  isCritical: boolean;
  text: string;
  isRetry: boolean;
}

interface ThrottleEntry {
  lastAcceptedAt: number;
  suppressed: number;
}

const THROTTLE_PRUNE_SIZE = 256;

export class TelegramNotifier implements Notifier {
  private readonly api: Api;
  private readonly options: TelegramNotifierOptions;
  private readonly log: Log;
  private readonly queueLimit: number;
  private readonly throttleMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly queue: QueuedAlert[] = [];
  private readonly throttle = new Map<string, ThrottleEntry>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly closed = new AbortController();
  private readonly counts = { sent: 0, failed: 0, dropped: 0, suppressed: 0 };
  private droppedSinceLastSend = 0;
  private isSending = false;

  constructor(options: TelegramNotifierOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'telegram' });
    this.queueLimit = Math.max(1, options.queueLimit ?? DEFAULT_QUEUE_LIMIT);
    this.throttleMs = options.throttleMs ?? DEFAULT_ALERT_THROTTLE_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    // No library retries: they would sleep on their own timers while the queue waits. A 5xx or a
    // timeout loses that one alert; a 429 is honoured below, within maxRetryAfterMs.
    this.api = new Api(options.botToken, {
      timeoutMs: options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      maxRetries: 0,
      ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot }),
    });
  }

  notify(alert: Alert): void {
    try {
      if (this.closed.signal.aborted) return;
      const now = this.options.clock.now();
      const isCritical = isCriticalAlert(alert);
      const suppressedBefore = isCritical ? 0 : this.admit(alertKey(alert), now);
      if (suppressedBefore === null) return;
      let text = formatAlert(alert, { account: this.options.account, symbol: this.options.symbol, now });
      if (suppressedBefore > 0) text += `\n(${suppressedBefore} similar suppressed)`;
      this.enqueue({ kind: alert.kind, isCritical, text, isRetry: false });
      if (!this.isSending) void this.drain();
    } catch (err) {
      this.log.error({ err, kind: alert.kind }, 'alert not queued');
    }
  }

  async flush(timeoutMs: number): Promise<void> {
    if (this.isIdle()) return;
    const timer = new AbortController();
    const idle = new Promise<'idle'>((resolve) => this.idleWaiters.push(() => resolve('idle')));
    const expired = this.options.clock.sleep(Math.max(0, timeoutMs), timer.signal).then(
      () => 'timeout' as const,
      () => 'idle' as const,
    );
    const outcome = await Promise.race([idle, expired]);
    timer.abort();
    if (outcome === 'timeout') {
      this.log.warn({ queued: this.queue.length, timeoutMs }, 'alerts still queued at flush deadline');
    }
  }

  /** Stops sending: aborts the message in flight and forgets the queue. */
  close(): void {
    this.closed.abort();
    this.queue.length = 0;
    this.resolveIdle();
  }

  stats(): TelegramNotifierStats {
    return { ...this.counts, queued: this.queue.length };
  }

  /** Null when the alert is throttled; otherwise how many similar ones were held back before it. */
  private admit(key: string, now: number): number | null {
    const entry = this.throttle.get(key);
    if (entry && now - entry.lastAcceptedAt < this.throttleMs) {
      entry.suppressed += 1;
      this.counts.suppressed += 1;
      this.log.debug({ key, suppressed: entry.suppressed }, 'alert throttled');
      return null;
    }
    if (this.throttle.size >= THROTTLE_PRUNE_SIZE) this.pruneThrottle(now);
    this.throttle.set(key, { lastAcceptedAt: now, suppressed: 0 });
    return entry?.suppressed ?? 0;
  }

  private pruneThrottle(now: number): void {
    for (const [key, entry] of this.throttle) {
      if (now - entry.lastAcceptedAt >= this.throttleMs) this.throttle.delete(key);
    }
  }

  /** When full, drops the oldest non-critical alert (or the newcomer, when only criticals wait). */
  private enqueue(item: QueuedAlert): void {
    if (this.queue.length >= this.queueLimit) {
      const victim = this.queue.findIndex((queued) => !queued.isCritical);
      let dropped: QueuedAlert | undefined;
      if (victim >= 0) {
        dropped = this.queue.splice(victim, 1)[0];
      } else if (!item.isCritical) {
        dropped = item;
      } else {
        dropped = this.queue.shift();
      }
      this.counts.dropped += 1;
      this.droppedSinceLastSend += 1;
      this.log.warn({ kind: dropped?.kind, dropped: this.counts.dropped }, 'alert queue full, alert dropped');
      if (dropped === item) return;
    }
    this.queue.push(item);
  }

  private async drain(): Promise<void> {
    this.isSending = true;
    try {
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        if (this.closed.signal.aborted) break;
        await this.send(item);
      }
    } finally {
      this.isSending = false;
      this.resolveIdle();
    }
  }

  private async send(item: QueuedAlert): Promise<void> {
    const dropped = this.droppedSinceLastSend;
    const text = dropped > 0 ? `${item.text}\n(${dropped} alerts dropped: queue full)` : item.text;
    try {
      await this.api.sendMessage(
        { chat_id: this.options.chatId, text, link_preview_options: { is_disabled: true } },
        this.closed.signal,
      );
      this.counts.sent += 1;
      this.droppedSinceLastSend -= dropped;
    } catch (error) {
      if (this.closed.signal.aborted) return;
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs !== undefined && !item.isRetry && retryAfterMs <= this.maxRetryAfterMs) {
        this.log.warn({ kind: item.kind, retryAfterMs }, 'telegram rate limit, alert delayed');
        this.queue.unshift({ ...item, isRetry: true });
        await this.options.clock.sleep(retryAfterMs, this.closed.signal).catch(() => undefined);
        return;
      }
      this.counts.failed += 1;
      this.log.warn({ kind: item.kind, error: summarizeError(error) }, 'alert not delivered');
    }
  }

  private isIdle(): boolean {
    return !this.isSending && this.queue.length === 0;
  }

  private resolveIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof TelegramApiError && error.errorCode === 429) {
    return (error.retryAfter ?? 1) * 1000;
  }
  return undefined;
}

/** What is worth logging of a send failure, without anything (such as the URL) that holds the token. */
function summarizeError(error: unknown): Record<string, unknown> {
  if (error instanceof TelegramApiError) {
    return {
      type: error.name,
      code: error.code,
      errorCode: error.errorCode,
      message: scrubText(error.description),
    };
  }
  if (error instanceof TelegramBotError) {
    return { type: error.name, code: error.code, message: scrubText(error.message) };
  }
  if (error instanceof Error) return { type: error.name, message: scrubText(error.message) };
  return { type: typeof error };
}
