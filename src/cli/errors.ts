/** The CLI's one error boundary: usage errors exit 2, anything else prints one line and exits 1. */
import { CommanderError } from 'commander';
import { describeError, UnexposeError } from '../core/errors.js';
import { redactUntrusted } from '../core/identifiers/redact-untrusted.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Prints an error for a person and returns the exit code it deserves. Error texts can quote paths and names
 * from an export, so they pass the redaction boundary like everything else that is printed.
 */
export function reportCliError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE; // commander has printed the message already
  }
  if (err instanceof UnexposeError && err.code === 'usage') {
    process.stderr.write(`unexpose: ${redactUntrusted(err.message)}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`unexpose: ${redactUntrusted(describeError(err))}\n`);
  return EXIT_FAILED;
}
