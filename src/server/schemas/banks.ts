/** Schemas of /v1/banks and their entries. */
import { z } from 'zod';
import { MAX_QUALITY } from '../../core/banks/bank.js';
import { MAX_ENTRIES_PER_ADD } from '../../services/bank-entries.js';
import { bankNameSchema, signalTypeSchema } from './common.js';

const labels = z.array(z.string().max(200)).max(100);

export const bankSettingsSchema = z.object({
  description: z.string().max(2000).optional(),
  source: z.string().max(200).optional(),
  enabled: z.boolean().optional(),
  negative: z.boolean().optional().describe('known false positives: a query in reach of one produces no match'),
  thresholds: z.record(z.string().max(40), z.number().int().min(0).max(1000)).optional().describe('threshold per signal type, e.g. {"pdq": 31}; checked against each type\'s maximum'),
  minQuality: z.number().int().min(0).max(MAX_QUALITY).optional(),
  labels: labels.optional(),
});

export const createBankSchema = bankSettingsSchema.extend({ name: bankNameSchema });
export const updateBankSchema = bankSettingsSchema.extend({ name: bankNameSchema.optional().describe('a new name') });

export const bankSchema = z.object({
  name: z.string(), description: z.string(), source: z.string(), enabled: z.boolean(), negative: z.boolean(),
  thresholds: z.record(z.string(), z.number().int()), minQuality: z.number().int(), labels: z.array(z.string()), createdAt: z.string(),
});

export const bankSummarySchema = bankSchema.extend({
  entries: z.record(z.string(), z.number().int()), total: z.number().int(), quarantined: z.number().int(),
});

export const entryInputSchema = z.object({
  signalType: z.string().max(40), signal: z.string().max(2_000_000),
  quality: z.number().int().min(0).max(MAX_QUALITY).nullable().optional(),
  sourceRef: z.string().max(500).nullable().optional(), labels: labels.optional(),
});

export const addEntriesSchema = z.object({ entries: z.array(entryInputSchema).min(1).max(MAX_ENTRIES_PER_ADD) });

export const addEntriesResultSchema = z.object({
  bank: z.string(), added: z.number().int(), ids: z.array(z.number().int()), duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});

export const entrySchema = z.object({
  id: z.number().int(), bank: z.string(), signalType: signalTypeSchema, signal: z.string(), display: z.string().optional(), quality: z.number().int().nullable(),
  sourceRef: z.string().nullable(), labels: z.array(z.string()), addedAt: z.string(), addedBy: z.string(), quarantinedAt: z.string().nullable(),
});

export const removeEntrySchema = z.object({ signal: z.string().max(2_000_000), signalType: signalTypeSchema.optional() });

export const importQuerySchema = z.object({ format: z.enum(['auto', 'hashes', 'csv', 'jsonl']).default('auto'), signalType: signalTypeSchema.optional() });
export const exportQuerySchema = z.object({ format: z.enum(['csv', 'jsonl']).default('jsonl') });

export const importReportSchema = z.object({
  bank: z.string(), lines: z.number().int(), added: z.number().int(), duplicates: z.number().int(), skipped: z.number().int(),
  badLines: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});

export const addIdentifiersSchema = z.object({
  identifiers: z.array(z.object({
    value: z.string().min(1).max(200).describe('a phone number ("+31 6 …", "06 …") or a handle ("instagram:name"), in clear; only its keyed hash is stored'),
    kind: z.enum(['phone', 'handle']).optional(),
    platform: z.enum(['instagram', 'snapchat', 'tiktok']).optional().describe('platform of a handle written without one'),
    region: z.string().length(2).optional().describe('country of numbers written without +country (default NL)'),
    labels: labels.optional(),
    sourceRef: z.string().max(500).optional(),
  })).min(1).max(1000),
});

export const addIdentifiersResultSchema = z.object({
  bank: z.string(),
  results: z.array(z.object({
    index: z.number().int(), signalType: z.string().optional(), display: z.string().optional(), added: z.boolean().optional(),
    newMatches: z.number().int().optional().describe('messages in earlier scans that hold it'), error: z.string().optional(),
  })),
});
