/** Schemas of /v1/hash and /v1/match. */
import { z } from 'zod';
import { MAX_SIGNALS_PER_MATCH } from '../../services/match-signals.js';
import { signalTypeSchema } from './common.js';

export const uploadSignalSchema = z.object({ signalType: signalTypeSchema, signal: z.string() });

export const hashResultSchema = z.object({
  kind: z.enum(['photo', 'video']),
  signals: z.array(uploadSignalSchema),
  quality: z.number().int().optional(),
  durationSeconds: z.number().optional(),
});

export const signalMatchSchema = z.object({
  bank: z.string(), entryId: z.number().int(), signalType: signalTypeSchema, signal: z.string(), display: z.string().optional(), distance: z.number(),
  quality: z.number().int().nullable(), sourceRef: z.string().nullable(), labels: z.array(z.string()),
  queryMatchPercent: z.number().optional(), comparedMatchPercent: z.number().optional(),
});

export const signalAnswerSchema = z.object({
  signalType: z.string(),
  signal: z.string(),
  matches: z.array(signalMatchSchema),
  suppressedBy: z.array(z.object({ bank: z.string(), distance: z.number() })).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const matchBodySchema = z.object({
  signals: z.array(z.object({ signalType: z.string().max(40), signal: z.string().max(2_000_000) })).min(1).max(MAX_SIGNALS_PER_MATCH),
  banks: z.array(z.string().max(128)).max(1000).optional(),
});

export const matchQuerySchema = z.object({
  signal_type: z.string().max(40),
  signal: z.string().max(100_000),
  banks: z.string().max(10_000).optional().describe('comma-separated bank names'),
});

export const matchResponseSchema = z.object({ results: z.array(signalAnswerSchema), upload: hashResultSchema.optional() });
