/** Schemas of the victim page's public API (/v1/cases): hashes and identifiers in, case number + PIN out. */
import { z } from 'zod';
import { MAX_CASE_IDENTIFIERS, MAX_CASE_PHOTOS, MAX_CASE_REGION_VALUES, MAX_CASE_VIDEOS, MAX_REGION_VALUES_PER_PHOTO } from '../../services/cases/victim-cases.js';

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${n}}$`), `expected ${n} hex digits`);

const regionValues = (type: string) => z.array(z.object({ value: hex(64), quality: z.number().int().min(0).max(100) }).strict())
  .max(MAX_REGION_VALUES_PER_PHOTO).optional()
  .describe(`${type} values of the photo as the server banks them (computed in her browser by the same core)`);

export const createCaseSchema = z.object({
  language: z.enum(['nl', 'en']).default('nl'),
  photos: z.array(z.object({
    pdq: hex(64).describe('PDQ hash (hex) computed in her browser'), quality: z.number().int().min(0).max(100).nullable().optional(),
    regionDct: regionValues('region_dct'), regionMag: regionValues('region_mag'),
  }).strict())
    .max(MAX_CASE_PHOTOS).default([])
    .refine((photos) => photos.reduce((n, p) => n + (p.regionDct?.length ?? 0) + (p.regionMag?.length ?? 0), 0) <= MAX_CASE_REGION_VALUES,
      { message: `at most ${MAX_CASE_REGION_VALUES} region values in one case` }),
  videos: z.array(z.object({
    vpdq: z.string().min(2).max(2_000_000).describe('vPDQ frames as JSON (one frame a second)'),
    md5: hex(32).describe('MD5 of the video file bytes'),
  })).max(MAX_CASE_VIDEOS).default([]),
  identifiers: z.array(z.string().min(3).max(200).describe('a phone number (+31612345678) or platform:handle (instagram:name)')).max(MAX_CASE_IDENTIFIERS).default([]),
}).strict();

export const createdCaseSchema = z.object({
  caseNumber: z.string(), pin: z.string().describe('shown once; only its argon2id hash is stored'),
  entries: z.object({ photos: z.number().int(), videos: z.number().int(), identifiers: z.number().int() }),
  identifiers: z.array(z.string()).describe('the identifiers as stored: redacted'),
});

export const caseCredentialsSchema = z.object({ caseNumber: z.string().min(1).max(40), pin: z.string().min(1).max(40) }).strict();

export const caseStatusSchema = z.object({
  caseNumber: z.string(), createdAt: z.string(),
  registered: z.object({ photos: z.number().int(), videos: z.number().int(), identifiers: z.number().int() }),
  itemsFound: z.number().int(),
  places: z.array(z.object({
    kind: z.enum(['photo', 'video', 'identifier']), identifier: z.string().nullable(),
    item: z.string().nullable().describe('which of her photos or videos ("photo 2"); null for an identifier'),
    signals: z.array(z.string()).describe('the signal types that found it here, e.g. ["pdq", "region_dct"]'),
    platform: z.string(), chatType: z.string(),
    chats: z.number().int(), posts: z.number().int().describe('distinct posts: one found by two signals of the item counts once'),
    firstSeen: z.string().nullable(), lastSeen: z.string().nullable(),
  }).describe('one per item and kind of place (since this version a photo found by PDQ and by a region value is one place, not two)')),
  actions: z.array(z.object({ kind: z.string(), status: z.string(), at: z.string() })),
});

export const pageConfigSchema = z.object({ helplineUrl: z.string().nullable(), policeUrl: z.string().nullable() });
