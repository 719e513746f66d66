// deploy/observability/ must only speak of metrics the daemon exports: every standx_mm_ name in the
// alert rules and the Grafana dashboard is looked up in a daemon's own registry.

import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DaemonMetrics } from '../../../src/cli/metrics-wiring.js';

const root = new URL('../../../deploy/observability/', import.meta.url);
const metrics = new DaemonMetrics({ account: 'a', symbol: 'BTC-USD' });
afterAll(() => metrics.close());

/** Series names a scrape can show: histograms expose _bucket, _sum and _count. */
async function exportedNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

/** The expr of every rule, read line by line (the rules keep each expr on one line). */
function ruleExpressions(yaml: string): { alert: string; expr: string }[] {
  const rules: { alert: string; expr: string }[] = [];
  let alert = '';
  for (const line of yaml.split('\n')) {
    const name = /^\s*- alert:\s*(\S+)/.exec(line);
    if (name?.[1]) alert = name[1];
    const expr = /^\s*expr:\s*(.+)$/.exec(line);
    if (expr?.[1]) rules.push({ alert, expr: expr[1] });
  }
  return rules;
}

function dashboardExpressions(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(dashboardExpressions);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'expr' && typeof inner === 'string' ? [inner] : dashboardExpressions(inner)));
}

const metricNamesIn = (expr: string): string[] => expr.match(/\bstandx_mm_\w+/g) ?? [];

describe('deploy/observability', () => {
  const rules = ruleExpressions(readFileSync(new URL('alerts.yml', root), 'utf8'));
  const dashboard = JSON.parse(readFileSync(new URL('grafana-dashboard.json', root), 'utf8')) as { panels: unknown[] };

  it('has the alerts operators asked for', () => {
    const alerts = rules.map((rule) => rule.alert);
    for (const name of ['StandxMmNotQuoting', 'StandxMmCreditedHourAtRisk', 'StandxMmPositionHeld', 'StandxMmTokenExpiring', 'StandxMmRestarting']) {
      expect(alerts).toContain(name);
    }
  });

  it('alert rules reference only metrics the daemon exports', async () => {
    const exported = await exportedNames();
    const unknown = rules.flatMap((rule) => metricNamesIn(rule.expr)).filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
    expect(rules.flatMap((rule) => metricNamesIn(rule.expr)).length).toBeGreaterThan(10);
  });

  it('the dashboard references only metrics the daemon exports', async () => {
    const exported = await exportedNames();
    const expressions = dashboardExpressions(dashboard);
    expect(expressions.length).toBeGreaterThan(15);
    expect(expressions.flatMap(metricNamesIn).filter((name) => !exported.has(name))).toEqual([]);
  });

  it('the scrape config reads the alert rules and scrapes loopback only', () => {
    const prometheus = readFileSync(new URL('prometheus.yml', root), 'utf8');
    expect(prometheus).toMatch(/rule_files:\s*\n\s*- alerts\.yml/);
    const targets = prometheus.match(/- (\S+:\d+)/g) ?? [];
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.every((target) => target.startsWith('- 127.0.0.1:'))).toBe(true);
  });
});
