/**
 * The victim's case (issue 15): created from hashes and identifiers only (PDQ, region_dct and region_mag of photos
 * — computed in her browser by the server's core —, vPDQ + MD5 of videos,
 * phone numbers and handles that become keyed hashes), read back with case number + PIN as counts and places
 * (never a chat name, a sender or another person's data), and withdrawn for real. Her entries live in a bank of
 * her own, so scans, retro-matching and the bot find her material like any other.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { UnexposeError } from '../../core/errors.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import { hashPin, verifyPin } from '../../io/crypto/pin-hash.js';
import type { NoticeRepo } from '../../io/db/repos/notice-repo.js';
import type { VictimCaseRepo, StoredCase } from '../../io/db/repos/victim-case-repo.js';
import { addEntries, type EntryToAdd } from '../bank-entries.js';
import { addIdentifier } from '../bank-identifier.js';
import type { ImportDeps } from '../bank-import.js';
import { createBank, withdrawBank } from '../bank-manage.js';
import { retroMatch } from '../bank-retro-match.js';
import { AddressGuard, lockMsAfter } from './attempt-guard.js';

export const MAX_CASE_PHOTOS = 500;
export const MAX_CASE_VIDEOS = 50;
export const MAX_CASE_IDENTIFIERS = 20;
/** region_dct or region_mag values one photo may bring (a photo banks 7 and 2 today). */
export const MAX_REGION_VALUES_PER_PHOTO = 16;
/** region_dct and region_mag values in one case, all photos together. */
export const MAX_CASE_REGION_VALUES = MAX_CASE_PHOTOS * 9;
/** Crockford base32 without I, L, O, U: easy to read aloud and to type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CASE_CHARS = 16;
const PIN_DIGITS = 8;
const BANK_PREFIX = 'case-';

export interface CaseDeps {
  banks: ImportDeps;
  cases: VictimCaseRepo;
  key: () => Promise<IdentifierKey>;
  addresses: AddressGuard;
  /** The takedown outbox: what was done about her material (status), and its notices go when she withdraws. */
  notices: Pick<NoticeRepo, 'forBank' | 'deleteForBank' | 'deleteItems'>;
  now?: () => Date;
}

/** One region_dct or region_mag value with its region's quality. */
export interface RegionValue { value: string; quality: number }

export interface NewCase {
  photos: { pdq: string; quality?: number | null; regionDct?: RegionValue[]; regionMag?: RegionValue[] }[];
  videos: { vpdq: string; md5: string }[];
  identifiers: string[];
  language: 'nl' | 'en';
}

export interface CreatedCase {
  caseNumber: string;
  pin: string;
  entries: { photos: number; videos: number; identifiers: number };
  /** Identifiers as stored (redacted), so she can check what she registered. */
  identifiers: string[];
}

/**
 * A case number: 16 crypto-random base32 characters (80 bits) in groups of four.
 * @example newCaseNumber() // 'K7QM-2XPA-9D4T-HC0W'
 */
export function newCaseNumber(): string {
  const bytes = randomBytes(CASE_CHARS);
  let s = '';
  for (let i = 0; i < CASE_CHARS; i++) s += ALPHABET[bytes[i] & 31];
  return s.match(/.{4}/g)!.join('-');
}

/** A case number as typed (spaces, lower case, O for 0, I/L for 1) in its stored form, or null when it cannot be one. */
export function normaliseCaseNumber(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CASE_CHARS || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return s.match(/.{4}/g)!.join('-');
}

function newPin(): string {
  let s = '';
  for (let i = 0; i < PIN_DIGITS; i++) s += String(randomInt(10));
  return s;
}

const bankNameOf = (caseNumber: string) => `${BANK_PREFIX}${caseNumber}`;
const clock = (deps: CaseDeps) => (deps.now ?? (() => new Date()))();

/**
 * Creates her case: a bank with her hashes and identifiers (retro-matched against earlier scans), a case number
 * and a PIN shown once. Bad values are refused together, naming their place, before anything is stored.
 */
export async function createCase(deps: CaseDeps, input: NewCase): Promise<CreatedCase> {
  if (input.photos.length + input.videos.length + input.identifiers.length === 0) throw new UnexposeError('invalid_input', 'nothing to register: add a photo, a video, a phone number or a handle');
  const caseNumber = newCaseNumber();
  const pin = newPin();
  const pinHash = await hashPin(pin);
  const bankName = bankNameOf(caseNumber);
  const bank = await createBank(deps.banks, bankName, { source: 'victim-page', description: 'a case registered on the victim page', labels: ['victim-case'] });
  try {
    const media: EntryToAdd[] = [
      // A photo's robust values share its reference, so a match on any of them names the same photo.
      ...input.photos.flatMap((p, i) => [
        { signalType: 'pdq', signal: p.pdq, quality: p.quality ?? null, sourceRef: `photo ${i + 1}` },
        ...(p.regionDct ?? []).map((r) => ({ signalType: 'region_dct', signal: r.value, quality: r.quality, sourceRef: `photo ${i + 1}` })),
        ...(p.regionMag ?? []).map((r) => ({ signalType: 'region_mag', signal: r.value, quality: r.quality, sourceRef: `photo ${i + 1}` })),
      ]),
      ...input.videos.flatMap((v, i) => [
        { signalType: 'vpdq', signal: v.vpdq, sourceRef: `video ${i + 1}` },
        { signalType: 'md5', signal: v.md5, sourceRef: `video ${i + 1}` },
      ]),
    ];
    const report = await addEntries(deps.banks, bankName, media, 'victim-page');
    if (report.rejected.length > 0) {
      const r = report.rejected[0];
      throw new UnexposeError('invalid_input', `${media[r.index].sourceRef}: ${r.reason}`);
    }
    if (deps.banks.stored && deps.banks.matches) await retroMatch({ ...deps.banks, stored: deps.banks.stored, matches: deps.banks.matches }, report.added);
    const key = await deps.key();
    const shown: string[] = [];
    for (const [i, text] of input.identifiers.entries()) {
      try {
        // Matched at once, as her photos are (not by a background job): her first status already shows what was found.
        const r = await addIdentifier({ ...deps.banks, retroInBackground: undefined, key }, bankName, text, { addedBy: 'victim-page', sourceRef: `identifier ${i + 1}` });
        shown.push(r.display);
      } catch (err) {
        throw new UnexposeError('invalid_input', `identifier ${i + 1}: ${(err as Error).message}`);
      }
    }
    await deps.cases.insertCase({ caseNumber, pinHash, bankId: bank.id, language: input.language, now: clock(deps).toISOString() });
    return { caseNumber, pin, entries: { photos: input.photos.length, videos: input.videos.length, identifiers: shown.length }, identifiers: shown };
  } catch (err) {
    await withdrawBank({ ...deps.banks, notices: deps.notices }, bankName);
    throw err;
  }
}

const refused = () => new UnexposeError('unauthorized', 'case number or PIN is not right');

/**
 * Checks case number + PIN with the lockouts (per address in memory, per case in the database). An unknown case
 * and a wrong PIN answer alike, so the answer never tells whether a case exists.
 */
export async function openCase(deps: CaseDeps, typedNumber: string, pin: string, address: string): Promise<StoredCase> {
  const wait = deps.addresses.waitMs(address);
  if (wait > 0) throw new UnexposeError('rate_limited', `too many tries; try again in ${Math.ceil(wait / 1000)} s`);
  const caseNumber = normaliseCaseNumber(typedNumber);
  const found = caseNumber ? await deps.cases.findCase(caseNumber) : undefined;
  const now = clock(deps).getTime();
  if (found?.lockedUntil && Date.parse(found.lockedUntil) > now) {
    throw new UnexposeError('rate_limited', `too many tries for this case; try again in ${Math.ceil((Date.parse(found.lockedUntil) - now) / 1000)} s`);
  }
  if (!found || !/^\d{4,12}$/.test(pin.trim()) || !(await verifyPin(found.pinHash, pin.trim()))) {
    deps.addresses.fail(address);
    if (found) {
      const failures = found.failedAttempts + 1;
      const lock = lockMsAfter(failures);
      await deps.cases.recordFailure(found.id, failures, lock > 0 ? new Date(now + lock).toISOString() : null);
    }
    throw refused();
  }
  deps.addresses.succeed(address);
  if (found.failedAttempts > 0) await deps.cases.clearFailures(found.id);
  return found;
}

export interface CasePlace {
  /** What matched: photo, video or identifier (with its redacted form). */
  kind: 'photo' | 'video' | 'identifier';
  identifier: string | null;
  /** Which of her items: "photo 2", "video 1"; null for an identifier (its redacted form says which). */
  item: string | null;
  /** The signal types that found it here (e.g. ["pdq", "region_dct"]). */
  signals: string[];
  /** The export source (telegram_export, whatsapp_export, …) and the chat type (group, channel, private …). */
  platform: string;
  chatType: string;
  chats: number;
  /** Distinct posts: a post that two of the item's signals found counts once. */
  posts: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

export interface CaseStatus {
  caseNumber: string;
  createdAt: string;
  registered: { photos: number; videos: number; identifiers: number };
  /** How many of her items were found at least once. */
  itemsFound: number;
  /** One per item and kind of place: a photo found by its PDQ and by a region value is listed once. */
  places: CasePlace[];
  /** Takedown notices about her material: to whom (the recipient's id), their state and when it last changed. */
  actions: { kind: string; status: string; at: string }[];
}

/** Signal types of one photo or one video: its entries share a source reference and are one item. */
const PHOTO_TYPES = ['pdq', 'region_dct', 'region_mag'];
const VIDEO_TYPES = ['vpdq', 'md5'];
const MEDIA_TYPES = [...PHOTO_TYPES, ...VIDEO_TYPES];

const iso = (unix: number | null) => (unix === null ? null : new Date(unix * 1000).toISOString());

/** What she may see of her case: counts and places, nothing of anyone else. */
export async function caseStatus(deps: CaseDeps, c: StoredCase): Promise<CaseStatus> {
  const counts = await deps.cases.countEntries(c.bankId);
  const rows = await deps.cases.findings(c.bankId, MEDIA_TYPES);
  const notices = await deps.notices.forBank(bankNameOf(c.caseNumber));
  const kindOf = (t: string): CasePlace['kind'] => (PHOTO_TYPES.includes(t) ? 'photo' : VIDEO_TYPES.includes(t) ? 'video' : 'identifier');
  return {
    caseNumber: c.caseNumber, createdAt: c.createdAt,
    registered: { photos: counts.pdq ?? 0, videos: counts.vpdq ?? 0, identifiers: (counts.phone ?? 0) + (counts.handle ?? 0) },
    // A photo found by its PDQ and by a region value is one item (its entries share the source reference).
    itemsFound: new Set(rows.map((r) => r.sourceRef ?? `entry ${r.entryId}`)).size,
    places: rows.map((r) => {
      const kind = kindOf(r.signalTypes[0] ?? '');
      return {
        kind, identifier: kind === 'identifier' ? r.display : null, item: r.sourceRef, signals: r.signalTypes, platform: r.platform, chatType: r.chatType,
        chats: r.chats, posts: r.posts, firstSeen: iso(r.firstSeen), lastSeen: iso(r.lastSeen),
      };
    }),
    actions: notices.map((n) => ({ kind: n.recipient, status: n.state, at: n.updated_at })),
  };
}

/** Deletes her case for real: the bank, every entry and identifier hash, every match derived from them, the case row. */
export async function withdrawCase(deps: CaseDeps, c: StoredCase): Promise<{ removed: number }> {
  const bankName = bankNameOf(c.caseNumber);
  await deps.cases.deleteCase(c.id);
  const { removed } = await withdrawBank({ ...deps.banks, notices: deps.notices }, bankName);
  return { removed };
}
