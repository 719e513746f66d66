import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedulingPolicyOf, SchedulingError, setSchedulingPolicy, yieldToMainThread } from '../../../src/ops/scheduling.js';

/** Stands in for the bench process or the daemon: on request it starts a child and reports its pid. */
const STAND_IN = `
const { spawn } = require('node:child_process');
process.on('message', () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
  process.send(child.pid);
});
process.on('disconnect', () => process.exit(0));
process.send('ready');
`;
const NO_SUCH_PID = 2 ** 22 + 1;

describe.runIf(process.platform === 'linux')('scheduling policies', () => {
  const pids: number[] = [];
  let standIn: ChildProcess;
  let pid: number;

  beforeEach(async () => {
    const script = join(mkdtempSync(join(os.tmpdir(), 'standx-mm-sched-')), 'stand-in.cjs');
    writeFileSync(script, STAND_IN);
    standIn = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await once(standIn, 'message');
    pid = standIn.pid ?? 0;
  });

  afterEach(() => {
    for (const child of pids.splice(0)) process.kill(child);
    standIn.kill();
  });

  const threadsOf = (of: number): number[] => readdirSync(`/proc/${of}/task`).map(Number);
  const policiesOf = (of: number): Promise<Array<string | null>> => Promise.all(threadsOf(of).map((tid) => schedulingPolicyOf(of, tid)));

  it('makes every thread of a process a batch task, and a child it starts (which inherits that) normal again', async () => {
    expect(await schedulingPolicyOf(pid)).toBe('normal');

    await setSchedulingPolicy(pid, 'batch', { allTasks: true });
    expect(new Set(await policiesOf(pid))).toEqual(new Set(['batch']));

    standIn.send('start');
    const [childPid] = (await once(standIn, 'message')) as [number];
    pids.push(childPid);
    expect(await schedulingPolicyOf(childPid)).toBe('batch');
    await setSchedulingPolicy(childPid, 'normal', { allTasks: true });
    expect(new Set(await policiesOf(childPid))).toEqual(new Set(['normal']));
    expect(await schedulingPolicyOf(pid)).toBe('batch');
  });

  it('makes every thread but the main one a batch task, once', async () => {
    const threads = threadsOf(pid);
    expect(threads.length).toBeGreaterThan(1); // V8's workers and libuv's are there from the start

    expect(await yieldToMainThread(pid)).toBe(threads.length - 1);
    for (const tid of threads) expect(await schedulingPolicyOf(pid, tid)).toBe(tid === pid ? 'normal' : 'batch');
    expect(await yieldToMainThread(pid)).toBe(0);
  });

  it('rejects with SchedulingError for a process that does not exist', async () => {
    await expect(setSchedulingPolicy(NO_SUCH_PID, 'batch')).rejects.toThrow(SchedulingError);
    await expect(yieldToMainThread(NO_SUCH_PID)).rejects.toThrow(SchedulingError);
    await expect(schedulingPolicyOf(NO_SUCH_PID)).rejects.toThrow(SchedulingError);
  });
});
