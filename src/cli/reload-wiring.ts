// SIGHUP: re-read the env file and apply what can change live (quoting, alerts, log level) without
// touching quotes the new settings still admit. An invalid file is refused and the old settings stay;
// settings that need a restart are reported and kept. Each outcome is logged and alerted.

import type { Config } from '../config/load.js';
import { appliedSections, planReload } from '../config/reload.js';
import type { SymbolSpec } from '../domain/types.js';
import type { MakerLoop } from '../engine/maker-loop.js';
import { ConfigError } from '../errors.js';
import type { Clock } from '../ops/clock.js';
import type { LogLevel } from '../ops/logger.js';
import type { Log } from '../ops/log.js';
import type { SwitchableNotifier } from '../ops/switchable-notifier.js';
import { loadAccountConfig } from './account-config.js';
import { createNotifier } from './alerts-wiring.js';
import { qtyLotsFor, quotingOf } from './maker-settings.js';

export interface ReloadTarget {
  /** The settings in force; replaced by a successful reload. */
  config: Config;
  readonly loop: () => MakerLoop | null;
  readonly spec: () => SymbolSpec | null;
  readonly notifier: SwitchableNotifier;
  readonly setLogLevel: (level: LogLevel) => void;
  readonly clock: Clock;
  readonly log: Log;
}

export interface ReloadOutcome {
  readonly isApplied: boolean;
  readonly applied: readonly string[];
  readonly needsRestart: readonly string[];
  readonly problems: readonly string[];
}

export function reloadSettings(target: ReloadTarget, path: string, processEnv: Readonly<Record<string, string | undefined>>): ReloadOutcome {
  const log = target.log.child({ component: 'reload' });
  let next: Config;
  let qtyLots: bigint | null = null;
  try {
    next = loadAccountConfig(path, processEnv).config;
    const spec = target.spec();
    if (spec !== null) qtyLots = qtyLotsFor(next.quoting.qty, spec);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log.error({ problems: error.problems }, 'reload refused: the old settings stay');
    target.notifier.notify({ kind: 'reload', applied: [], needsRestart: [], problems: [...error.problems] });
    return { isApplied: false, applied: [], needsRestart: [], problems: error.problems };
  }
  const plan = planReload(target.config, next);
  const loop = target.loop();
  if (plan.isQuotingChanged && loop !== null && qtyLots !== null) loop.updateQuoting(quotingOf(next, qtyLots));
  if (plan.isLogLevelChanged) target.setLogLevel(next.log.level);
  if (plan.isTelegramChanged) void target.notifier.switchTo(createNotifier(next, target.log, target.clock));
  // Restart-only sections keep their old values, so that what runs is what `config` says.
  target.config = { ...target.config, quoting: { ...next.quoting, symbol: target.config.quoting.symbol }, telegram: next.telegram, log: { ...target.config.log, level: next.log.level } };
  const applied = appliedSections(plan);
  log.info({ applied, needsRestart: plan.needsRestart }, 'settings reloaded');
  target.notifier.notify({ kind: 'reload', applied, needsRestart: [...plan.needsRestart], problems: [] });
  return { isApplied: true, applied, needsRestart: plan.needsRestart, problems: [] };
}
