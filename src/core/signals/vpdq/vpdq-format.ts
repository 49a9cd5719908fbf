/**
 * Text forms of a video's vPDQ features:
 * - the reference's hash file (`vpdq-hash-video` output, `vpdq/sample-hashes/*.txt`): one line per frame,
 *   `frameNumber,quality,pdqHex,timestamp` with the timestamp printed with 3 decimals;
 * - python-threatexchange's signal string: a JSON list of `"pdqHex,quality,timestamp"` strings whose timestamp is
 *   formatted with Python's `:.3` (3 significant digits: 12.345 -> `12.3`, 100.0 -> `1e+02`); that form carries no
 *   frame numbers, so parsed frames are numbered by position.
 */
import { InvalidSignalError } from '../../errors.js';
import { isPdqHex } from '../pdq/pdq-hex.js';
import type { VpdqFeature } from './vpdq-feature.js';

function checkFrame(f: VpdqFeature, where: string): VpdqFeature {
  if (!isPdqHex(f.pdq)) throw new InvalidSignalError(`${where}: "${f.pdq}" is not a PDQ hash (64 hex digits)`);
  if (!Number.isInteger(f.quality) || f.quality < 0 || f.quality > 100) throw new InvalidSignalError(`${where}: quality "${f.quality}" is not a whole number 0..100`);
  if (!Number.isInteger(f.frame) || f.frame < 0) throw new InvalidSignalError(`${where}: frame number "${f.frame}" is not a whole number of 0 or more`);
  if (!Number.isFinite(f.timestamp) || f.timestamp < 0) throw new InvalidSignalError(`${where}: timestamp "${f.timestamp}" is not a number of seconds`);
  return { ...f, pdq: f.pdq.toLowerCase() };
}

/**
 * Parses a reference hash file (`frame,quality,hex,timestamp` per line; blank lines ignored).
 * @example parseVpdqHashFile('0,100,e429...54,0.000\n') // [{ frame: 0, quality: 100, pdq: 'e429...54', timestamp: 0 }]
 */
export function parseVpdqHashFile(text: string, name = 'vPDQ hash file'): VpdqFeature[] {
  const out: VpdqFeature[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const cells = line.split(',');
    const where = `${name} line ${i + 1}`;
    if (cells.length !== 4) throw new InvalidSignalError(`${where}: expected "frame,quality,hex,timestamp", got "${line.slice(0, 100)}"`);
    const [frame, quality, pdq, timestamp] = cells.map((c) => c.trim());
    out.push(checkFrame({ frame: numberOf(frame), quality: numberOf(quality), pdq, timestamp: numberOf(timestamp) }, where));
  }
  return out;
}

function numberOf(s: string): number {
  return s === '' ? NaN : Number(s);
}

/**
 * Formats frames as a reference hash file, one `frame,quality,hex,timestamp` line each.
 * @example formatVpdqHashFile([{ frame: 1, quality: 100, pdq: 'e4...', timestamp: 1 / 30 }]) // '1,100,e4...,0.033\n'
 */
export function formatVpdqHashFile(frames: readonly VpdqFeature[]): string {
  return frames.map((f) => `${f.frame},${f.quality},${f.pdq},${f.timestamp.toFixed(3)}\n`).join('');
}

/**
 * Parses python-threatexchange's vPDQ signal string (a JSON list of "hex,quality,timestamp").
 * @example parsePytxVpdq('["e429...54,100,1e+02"]')[0].timestamp // 100
 */
export function parsePytxVpdq(text: string, name = 'vPDQ signal'): VpdqFeature[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new InvalidSignalError(`${name}: not a JSON list of "hex,quality,timestamp" strings`);
  }
  if (!Array.isArray(list)) throw new InvalidSignalError(`${name}: not a JSON list of "hex,quality,timestamp" strings`);
  return list.map((item, i) => {
    const where = `${name} item ${i}`;
    if (typeof item !== 'string') throw new InvalidSignalError(`${where}: not a "hex,quality,timestamp" string`);
    const cells = item.split(',').map((c) => c.trim());
    if (cells.length !== 3) throw new InvalidSignalError(`${where}: expected "hex,quality,timestamp", got "${item.slice(0, 100)}"`);
    return checkFrame({ frame: i, pdq: cells[0], quality: numberOf(cells[1]), timestamp: numberOf(cells[2]) }, where);
  });
}

/**
 * Python's `format(x, '.3')` for a non-negative float: 3 significant digits, trailing zeros dropped but at least
 * one digit after the point in fixed notation, exponent form when the point would fall outside the digits.
 * @example formatPython3Significant(100) // '1e+02'
 */
export function formatPython3Significant(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : x < 0 ? '-inf' : 'nan';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [digits, decpt] = roundHalfEven3(Math.abs(x));
  // CPython (pystrtod.c): exponent form when decpt <= -4 or decpt > precision - 1 (the added ".0" counts).
  const trimmed = digits.replace(/0+$/, '') || '0';
  if (decpt <= -4 || decpt > 2) {
    const exp = decpt - 1;
    const mant = trimmed.length > 1 ? `${trimmed[0]}.${trimmed.slice(1)}` : trimmed;
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${trimmed}`;
  const intPart = trimmed.slice(0, decpt).padEnd(decpt, '0');
  const frac = trimmed.slice(decpt);
  return `${sign}${intPart}.${frac || '0'}`;
}

/** The 3 significant digits of x > 0, rounded half-to-even on its exact binary value, and the decimal point's position. */
function roundHalfEven3(x: number): [string, number] {
  // toPrecision(100) spells out a double's exact decimal expansion for any timestamp-sized value.
  const [mant, expStr] = x.toPrecision(100).split('e');
  const all = mant.replace('.', '');
  const lead = all.search(/[1-9]/);
  let decpt = (expStr === undefined ? mant.indexOf('.') === -1 ? mant.length : mant.indexOf('.') : 1 + Number(expStr)) - lead;
  const sig = all.slice(lead);
  let head = Number(sig.slice(0, 3).padEnd(3, '0'));
  const rest = sig.slice(3);
  const firstRest = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1);
  if (firstRest > 5 || (firstRest === 5 && (/[1-9]/.test(tail) || head % 2 === 1))) head++;
  if (head === 1000) { head = 100; decpt++; }
  return [String(head), decpt];
}

/**
 * Formats frames as python-threatexchange's vPDQ signal string.
 * @example formatPytxVpdq([{ frame: 0, quality: 100, pdq: 'e4...', timestamp: 12.345 }]) // '["e4...,100,12.3"]'
 */
export function formatPytxVpdq(frames: readonly VpdqFeature[]): string {
  return JSON.stringify(frames.map((f) => `${f.pdq},${f.quality},${formatPython3Significant(f.timestamp)}`));
}
