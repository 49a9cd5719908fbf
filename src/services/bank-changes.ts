/**
 * How bank writes reach whatever holds bank data in memory (the match index): the bank services call these
 * listeners right after each committed write, so a removed or withdrawn hash stops matching at once.
 */

export interface ChangedEntry {
  id: number;
  signalType: string;
  signal: string;
}

export interface BankChangeListener {
  entriesAdded(entries: readonly ChangedEntry[]): void;
  entriesRemoved(entries: readonly ChangedEntry[]): void;
}
