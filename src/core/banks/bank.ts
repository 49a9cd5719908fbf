/**
 * Banks and their entries: the settings a bank carries, the signal types an entry may hold, and the checks on
 * names and settings. Storage lives in io/db; this is the shape and the rules.
 */
import { UnexposeError } from '../errors.js';

/** Signal types a bank entry may hold. Storage keys: never rename. */
export const BANK_SIGNAL_TYPES = ['pdq', 'md5', 'sha256', 'vpdq'] as const;
export type BankSignalType = (typeof BANK_SIGNAL_TYPES)[number];

export const DEFAULT_PDQ_THRESHOLD = 31;
export const MAX_PDQ_THRESHOLD = 63;
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
  pdqThreshold: number;
  minQuality: number;
  labels: string[];
  createdAt: string;
}

/** An entry as imported (before storage gives it an id and a time). */
export interface BankEntryInput {
  signalType: BankSignalType;
  signal: string;
  quality: number | null;
  sourceRef: string | null;
  labels: string[];
}

export interface BankEntry extends BankEntryInput {
  id: number;
  bankId: number;
  addedAt: string;
  addedBy: string;
  quarantinedAt: string | null;
  quarantineReason: string | null;
}

export type BankSettings = Pick<Bank, 'description' | 'source' | 'enabled' | 'negative' | 'pdqThreshold' | 'minQuality' | 'labels'>;

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
 * Fills in defaults and checks ranges of bank settings.
 * @example bankSettings({ pdqThreshold: 40 }).minQuality // 50
 */
export function bankSettings(given: Partial<BankSettings>): BankSettings {
  const s: BankSettings = {
    description: given.description ?? '',
    source: given.source ?? 'manual',
    enabled: given.enabled ?? true,
    negative: given.negative ?? false,
    pdqThreshold: given.pdqThreshold ?? DEFAULT_PDQ_THRESHOLD,
    minQuality: given.minQuality ?? DEFAULT_MIN_QUALITY,
    labels: given.labels ?? [],
  };
  if (!Number.isInteger(s.pdqThreshold) || s.pdqThreshold < 0 || s.pdqThreshold > MAX_PDQ_THRESHOLD) {
    throw new UnexposeError('usage', `PDQ threshold must be an integer 0..${MAX_PDQ_THRESHOLD}, got ${given.pdqThreshold}`);
  }
  if (!Number.isInteger(s.minQuality) || s.minQuality < 0 || s.minQuality > MAX_QUALITY) {
    throw new UnexposeError('usage', `minimum quality must be an integer 0..${MAX_QUALITY}, got ${given.minQuality}`);
  }
  s.labels = normaliseLabels(s.labels);
  return s;
}

/** Trims labels, drops empty ones and duplicates, keeps order. */
export function normaliseLabels(labels: string[]): string[] {
  return [...new Set(labels.map((l) => l.trim()).filter((l) => l !== ''))];
}
