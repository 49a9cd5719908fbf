/**
 * The scan report as one self-contained HTML page (works offline: inline CSS and SVG, no scripts, no external
 * fonts or images), with the charts a journalist would put in an article: activity and media per day, the most
 * re-posted media, identifiers per chat. It never shows an image, a message text, or an identifier in clear.
 */
import type { ChatReport, ScanReport } from '../scan/scan-report.js';
import { escapeHtml as e } from './escape-html.js';
import { barChart, columnChart } from './svg-charts.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}table{border-collapse:collapse;width:100%;font-size:.9em}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left}td.n,th.n{text-align:right}figure{margin:1em 0}
figcaption{font-weight:600;margin-bottom:.3em}.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:8px}
.fig{background:#f4f6f9;padding:8px;border-radius:4px}.fig b{display:block;font-size:1.5em}.muted{color:#666;font-size:.85em}
code{font-size:.8em;word-break:break-all}`;

const SUMMARY_LABELS: [keyof ScanReport['summary'], string][] = [
  ['messages', 'messages'], ['serviceMessages', 'service messages'], ['photos', 'photos'], ['videos', 'videos'],
  ['otherMedia', 'other media'], ['mediaNotDownloaded', 'media not downloaded'], ['participants', 'participants (senders)'],
  ['forwards', 'forwards'], ['phoneNumbers', 'phone numbers'], ['handles', 'social-media handles'],
  ['mediaClusters', 'media posted more than once'], ['bankMatches', 'bank matches'],
];

function chatLabel(c: Pick<ChatReport, 'name' | 'type' | 'key'>): string {
  return c.name ?? `${c.type.replace(/_/g, ' ')} ${c.key.split(':').pop()}`;
}

const num = (n: number) => n.toLocaleString('en-GB');

function link(href: string | null, text: string): string {
  return href && /^https:\/\/t\.me\//.test(href) ? `<a href="${e(href)}">${e(text)}</a>` : e(text);
}

/**
 * Renders the report.
 * @example writeFile('report.html', renderReportHtml(report))
 */
export function renderReportHtml(report: ScanReport): string {
  const s = report.summary;
  const chatNames = new Map(report.chats.map((c) => [c.key, chatLabel(c)]));
  const figures = SUMMARY_LABELS.map(([k, label]) => `<div class="fig"><b>${num(s[k])}</b>${e(label)}</div>`).join('');
  const activity = columnChart(report.daily.map((d) => ({ label: d.date, value: d.messages })), 'Messages per day');
  const media = columnChart(report.daily.map((d) => ({ label: d.date, value: d.media })), 'Photos and videos per day', '#c0504d');
  const top = barChart(report.clusters.slice(0, 15).map((c, i) => ({ label: `#${i + 1} ${c.mediaClass} (${c.representative.slice(0, 8)}…)`, values: [c.posts, c.chats] })),
    ['times posted', 'chats'], 'Most re-posted media (top 15 by spread)');
  const ids = barChart(report.chats.filter((c) => c.phoneNumbers + c.handles > 0).slice(0, 30).map((c) => ({ label: chatLabel(c), values: [c.phoneNumbers, c.handles] })),
    ['phone numbers', 'handles'], 'Identifiers spread per chat (unique)');
  const chatRows = report.chats.map((c) => `<tr><td>${e(chatLabel(c))}</td><td>${e(c.type.replace(/_/g, ' '))}</td><td class="n">${num(c.messages)}</td>`
    + `<td class="n">${num(c.photos)}</td><td class="n">${num(c.videos)}</td><td class="n">${num(c.mediaNotDownloaded)}</td><td class="n">${num(c.participants)}</td>`
    + `<td class="n">${num(c.phoneNumbers)}</td><td class="n">${num(c.handles)}</td><td class="n">${num(c.bankMatches)}</td></tr>`).join('');
  const clusterRows = report.clusters.map((c, i) => `<tr><td>#${i + 1}</td><td>${e(c.mediaClass)}</td><td class="n">${c.posts}</td><td class="n">${c.chats}</td>`
    + `<td class="n">${c.senders}</td><td>${e(c.firstSeen?.slice(0, 10) ?? '')} – ${e(c.lastSeen?.slice(0, 10) ?? '')}</td><td class="n">${c.bankMatches}</td>`
    + `<td>${c.messages.slice(0, 5).map((m) => link(m.link, `${chatNames.get(m.chat) ?? m.chat} #${m.messageId}`)).join(', ')}${c.messages.length > 5 ? ' …' : ''}</td></tr>`).join('');
  const matchRows = report.matches.map((m) => `<tr><td>${link(m.link, `${chatNames.get(m.chat) ?? m.chat} #${m.messageId}`)}</td><td>${e(m.kind === 'identifier' ? `${m.signalType} ${m.identifier ?? ''}` : m.mediaClass ?? '')}</td>`
    + `<td>${e(m.bank)}</td><td>${e(m.signalType)}${m.foundBy === 'retro' ? ' (retro)' : ''}</td><td class="n">${m.distance}</td><td>${e(m.sourceRef ?? '')}</td><td>${e(m.labels.join(', '))}</td></tr>`).join('');
  const notices = report.notices.slice(0, 200).map((n) => `<li>${e(n.level)}: ${e(n.message)}</li>`).join('');
  const period = report.run.firstMessage ? `${report.run.firstMessage.slice(0, 10)} to ${report.run.lastMessage?.slice(0, 10)}` : 'no dated messages';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'none'">
<title>unexpose scan report</title><style>${STYLE}</style></head><body>
<h1>unexpose scan report</h1>
<p class="muted">Scan ${report.scanId}, generated ${e(report.generatedAt)}; ${report.chats.length} chat(s), ${e(period)}.
Made from hashes and metadata only: no image, no message text and no phone number or handle in clear is in this report.</p>
<h2>Figures</h2><div class="figures">${figures}</div>
<h2>Activity</h2>${activity}${media}
<h2>Spread</h2>${top}
<table><thead><tr><th></th><th>kind</th><th class="n">posts</th><th class="n">chats</th><th class="n">senders</th><th>first – last seen</th><th class="n">bank matches</th><th>messages</th></tr></thead><tbody>${clusterRows || '<tr><td colspan="8">no media was posted more than once</td></tr>'}</tbody></table>
<h2>Personal data</h2>${ids}
<h2>Chats</h2><table><thead><tr><th>chat</th><th>type</th><th class="n">messages</th><th class="n">photos</th><th class="n">videos</th><th class="n">not downloaded</th><th class="n">senders</th><th class="n">phone numbers</th><th class="n">handles</th><th class="n">bank matches</th></tr></thead><tbody>${chatRows}</tbody></table>
<h2>Bank matches</h2><table><thead><tr><th>message</th><th>kind</th><th>bank</th><th>signal</th><th class="n">distance</th><th>source</th><th>labels</th></tr></thead><tbody>${matchRows || '<tr><td colspan="7">no matches</td></tr>'}</tbody></table>
${notices ? `<h2>Notices</h2><ul>${notices}</ul>${report.notices.length > 200 ? `<p class="muted">and ${report.notices.length - 200} more</p>` : ''}` : ''}
</body></html>
`;
}
