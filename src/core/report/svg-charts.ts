/**
 * Small self-contained SVG charts for reports: no scripts, no external fonts, text escaped. Pure functions from
 * numbers to markup.
 */
import { escapeHtml } from './escape-html.js';

export interface BarDatum {
  label: string;
  value: number;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v) ?? v;
}

/**
 * Vertical bars over time (one per day), with the first and last label and the maximum on the axis.
 * @example columnChart([{ label: '2026-11-01', value: 120 }], 'Messages per day')
 */
export function columnChart(data: BarDatum[], title: string, colour = '#3b6ea8'): string {
  const w = 720;
  const h = 200;
  const left = 44;
  const bottom = 24;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const bw = data.length ? (w - left - 8) / data.length : 0;
  const bars = data.map((d, i) => {
    const bh = ((h - bottom - 10) * d.value) / max;
    return `<rect x="${(left + i * bw).toFixed(1)}" y="${(h - bottom - bh).toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${colour}"><title>${escapeHtml(d.label)}: ${d.value}</title></rect>`;
  }).join('');
  const labels = data.length
    ? `<text x="${left}" y="${h - 6}" ${FONT}>${escapeHtml(data[0].label)}</text><text x="${w - 8}" y="${h - 6}" text-anchor="end" ${FONT}>${escapeHtml(data[data.length - 1].label)}</text>`
    : `<text x="${left}" y="${h / 2}" ${FONT}>no data</text>`;
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${escapeHtml(title)}">`
    + `<line x1="${left}" y1="${h - bottom}" x2="${w - 8}" y2="${h - bottom}" stroke="#888"/>`
    + `<text x="${left - 4}" y="14" text-anchor="end" ${FONT}>${max}</text><text x="${left - 4}" y="${h - bottom}" text-anchor="end" ${FONT}>0</text>`
    + `${bars}${labels}</svg></figure>`;
}

/**
 * Horizontal bars, one row per item, each row with one or more series.
 * @example barChart([{ label: 'chat A', values: [3, 1] }], ['phone numbers', 'handles'], 'Identifiers per chat')
 */
export function barChart(rows: { label: string; values: number[] }[], series: string[], title: string,
  colours = ['#c0504d', '#4f81bd', '#9bbb59']): string {
  const w = 720;
  const labelW = 220;
  const rowH = 14 * series.length + 8;
  const h = Math.max(40, rows.length * rowH + 24);
  const max = niceMax(Math.max(0, ...rows.flatMap((r) => r.values)));
  const body = rows.map((r, i) => {
    const y = i * rowH + 4;
    const name = r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label;
    const bars = r.values.map((v, k) => {
      const bw = ((w - labelW - 60) * v) / max;
      return `<rect x="${labelW}" y="${y + k * 14}" width="${bw.toFixed(1)}" height="12" fill="${colours[k % colours.length]}"><title>${escapeHtml(series[k])}: ${v}</title></rect>`
        + `<text x="${(labelW + bw + 4).toFixed(1)}" y="${y + k * 14 + 10}" ${FONT}>${v}</text>`;
    }).join('');
    return `<text x="${labelW - 6}" y="${y + 10}" text-anchor="end" ${FONT}>${escapeHtml(name)}</text>${bars}`;
  }).join('');
  const legend = series.map((s, k) => `<tspan fill="${colours[k % colours.length]}">■</tspan> ${escapeHtml(s)}`).join('   ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" width="100%" role="img" aria-label="${escapeHtml(title)}">`
    + `${body}<text x="${labelW}" y="${h - 4}" ${FONT}>${legend}</text></svg></figure>`;
}
