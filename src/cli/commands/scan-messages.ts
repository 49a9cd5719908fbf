/**
 * What the scan's worker thread posts to the command's thread, and how an error crosses back: an UnexposeError
 * stays one (same code, so the same exit code), any other error keeps its name, message, code and stack.
 */
import { UnexposeError, type ErrorCode } from '../../core/errors.js';
import type { ScanOutput } from './scan-run.js';

export type ScanWorkerMessage =
  | { type: 'note'; text: string }
  | { type: 'line'; text: string }
  | { type: 'event'; event: Parameters<ScanOutput['event']>[0] }
  | { type: 'done'; code: number }
  | { type: 'error'; name: string; message: string; stack?: string; code?: string; unexpose: boolean };

/** The error a worker's `error` message stands for, as the command's error boundary expects it. */
export function errorFromWorker(m: Extract<ScanWorkerMessage, { type: 'error' }>): Error {
  const err: Error & { code?: string } = m.unexpose ? new UnexposeError(m.code as ErrorCode, m.message) : new Error(m.message);
  if (!m.unexpose) {
    err.name = m.name;
    if (m.code !== undefined) err.code = m.code;
  }
  if (m.stack !== undefined) err.stack = m.stack;
  return err;
}
