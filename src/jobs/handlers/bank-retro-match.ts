/**
 * BankRetroMatch: looks the entries a bank gained (an id range, sent right after an import or an added identifier
 * committed) up in every earlier scan and stores the retro-matches, a page of entries at a time, as the synchronous
 * import does. Idempotent: bank_match is unique on (chat, message, entry) and the insert skips what is stored, so a
 * second run (a retried or duplicated job) stores nothing. Entries removed since are simply not found.
 */
import { UnexposeError } from '../../core/errors.js';
import { RETRO_MATCH_CHUNK } from '../../services/bank-import.js';
import { retroMatch, type RetroIndexCache } from '../../services/bank-retro-match.js';
import type { JobContext } from '../job-queue.js';
import type { JobRuntime } from '../job-runtime.js';
import { parsePayload } from '../job-payloads.js';

export async function bankRetroMatch(rt: JobRuntime, payload: unknown, jc: JobContext): Promise<unknown> {
  const { bankId, afterId, lastId } = parsePayload('BankRetroMatch', payload);
  const { banks, stored, matches } = rt.store;
  if (!(await banks.listBanks()).some((b) => b.id === bankId)) throw new UnexposeError('not_found', `no bank with id ${bankId}`);
  if (!(await stored.holdsAnything())) return { entries: 0, matches: 0 };
  const cache: RetroIndexCache = new Map();
  let entries = 0;
  let found = 0;
  for await (const page of banks.streamAddedEntries(bankId, afterId, lastId, RETRO_MATCH_CHUNK)) {
    if (jc.signal.aborted) throw new UnexposeError('interrupted', 'the worker stopped; the job runs again');
    found += (await retroMatch({ banks, stored, matches, now: rt.now }, page, undefined, cache)).length;
    entries += page.length;
    await jc.progress({ entries, matches: found });
  }
  return { entries, matches: found };
}
