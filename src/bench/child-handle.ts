// The bench's side of one forked daemon: sends parent messages, waits for a given child message
// with a timeout, and fails fast when the child reports a failure or exits.

import type { ChildProcess } from 'node:child_process';
import { childMessageSchema, type ChildMessage, type ParentMessage } from './child-protocol.js';

type MessageOf<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

export class ChildHandle {
  readonly #process: ChildProcess;
  readonly #received: ChildMessage[] = [];
  readonly #listeners = new Set<() => void>();
  readonly exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(child: ChildProcess) {
    this.#process = child;
    child.on('message', (raw) => {
      const parsed = childMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      this.#received.push(parsed.data);
      this.#notify();
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.#exitCode = code;
        this.#notify();
        resolve(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  send(message: ParentMessage): void {
    if (this.#process.connected) this.#process.send(message);
  }

  /** Resolves with the first `type` message received (earlier ones included); rejects on failure, exit or timeout. */
  waitFor<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.#received.find((message): message is MessageOf<T> => message.type === type);
        const failure = this.#received.find((message) => message.type === 'failed');
        if (found) finish(() => resolve(found));
        else if (failure?.type === 'failed') finish(() => reject(new Error(`daemon failed: ${failure.message}`)));
        else if (this.#exitCode !== undefined) finish(() => reject(new Error(`daemon exited (${String(this.#exitCode)}) before '${type}'`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no '${type}' from the daemon within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        settle();
      };
      this.#listeners.add(check);
      check();
    });
  }

  /** The exit code, or null when the child had to be killed after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result !== 'timeout') return result;
    this.kill();
    await this.exited;
    return null;
  }

  /** The stop a service manager sends: the daemon cleans up and exits with its own code. */
  terminate(): void {
    if (this.#exitCode === undefined) this.#process.kill('SIGTERM');
  }

  /** Forceful end, for a child that is not cooperating (by its own pid only). */
  kill(): void {
    if (this.#exitCode === undefined) this.#process.kill('SIGKILL');
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
