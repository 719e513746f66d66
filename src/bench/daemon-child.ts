// The daemon under test, in its own process so that its CPU time and peak RSS are its own. Forked
// by the bench with an IPC channel: `start` (env) -> ready, `mark` opens the measured window, `stop`
// (or SIGTERM) reports the window's figures, then shuts the daemon down and exits with its code.

import process from 'node:process';
import { performance } from 'node:perf_hooks';
import { startDaemon, type Daemon } from '../cli/daemon.js';
import { loadConfig } from '../config/load.js';
import type { MakerStats } from '../engine/observations.js';
import { systemClock } from '../ops/clock.js';
import { childMessageSchema, parentMessageSchema, type ChildMessage, type ChildReport } from './child-protocol.js';

interface Window {
  readonly cpu: NodeJS.CpuUsage;
  readonly atMs: number;
  readonly loop: MakerStats;
  readonly rssBytes: number;
}

class DaemonChild {
  readonly #samples: number[] = [];
  #daemon: Daemon | null = null;
  #window: Window | null = null;
  #isStopping = false;

  onMessage(raw: unknown): void {
    const parsed = parentMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'start') void this.#start(message.env);
    else if (message.type === 'mark') this.#mark();
    else void this.stop('stop requested');
  }

  /** Once: a second stop (IPC then disconnect, say) must not make the shutdown exit early. */
  async stop(reason: string): Promise<void> {
    if (this.#isStopping) return;
    this.#isStopping = true;
    const daemon = this.#daemon;
    if (!daemon) {
      process.exit(1);
      return;
    }
    await send({ type: 'report', report: this.#report() });
    daemon.shutdown.requestStop(reason);
  }

  async #start(env: Record<string, string>): Promise<void> {
    let exitCode: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exitCode = resolve));
    void exited.then((code) => process.exit(code));
    try {
      const config = loadConfig(env, { accountName: 'bench' });
      this.#daemon = await startDaemon({
        config,
        clock: systemClock,
        stdout: null,
        logToFile: true,
        exit: exitCode,
        probeSinks: {
          tickToOrder: (micros) => {
            if (this.#window) this.#samples.push(micros);
          },
        },
        ownPid: process.pid,
        installHandlers: (shutdown) => {
          process.on('uncaughtException', (error) => shutdown.fatal(error));
          process.on('unhandledRejection', (reason) => shutdown.fatal(reason));
        },
      });
    } catch (error) {
      await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    }
    if (this.#daemon?.loop) await send({ type: 'ready' });
    else await send({ type: 'failed', message: 'the daemon did not start quoting' });
  }

  #mark(): void {
    const loop = this.#daemon?.loop;
    if (!loop) return;
    this.#samples.length = 0;
    this.#window = { cpu: process.cpuUsage(), atMs: performance.now(), loop: { ...loop.snapshot().stats }, rssBytes: process.memoryUsage.rss() };
    void send({ type: 'marked' });
  }

  #report(): ChildReport {
    const window = this.#window;
    const cpu = process.cpuUsage(window?.cpu);
    const stats = this.#daemon?.loop?.snapshot().stats;
    const since = (name: keyof MakerStats): number => (stats?.[name] ?? 0) - (window?.loop[name] ?? 0);
    return {
      tickToOrderMicros: [...this.#samples],
      cpuUserMicros: cpu.user,
      cpuSystemMicros: cpu.system,
      wallMs: window ? performance.now() - window.atMs : 0,
      // Linux reports maxRSS in KiB for the life of the process.
      maxRssKiB: process.resourceUsage().maxRSS,
      rssAtMarkBytes: window?.rssBytes ?? 0,
      rssAtStopBytes: process.memoryUsage.rss(),
      loop: { placed: since('placed'), cancelsSent: since('cancelsSent'), fills: since('fills'), flattens: since('flattens'), postOnlyRejects: since('postOnlyRejects') },
    };
  }
}

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(childMessageSchema.parse(message), undefined, {}, () => resolve());
  });
}

const child = new DaemonChild();
process.on('message', (raw) => child.onMessage(raw));
process.on('SIGTERM', () => void child.stop('SIGTERM'));
process.on('SIGINT', () => void child.stop('SIGINT'));
// The bench went away: clean up as if stopped.
process.on('disconnect', () => void child.stop('bench disconnected'));
