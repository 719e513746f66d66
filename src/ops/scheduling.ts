// Linux scheduling policies for the threads that must not preempt the hot path. A normal task that
// wakes on a busy core may preempt the task running there; a SCHED_BATCH task never does, and still
// gets its fair share of the CPU. Node has no API for policies, so `chrt` (util-linux) sets them.
//
// The daemon: its main thread turns a depth frame into a signed order frame. V8's GC and compiler
// workers and libuv's pool wake on their own schedule and, as normal tasks, preempted it
// mid-reaction: on the bench, tick-to-order p99 1.6–2.5 ms with them normal, 0.78–0.90 ms as batch.
// The bench: the simulator stands in for an exchange on another machine, so it runs as batch and
// does not preempt the daemon when an order frame wakes it.

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type SchedulingPolicy = 'normal' | 'batch';

const CHRT_FLAG: Record<SchedulingPolicy, string> = { normal: '--other', batch: '--batch' };
/** Policy numbers in /proc/<pid>/task/<tid>/stat (linux/sched.h). */
const POLICY_NUMBER: Record<SchedulingPolicy, number> = { normal: 0, batch: 3 };

export class SchedulingError extends Error {
  override readonly name = 'SchedulingError';
}

/**
 * Sets the policy of thread `tid`, or of every thread of process `tid` with `allTasks`. Rejects
 * with SchedulingError when that cannot be done here (no chrt, not Linux, no such thread).
 */
export async function setSchedulingPolicy(tid: number, policy: SchedulingPolicy, options: { allTasks?: boolean } = {}): Promise<void> {
  const args = [CHRT_FLAG[policy], ...(options.allTasks ? ['--all-tasks'] : []), '--pid', '0', String(tid)];
  try {
    await run('chrt', args);
  } catch (error) {
    throw new SchedulingError(`chrt ${args.join(' ')} failed`, { cause: error });
  }
}

/** The policy of one thread (the main thread's tid is the pid), or null for one never set here (real-time, idle). */
export async function schedulingPolicyOf(pid: number, tid = pid): Promise<SchedulingPolicy | null> {
  const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch((error: unknown) => {
    throw new SchedulingError(`cannot read the policy of thread ${tid} of ${pid}`, { cause: error });
  });
  // Fields after the command name, which is parenthesised and may contain spaces; policy is field 41.
  const policy = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
  const found = (Object.keys(POLICY_NUMBER) as SchedulingPolicy[]).find((name) => POLICY_NUMBER[name] === policy);
  return found ?? null;
}

/**
 * Makes every thread of `pid` but its main thread a batch task and returns how many it changed.
 * Threads started later by the main thread are normal tasks again; Node starts its pools early, so
 * after start-up there are none in a normal run.
 */
export async function yieldToMainThread(pid: number): Promise<number> {
  let changed = 0;
  for (const tid of await threadIds(pid)) {
    if (tid === pid || (await schedulingPolicyOf(pid, tid)) === 'batch') continue;
    await setSchedulingPolicy(tid, 'batch');
    changed += 1;
  }
  return changed;
}

async function threadIds(pid: number): Promise<number[]> {
  try {
    return (await readdir(`/proc/${pid}/task`)).map(Number);
  } catch (error) {
    throw new SchedulingError(`cannot list the threads of ${pid}`, { cause: error });
  }
}
