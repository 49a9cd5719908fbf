/**
 * Errors as RFC 9457 problem details (application/problem+json) with the stable codes of core/errors.ts. Every
 * error a v1 route meets (ours, Fastify's, the plugins') becomes one of these; an unexpected one becomes a plain
 * 500 "internal" without a stack or message, and is logged by name only (messages may quote the input).
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { UnexposeError, type ErrorCode } from '../core/errors.js';

export const PROBLEM_TYPE = 'application/problem+json';

export const STATUS_FOR_CODE: Record<ErrorCode, number> = {
  invalid_signal: 400, invalid_input: 400, unsupported_media: 415, decode_failed: 422, decompression_bomb: 413,
  unsafe_path: 400, truncated_input: 400, not_found: 404, conflict: 409, tool_missing: 503, interrupted: 503,
  usage: 400, no_input: 422, unauthorized: 401, forbidden: 403, rate_limited: 429, too_large: 413, unavailable: 503, internal: 500,
};

const TITLE_FOR_STATUS: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed', 406: 'Not acceptable',
  408: 'Request timeout', 409: 'Conflict', 413: 'Content too large', 415: 'Unsupported media type', 422: 'Unprocessable content',
  429: 'Too many requests', 500: 'Internal server error', 503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  instance?: string;
  /** Per-field problems of a request that failed validation. */
  errors?: { path: string; message: string }[];
}

/** A problem for a code (and its usual status). */
export function problemFor(code: ErrorCode, detail: string, status = STATUS_FOR_CODE[code]): Problem {
  return { type: `https://unexpose.example/problems/${code}`, title: TITLE_FOR_STATUS[status] ?? 'Error', status, code, detail };
}

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_input', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'invalid_input', 406: 'unsupported_media',
  408: 'too_large', 409: 'conflict', 413: 'too_large', 415: 'unsupported_media', 422: 'invalid_input', 429: 'rate_limited', 503: 'unavailable',
};

/** Fastify and plugin errors whose messages are fixed texts, safe to pass on. */
const SAFE_FASTIFY_MESSAGES = /^FST_|^FST_ERR_/;

/**
 * True for a database "data exception" (SQLSTATE class 22: a NUL byte or bad encoding in a text, a number out of
 * range): the request's values are at fault, not the server.
 */
export function isBadDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * The problem for anything thrown; `internal` marks the ones to log as unexpected.
 * @example toProblem(new UnexposeError('not_found', 'no bank named "x"')).status // 404
 */
export function toProblem(err: unknown): { problem: Problem; internal: boolean } {
  // `usage` is the CLI's word for a bad argument; over HTTP it is bad input.
  if (err instanceof UnexposeError) return { problem: problemFor(err.code === 'usage' ? 'invalid_input' : err.code, err.message), internal: err.code === 'internal' };
  if (isBadDataError(err)) return { problem: problemFor('invalid_input', 'a value in the request cannot be stored (a NUL byte, a bad encoding, or a number out of range)'), internal: false };
  const fe = err as Partial<FastifyError> & { validation?: { instancePath?: string; message?: string; params?: unknown }[] };
  if (fe && Array.isArray(fe.validation)) {
    const errors = fe.validation.slice(0, 20).map((v) => ({ path: v.instancePath ?? '', message: v.message ?? 'invalid' }));
    const where = fe.validationContext ? `the ${fe.validationContext === 'querystring' ? 'query' : fe.validationContext}` : 'the request';
    return { problem: { ...problemFor('invalid_input', `${where} does not match the schema: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`), errors }, internal: false };
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = CODE_FOR_STATUS[status] ?? 'invalid_input';
    const safe = typeof fe.code === 'string' && SAFE_FASTIFY_MESSAGES.test(fe.code) && typeof fe.message === 'string';
    return { problem: problemFor(code, safe ? fe.message! : TITLE_FOR_STATUS[status] ?? 'bad request', status), internal: false };
  }
  return { problem: problemFor('internal', 'the server met an unexpected error; the request was not completed'), internal: true };
}

/** Sends a problem response. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_TYPE).send({ ...problem, instance: reply.request.id });
}
