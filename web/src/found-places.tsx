/**
 * The status step's table of where her items were found: one row per item and kind of place, with the signals that
 * recognised it in words ("part of the photo"), never the chat's name. On a phone each row is a card with a label
 * per value (the explicit roles keep it a table for screen readers when CSS makes the cells blocks).
 */
import type { CasePlace } from './api.js';
import type { Texts } from './i18n.js';

/** "Photo 1 · Telegram group", "Number or name 06••••5678 · WhatsApp group". */
export function placeName(t: Texts, p: CasePlace): string {
  const what = [t.kind[p.kind], p.item ? p.item.replace(/^\D+/, '') : '', p.identifier ?? ''].filter((s) => s !== '').join(' ');
  const app = t.app[p.platform.replace(/_(export|html)$/, '')] ?? p.platform;
  return `${what} · ${app} ${t.chatType[p.chatType] ?? t.chatType.unknown}`;
}

/** The signals that found it, in words, each once ("whole photo, part of the photo"). */
export function recognisedBy(t: Texts, p: CasePlace): string {
  return [...new Set((p.signals ?? []).map((s) => t.signal[s] ?? s))].join(', ');
}

export function FoundPlaces({ t, places }: { t: Texts; places: CasePlace[] }) {
  const fmt = (s: string | null) => (s ? new Date(s).toLocaleDateString() : '—');
  const heads = [t.where, t.chats, t.posts, t.firstSeen, t.lastSeen, t.foundBy];
  return (
    <table className="places" role="table">
      <thead role="rowgroup"><tr role="row">{heads.map((h) => <th key={h} scope="col" role="columnheader">{h}</th>)}</tr></thead>
      <tbody role="rowgroup">{places.map((p, n) => {
        const cells = [placeName(t, p), String(p.chats), String(p.posts), fmt(p.firstSeen), fmt(p.lastSeen), recognisedBy(t, p)];
        return <tr key={n} role="row">{cells.map((c, i) => <td key={i} role="cell" data-label={heads[i]}>{c}</td>)}</tr>;
      })}</tbody>
    </table>
  );
}
