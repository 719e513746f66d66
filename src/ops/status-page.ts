// The read-only status page served beside the metrics: plain HTML, inline SVG charts, no script, no
// controls. It refreshes itself; everything it shows comes in the model, already formatted.

export interface PricePoint {
  readonly atMs: number;
  readonly mid: number | null;
  readonly mark: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
}

export interface HourBar {
  readonly hourStartMs: number;
  readonly creditedMin: number;
  readonly isCurrent: boolean;
}

export interface StatusPageModel {
  readonly title: string;
  readonly state: string;
  readonly isHealthy: boolean;
  readonly reasons: readonly string[];
  /** Label and value pairs, shown in order. */
  readonly now: ReadonlyArray<readonly [string, string]>;
  readonly today: ReadonlyArray<readonly [string, string]>;
  readonly prices: readonly PricePoint[];
  readonly hours: readonly HourBar[];
  readonly fullTierMin: number;
  readonly generatedAtMs: number;
  readonly refreshSeconds: number;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = 40;
const SERIES = [
  ['mid', '#444'],
  ['mark', '#c60'],
  ['bid', '#070'],
  ['ask', '#b00'],
] as const;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function table(rows: StatusPageModel['now']): string {
  return `<table>${rows.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
}

function priceChart(points: readonly PricePoint[]): string {
  const values = points.flatMap((p) => [p.mid, p.mark, p.bid, p.ask].filter((v): v is number => v !== null));
  const first = points[0];
  const last = points[points.length - 1];
  if (values.length === 0 || !first || !last) return '<p class="empty">no prices yet</p>';
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const duration = last.atMs - first.atMs || 1;
  const x = (atMs: number): number => PAD + ((atMs - first.atMs) / duration) * (WIDTH - 2 * PAD);
  const y = (value: number): number => HEIGHT - PAD + (-(value - low) / span) * (HEIGHT - 2 * PAD);
  const lines = SERIES.map(([key, colour]) => {
    const path = points.filter((p) => p[key] !== null).map((p) => `${x(p.atMs).toFixed(1)},${y(p[key] ?? 0).toFixed(1)}`).join(' ');
    return path === '' ? '' : `<polyline class="${key}" fill="none" stroke="${colour}" stroke-width="1.5" points="${path}"/>`;
  }).join('');
  const legend = SERIES.map(([key, colour], index) => `<text x="${PAD + index * 70}" y="16" fill="${colour}">${key}</text>`).join('');
  const labels = `<text x="2" y="${PAD}">${high.toFixed(2)}</text><text x="2" y="${HEIGHT - PAD}">${low.toFixed(2)}</text>`;
  return `<svg id="prices" role="img" aria-label="mid, mark and quotes over the last hour" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">${legend}${labels}${lines}</svg>`;
}

function hoursChart(hours: readonly HourBar[], fullTierMin: number): string {
  if (hours.length === 0) return '<p class="empty">no hours yet</p>';
  const barWidth = (WIDTH - 2 * PAD) / 24;
  const y = (minutes: number): number => HEIGHT - PAD - (minutes / 60) * (HEIGHT - 2 * PAD);
  const bars = hours.map((hour, index) => {
    const colour = hour.creditedMin >= fullTierMin ? '#070' : hour.creditedMin >= 30 ? '#c90' : '#b00';
    const label = new Date(hour.hourStartMs).toISOString().slice(11, 13);
    const left = PAD + index * barWidth;
    return `<rect x="${left.toFixed(1)}" y="${y(hour.creditedMin).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(HEIGHT - PAD - y(hour.creditedMin)).toFixed(1)}" fill="${colour}"${hour.isCurrent ? ' opacity="0.5"' : ''}><title>${label}:00 UTC ${hour.creditedMin} min</title></rect><text x="${left.toFixed(1)}" y="${HEIGHT - PAD + 14}">${label}</text>`;
  }).join('');
  const tier = `<line x1="${PAD}" x2="${WIDTH - PAD}" y1="${y(fullTierMin)}" y2="${y(fullTierMin)}" stroke="#06c" stroke-dasharray="4"/><text x="${WIDTH - PAD + 2}" y="${y(fullTierMin) + 4}">${fullTierMin} min</text>`;
  return `<svg id="hours" role="img" aria-label="credited minutes per hour" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">${bars}${tier}</svg>`;
}

export function renderStatusPage(model: StatusPageModel): string {
  const reasons = model.reasons.length === 0 ? '' : `<p class="reasons">${model.reasons.map(escapeHtml).join('; ')}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${model.refreshSeconds}">
<title>${escapeHtml(model.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}th{text-align:left;padding-right:1em;font-weight:600}
.state{display:inline-block;padding:.1em .6em;border-radius:.3em;color:#fff}.ok{background:#070}.bad{background:#b00}svg text{font-size:11px}
.empty,.reasons{color:#b00}section{margin-bottom:1.5em}</style></head>
<body><h1>${escapeHtml(model.title)} <span id="state" class="state ${model.isHealthy ? 'ok' : 'bad'}">${escapeHtml(model.state)}</span></h1>${reasons}
<section><h2>Now</h2>${table(model.now)}</section>
<section><h2>Mid, mark and quotes, last hour</h2>${priceChart(model.prices)}</section>
<section><h2>Credited minutes per UTC hour, last 24 h (full tier at ${model.fullTierMin})</h2>${hoursChart(model.hours, model.fullTierMin)}</section>
<section><h2>Today (UTC)</h2>${table(model.today)}</section>
<footer>generated ${escapeHtml(new Date(model.generatedAtMs).toISOString())} · read-only · refreshes every ${model.refreshSeconds} s</footer>
</body></html>
`;
}
