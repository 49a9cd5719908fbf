/**
 * Banks and their entries: the settings a bank carries (a threshold per signal type), the entry shape, and the
 * checks on names, settings and qualities. Which signal types exist is the signal registry's business
 * (core/signals/registry.ts); storage lives in io/db.
 */
import { InvalidSignalError, UnexposeError } from '../errors.js';
import { signalTypes, type SignalRegistry } from '../signals/registry.js';
import { checkThreshold, type SignalType } from '../signals/signal-type.js';

export const DEFAULT_MIN_QUALITY = 50;
export const MAX_QUALITY = 100;

export interface Bank {
  id: number;
  name: string;
  description: string;
  /** Where the hashes come from, e.g. `case:2026-0012`, `stopncii`, `manual`. */
  source: string;
  enabled: boolean;
  /** Known false positives: a query within reach of one of these produces no match at all. */
  negative: boolean;
  /** Thresholds this bank sets, by signal type name; a type not named uses its default. */
  thresholds: Record<string, number>;
  minQuality: number;
  labels: string[];
  createdAt: string;
}

/** An entry as imported (before storage gives it an id and a time). */
export interface BankEntryInput {
  /** A name in the signal registry (pdq, md5, phone, ...). */
  signalType: string;
  /** The normalised value (for phone and handle: the keyed hash, never the clear text). */
  signal: string;
  quality: number | null;
  sourceRef: string | null;
  labels: string[];
  /** Redacted form of an identifier entry for people ("+31 6 •••• ••78"); null for media hashes. */
  display?: string | null;
}

export interface BankEntry extends BankEntryInput {
  id: number;
  bankId: number;
  display: string | null;
  addedAt: string;
  addedBy: string;
  quarantinedAt: string | null;
  quarantineReason: string | null;
}

export type BankSettings = Pick<Bank, 'description' | 'source' | 'enabled' | 'negative' | 'thresholds' | 'minQuality' | 'labels'>;

const BANK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Checks a bank name: 1-128 letters, digits, `_ . : -`, starting with a letter or digit.
 * @example checkBankName('case-2026-0012') // 'case-2026-0012'
 */
export function checkBankName(name: string): string {
  if (!BANK_NAME.test(name)) {
    throw new UnexposeError('usage', `not a bank name: "${name}" (use 1-128 letters, digits, _ . : -, starting with a letter or digit)`);
  }
  return name;
}

/**
 * Fills in defaults and checks ranges of bank settings; thresholds must name known signal types.
 * @example bankSettings({ thresholds: { pdq: 40 } }).minQuality // 50
 */
export function bankSettings(given: Partial<BankSettings>, registry: SignalRegistry = signalTypes): BankSettings {
  const s: BankSettings = {
    description: given.description ?? '',
    source: given.source ?? 'manual',
    enabled: given.enabled ?? true,
    negative: given.negative ?? false,
    thresholds: {},
    minQuality: given.minQuality ?? DEFAULT_MIN_QUALITY,
    labels: normaliseLabels(given.labels ?? []),
  };
  for (const [name, n] of Object.entries(given.thresholds ?? {})) {
    if (n === undefined) continue;
    try {
      s.thresholds[name] = checkThreshold(registry.require(name), n);
    } catch (err) {
      throw new UnexposeError('usage', (err as Error).message);
    }
  }
  if (!Number.isInteger(s.minQuality) || s.minQuality < 0 || s.minQuality > MAX_QUALITY) {
    throw new UnexposeError('usage', `minimum quality must be an integer 0..${MAX_QUALITY}, got ${given.minQuality}`);
  }
  return s;
}

/**
 * The threshold a bank applies to a signal type: its own, else the type's default.
 * @example thresholdFor({ thresholds: { pdq: 20 } }, pdqSignal) // 20
 */
export function thresholdFor(bank: Pick<Bank, 'thresholds'>, type: SignalType): number {
  return bank.thresholds[type.name] ?? type.defaultThreshold;
}

/** Trims labels, drops empty ones and duplicates, keeps order. */
export function normaliseLabels(labels: string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ''))];
}

/**
 * An integer quality 0..100, null when absent, or an InvalidSignalError naming the field.
 * @example checkQuality('75', 'quality') // 75
 */
export function checkQuality(value: unknown, what = 'quality'): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > MAX_QUALITY) throw new InvalidSignalError(`${what} must be an integer 0..${MAX_QUALITY}, got "${String(value)}"`);
  return n;
}
