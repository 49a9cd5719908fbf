/**
 * The one progress event of every long job (hashing files, scanning exports, importing a bank, retro-matching):
 * services emit it, faces render it (a bar on a terminal, NDJSON events, a job status in the API).
 */

export interface Progress {
  /** Which job: hash, scan, bank_import, retro_match, ... */
  job: string;
  /** Units done so far, and the total when known. */
  done: number;
  total?: number;
  /** What a unit is: files, bytes, lines, signal types. */
  unit: string;
  /** Extra counters of the job (failed, messages, mediaHashed, added, ...). */
  counts?: Record<string, number>;
}
