/**
 * The CLI's one error boundary. A usage error exits 2; an error unexpose expected (bad input, a missing file, a
 * database that refuses) prints one line naming it and exits 1; anything else is a bug: one line naming the error
 * and exit 70, with the stack only under `--debug` (or UNEXPOSE_DEBUG=1). Every line is made safe for a terminal, and
 * passes the redaction boundary (error texts can quote paths and names from an export).
 */
import { CommanderError } from 'commander';
import { describeError, UnexposeError } from '../core/errors.js';
import { EXIT_FAILED, EXIT_INTERNAL, EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { printNote } from './render/terminal-text.js';
import { redactUntrusted } from '../core/identifiers/redact-untrusted.js';

export { EXIT_FAILED, EXIT_INTERNAL, EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE } from './exit-codes.js';

/** True when an error is one of the outside world's (a system call, a database, a network), not a bug. */
function isExternal(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0;
}

/** Prints an error for a person and returns the exit code it deserves. */
export function reportCliError(err: unknown, debug = false): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE; // commander has printed the message already
  }
  if (err instanceof UnexposeError) {
    printNote(`unexpose: ${redactUntrusted(err.message)}`);
    if (debug && err.stack) printNote(redactUntrusted(err.stack));
    if (err.code === 'usage') return EXIT_USAGE;
    if (err.code === 'no_input') return EXIT_NO_INPUT;
    return EXIT_FAILED;
  }
  if (isExternal(err)) {
    printNote(`unexpose: ${redactUntrusted(describeError(err))}`);
    if (debug && err instanceof Error && err.stack) printNote(redactUntrusted(err.stack));
    return EXIT_FAILED;
  }
  const name = err instanceof Error ? err.name : typeof err;
  printNote(`unexpose: internal error (${name}): ${redactUntrusted(describeError(err))}`);
  if (debug && err instanceof Error && err.stack) printNote(redactUntrusted(err.stack));
  else printNote('unexpose: this is a bug; run the same command with --debug to see where it happened, and report it');
  return EXIT_INTERNAL;
}

/**
 * Ends the process quietly when the reader of stdout goes away (`unexpose hash dir | head`): EPIPE is not an
 * error of ours, and nothing more can be written anyway.
 */
export function endQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_OK);
    throw err;
  });
  process.stderr.on('error', () => undefined);
}
