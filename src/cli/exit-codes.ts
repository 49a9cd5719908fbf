/**
 * The exit codes of every `unexpose` command, in one table (the README lists the same table). Scripts can rely on
 * them: they never change meaning.
 */

/** Everything asked for was done (notices about bad input may have been printed). */
export const EXIT_OK = 0;
/** Some items failed (each is named on its own line); all the others were done and printed or saved. */
export const EXIT_FAILED = 1;
/** Bad usage: an unknown option, a missing argument, a value out of range. */
export const EXIT_USAGE = 2;
/** No input could be read at all (no export in the path, or every export unreadable): nothing was scanned. */
export const EXIT_NO_INPUT = 3;
/** A bug in unexpose: an error it did not expect (run with --debug for the stack). */
export const EXIT_INTERNAL = 70;
/** Interrupted by Ctrl-C after saving what was done; the same command resumes. */
export const EXIT_INTERRUPTED = 130;

/** The table, for the README test and `--help` texts. */
export const EXIT_CODES = [
  { code: EXIT_OK, name: 'ok', meaning: 'done' },
  { code: EXIT_FAILED, name: 'failed', meaning: 'some items failed (each named); the rest was done' },
  { code: EXIT_USAGE, name: 'usage', meaning: 'bad usage (option, argument or value)' },
  { code: EXIT_NO_INPUT, name: 'no_input', meaning: 'no input could be read; nothing was done' },
  { code: EXIT_INTERNAL, name: 'internal', meaning: 'unexpected internal error (stack with --debug)' },
  { code: EXIT_INTERRUPTED, name: 'interrupted', meaning: 'stopped by Ctrl-C; what was done is saved' },
] as const;
