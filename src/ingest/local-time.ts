/**
 * Wall-clock times written without a zone (WhatsApp headers, Telegram HTML titles before 2022) turned into UTC:
 * read as local time in an IANA zone, with daylight saving applied as the zone had it on that date. Uses Intl
 * only (web-standard), so it runs in Node and browsers alike.
 */
import { UnexposeError } from '../core/errors.js';

/** The zone of the machine running the scan (the default when no --timezone is given). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Checks an IANA zone name and returns its canonical spelling.
 * @example checkTimeZone('europe/amsterdam') // 'Europe/Amsterdam'
 * @throws UnexposeError 'usage' for a name Intl does not know.
 */
export function checkTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new UnexposeError('usage', `unknown time zone "${zone.slice(0, 60)}": give an IANA name such as Europe/Amsterdam or UTC`);
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of the zone from UTC at instant t (ms), in ms. */
function offsetAt(t: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** Cache of offsets per zone and wall-clock hour: a chat has thousands of messages per hour of offsets. */
const hourOffsets = new Map<string, Map<number, number>>();

/**
 * Unix seconds of a wall-clock time in a zone. A time skipped by a DST change is read with the offset before it;
 * a repeated hour takes its first occurrence.
 * @example zonedUnixTime(Date.UTC(2024, 6, 1, 12, 0, 0) / 1000, 'Europe/Amsterdam') // 1719828000 (10:00 UTC)
 */
export function zonedUnixTime(wallSeconds: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return wallSeconds;
  let cache = hourOffsets.get(zone);
  if (!cache) {
    cache = new Map();
    hourOffsets.set(zone, cache);
  }
  const hour = Math.floor(wallSeconds / 3600);
  let off = cache.get(hour);
  if (off === undefined) {
    const wall = hour * 3_600_000;
    const first = offsetAt(wall, zone);
    off = offsetAt(wall - first, zone);
    if (off !== first) off = Math.max(off, first); // inside a gap or overlap: the earlier instant
    if (cache.size > 200_000) cache.clear();
    cache.set(hour, off);
  }
  return wallSeconds - off / 1000;
}
