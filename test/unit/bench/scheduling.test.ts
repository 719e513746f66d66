import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schedulingPolicyOf, setSchedulingPolicy } from '../../../src/bench/scheduling.js';

/** Stands in for the bench process: on request it starts a child (the daemon) and reports its pid. */
const STAND_IN = `
const { spawn } = require('node:child_process');
process.on('message', () => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60000)'], { stdio: 'ignore' });
  process.send(child.pid);
});
process.on('disconnect', () => process.exit(0));
`;

describe.runIf(process.platform === 'linux')('setSchedulingPolicy', () => {
  const pids: number[] = [];
  let standIn: ChildProcess | null = null;

  afterEach(() => {
    for (const pid of pids.splice(0)) process.kill(pid);
    standIn?.kill();
    standIn = null;
  });

  it('makes a process a batch task and a child it forks (which inherits that) normal again', async () => {
    const script = join(mkdtempSync(join(os.tmpdir(), 'standx-mm-sched-')), 'stand-in.cjs');
    writeFileSync(script, STAND_IN);
    standIn = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await once(standIn, 'spawn');
    const pid = standIn.pid ?? 0;
    expect(schedulingPolicyOf(pid)).toBe('normal');

    expect(setSchedulingPolicy(pid, 'batch')).toBe(true);
    expect(schedulingPolicyOf(pid)).toBe('batch');

    standIn.send('fork');
    const [childPid] = (await once(standIn, 'message')) as [number];
    pids.push(childPid);
    expect(schedulingPolicyOf(childPid)).toBe('batch');
    expect(setSchedulingPolicy(childPid, 'normal')).toBe(true);
    expect(schedulingPolicyOf(childPid)).toBe('normal');
    expect(schedulingPolicyOf(pid)).toBe('batch');
  });

  it('reports failure for a process that does not exist', () => {
    expect(setSchedulingPolicy(2 ** 22 + 1, 'batch')).toBe(false);
  });
});
