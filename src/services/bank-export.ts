/** Exports a bank as lines of one of the import formats (csv and jsonl round-trip every field). */
import { bankFileHeader, serialiseBankEntry, type BankFileFormat } from '../core/banks/bank-file-format.js';
import type { BankDeps } from './bank-manage.js';

/**
 * The lines of the export, header first for CSV.
 * @example for await (const line of exportBank(deps, 'case-1', 'csv')) console.log(line)
 */
export async function* exportBank(deps: BankDeps, name: string, format: BankFileFormat): AsyncGenerator<string> {
  const bank = await deps.banks.requireBank(name);
  const header = bankFileHeader(format);
  if (header) yield header;
  for await (const e of deps.banks.streamEntries(bank.id)) yield serialiseBankEntry(format, e);
}
