/**
 * Error classes with stable codes. Every face (CLI, server, bot) has one boundary that turns these into a
 * message that names what was wrong; the code is for machines, the message for people.
 */

export type ErrorCode =
  | 'invalid_signal'
  | 'invalid_input'
  | 'unsupported_media'
  | 'decode_failed'
  | 'decompression_bomb'
  | 'unsafe_path'
  | 'truncated_input'
  | 'not_found'
  | 'conflict'
  | 'tool_missing'
  | 'interrupted'
  | 'no_input'
  | 'usage'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'too_large'
  | 'unavailable'
  | 'internal';

export class UnexposeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'UnexposeError';
  }
}

/** A hash or identifier that is not in the form its signal type requires. */
export class InvalidSignalError extends UnexposeError {
  constructor(message: string) {
    super('invalid_signal', message);
    this.name = 'InvalidSignalError';
  }
}

/** Turns anything thrown into one line of words, for per-item error output. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
