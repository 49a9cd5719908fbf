/** Schemas shared by the v1 routes: problem details, bank names, signal types. */
import { z } from 'zod';
import { signalTypes } from '../../core/signals/registry.js';

export const problemSchema = z.object({
  type: z.string(), title: z.string(), status: z.number().int(), code: z.string(), detail: z.string(), instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
}).describe('RFC 9457 problem details; `code` is stable (see the README)');

/** The problem responses every keyed route may give. */
export const problemResponses = {
  400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 413: problemSchema, 429: problemSchema, 503: problemSchema,
};

export const bankNameSchema = z.string().min(1).max(128).describe('bank name: 1-128 letters, digits, _ . : -');
export const signalTypeSchema = z.enum(signalTypes.names() as [string, ...string[]]);
export const bankParams = z.object({ name: bankNameSchema });
export const security = [{ bearer: [] }];
