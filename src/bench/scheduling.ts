// The simulator and the floor's peer stand in for an exchange on another machine, but on the bench
// they share the daemon's two cores. A normal task woken by the daemon's order write may preempt
// the daemon on its own core, so each reaction would also pay for the simulator handling the
// order: one involuntary context switch in nearly every reaction, and a write of ~245 µs instead
// of ~65 µs. SCHED_BATCH tasks do not preempt on wake-up, so the stand-ins run as batch tasks and
// the daemon, which inherits the policy from the bench process that forks it, is put back.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export type SchedulingPolicy = 'normal' | 'batch';

const CHRT_FLAG: Record<SchedulingPolicy, string> = { normal: '--other', batch: '--batch' };
/** Policy numbers in /proc/<pid>/stat (linux/sched.h). */
const POLICY_NUMBER: Record<SchedulingPolicy, number> = { normal: 0, batch: 3 };

/** Sets the policy of every thread of `pid`; false when that cannot be done here (no chrt, not Linux, no such process). */
export function setSchedulingPolicy(pid: number, policy: SchedulingPolicy): boolean {
  try {
    execFileSync('chrt', [CHRT_FLAG[policy], '--all-tasks', '--pid', '0', String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The policy of `pid`'s main thread, or null for one the bench never sets (real-time, idle). */
export function schedulingPolicyOf(pid: number): SchedulingPolicy | null {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is parenthesised and may contain spaces; policy is field 41.
  const policy = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
  const found = (Object.keys(POLICY_NUMBER) as SchedulingPolicy[]).find((name) => POLICY_NUMBER[name] === policy);
  return found ?? null;
}
