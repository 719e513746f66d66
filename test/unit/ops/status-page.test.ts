import { describe, expect, it } from 'vitest';
import { escapeHtml, renderStatusPage, type StatusPageModel } from '../../../src/ops/status-page.js';

const H = Date.UTC(2026, 10, 3, 10);
const model: StatusPageModel = {
  title: 'acct <1> · BTC-USD',
  state: 'stale',
  isHealthy: false,
  reasons: ['feed stale: last depth frame 4000 ms ago'],
  now: [['mid', '100000.000']],
  today: [['fees paid', '0.5000']],
  prices: [
    { atMs: H, mid: 100_000, mark: 100_002, bid: 99_925, ask: 100_075 },
    { atMs: H + 10_000, mid: 100_010, mark: null, bid: null, ask: 100_085 },
  ],
  hours: [
    { hourStartMs: H - 3_600_000, creditedMin: 50, isCurrent: false },
    { hourStartMs: H, creditedMin: 12, isCurrent: true },
  ],
  fullTierMin: 42,
  generatedAtMs: H + 10_000,
  refreshSeconds: 15,
};

describe('renderStatusPage', () => {
  const html = renderStatusPage(model);

  it('escapes every value it shows', () => {
    expect(html).toContain('<title>acct &lt;1&gt; · BTC-USD</title>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('shows the state, the reasons and the tables', () => {
    expect(html).toContain('<span id="state" class="state bad">stale</span>');
    expect(html).toContain('feed stale: last depth frame 4000 ms ago');
    expect(html).toContain('<tr><th>fees paid</th><td>0.5000</td></tr>');
  });

  it('draws each price series and one bar per hour against the 42-minute line', () => {
    expect(html.match(/<polyline class="(mid|mark|bid|ask)"/g)).toEqual(['<polyline class="mid"', '<polyline class="mark"', '<polyline class="bid"', '<polyline class="ask"']);
    expect(html.match(/<rect /g)).toHaveLength(2);
    expect(html).toContain('<title>09:00 UTC 50 min</title>');
    expect(html).toContain('>42 min</text>');
  });

  it('has no script, form or control', () => {
    expect(html).not.toMatch(/<script|<form|<button|<input/);
  });

  it('says so when there is nothing to draw yet', () => {
    const empty = renderStatusPage({ ...model, prices: [], hours: [] });
    expect(empty).toContain('no prices yet');
    expect(empty).toContain('no hours yet');
  });
});
