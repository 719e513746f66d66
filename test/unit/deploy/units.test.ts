import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { EXIT_ALREADY_RUNNING, EXIT_AUTH, EXIT_CONFIG } from '../../../src/ops/exit-codes.js';

const root = new URL('../../../', import.meta.url);
const units = {
  'standx-account1.service': readFileSync(new URL('standx-account1.service', root), 'utf8'),
  'deploy/standx-mm@.service': readFileSync(new URL('deploy/standx-mm@.service', root), 'utf8'),
};

function directives(unit: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of unit.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) map.set(match[1], match[2]);
  }
  return map;
}

describe.each(Object.entries(units))('%s', (_name, text) => {
  const unit = directives(text);

  it('restarts on failure but never for a second daemon (73), refused credentials (77) or a bad config (78)', () => {
    expect(unit.get('Restart')).toBe('on-failure');
    expect(unit.get('RestartPreventExitStatus')?.split(/\s+/).sort()).toEqual(['73', '77', '78']);
    expect([EXIT_ALREADY_RUNNING, EXIT_AUTH, EXIT_CONFIG]).toEqual([73, 77, 78]);
  });

  it('reloads with SIGHUP', () => {
    expect(unit.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
  });

  it('creates owner-only files and keeps V8\'s JIT working (no MemoryDenyWriteExecute)', () => {
    expect(unit.get('UMask')).toBe('0077');
    expect(unit.has('MemoryDenyWriteExecute')).toBe(false);
    expect(unit.get('RestrictAddressFamilies')).toBe('AF_UNIX AF_INET AF_INET6');
  });

  it('stops with SIGTERM and gives the daemon more time than its own shutdown deadline', () => {
    expect(unit.get('KillSignal')).toBe('SIGTERM');
    const defaultDeadlineS = loadConfig({ WALLET_PRIVATE_KEY: `0x${'11'.repeat(32)}` }, { accountName: 'a' }).timing.shutdownTimeoutMs / 1000;
    expect(Number(unit.get('TimeoutStopSec'))).toBeGreaterThan(defaultDeadlineS + 10);
  });

  it('runs cancel-all after an unclean stop through deploy/stop-post.sh', () => {
    expect(unit.get('ExecStopPost')).toMatch(/\/deploy\/stop-post\.sh \S+\.env\.\S+$/);
    expect(unit.get('ExecStart')).toMatch(/dist\/main\.js run --config \S+\.env\.\S+$/);
  });

  it('is a notify service with a watchdog that the daemon\'s systemd-notify child may feed', () => {
    expect(unit.get('Type')).toBe('notify');
    expect(unit.get('NotifyAccess')).toBe('all');
    const watchdogS = Number(unit.get('WatchdogSec'));
    // Long enough to ride out a reconnect (the daemon keeps pinging while a stream is down).
    expect(watchdogS).toBeGreaterThanOrEqual(30);
    expect(Number(unit.get('TimeoutStartSec'))).toBeGreaterThan(60);
  });

  it('is hardened, with only the log folder writable, and has a memory ceiling', () => {
    expect(unit.get('NoNewPrivileges')).toBe('yes');
    expect(unit.get('ProtectSystem')).toBe('strict');
    expect(unit.get('ReadWritePaths')).toMatch(/\/logs$/);
    expect(unit.get('PrivateTmp')).toBe('yes');
    expect(unit.get('MemoryMax')).toMatch(/^\d+[MG]$/);
  });
});

it('the template names the env file after the instance', () => {
  const template = directives(units['deploy/standx-mm@.service']);
  expect(template.get('ExecStart')).toContain('.env.%i');
  expect(template.get('ExecStopPost')).toContain('.env.%i');
});
