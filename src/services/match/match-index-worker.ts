/**
 * Helper thread for loading the PDQ index on several cores: "read" reads one id range of the SQLite store and
 * parses it into words; "tables" builds some of the multi-index tables over shared words (plain, or sketched with
 * `sketchWords` sketch words). Nothing is written anywhere but memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildTable, substringLayout } from '../../core/index/multi-index-hashing.js';
import { buildSketchedTable } from '../../core/index/sketched-multi-index.js';
import { openDatabase } from '../../io/db/open-database.js';
import { collectHashes, type CollectedHashes } from '../../core/index/collect-hashes.js';
import { BankRepo } from '../../io/db/repos/bank-repo.js';

export type IndexWorkerTask =
  | { mode: 'read'; dbPath: string; fromId: number; toId: number }
  | { mode: 'tables'; words: Uint32Array; n: number; substrings: number; tables: number[]; sketchWords?: number };

/** One built table: its offsets, and its slots (plain) or entries (sketched). */
export interface BuiltTable { t: number; offsets: Uint32Array; slots?: Uint32Array; entries?: Uint32Array }

async function read(task: Extract<IndexWorkerTask, { mode: 'read' }>): Promise<void> {
  const { db, close } = await openDatabase({ dbPath: task.dbPath, migrate: false });
  let collected: CollectedHashes;
  try {
    collected = await collectHashes(new BankRepo(db).streamHashPages('pdq', 50_000, task.fromId, task.toId));
  } finally {
    await close();
  }
  const { ids: outIds, words: outWords } = collected;
  parentPort!.postMessage({ ids: outIds, words: outWords }, [outIds.buffer as ArrayBuffer, outWords.buffer as ArrayBuffer]);
}

function tables(task: Extract<IndexWorkerTask, { mode: 'tables' }>): void {
  const { starts, lens } = substringLayout(task.substrings);
  const keys = new Uint32Array(task.n);
  const width = task.sketchWords;
  const slots = width === undefined ? undefined : new Uint32Array(task.n);
  const scratch = width === undefined ? undefined : new Uint32Array(task.n * width);
  const out = task.tables.map((t): BuiltTable => {
    const offsets = new Uint32Array(new SharedArrayBuffer((2 ** lens[t] + 1) * 4));
    if (width === undefined || !slots) {
      const slots = new Uint32Array(new SharedArrayBuffer(Math.max(1, task.n) * 4));
      buildTable(task.words, task.n, starts[t], lens[t], offsets, slots, keys);
      return { t, offsets, slots };
    }
    const entries = new Uint32Array(new SharedArrayBuffer(Math.max(1, task.n * (width + 1)) * 4));
    buildSketchedTable(task.words, task.n, starts[t], lens[t], width, offsets, entries, slots, keys, scratch);
    return { t, offsets, entries };
  });
  parentPort!.postMessage(out);
}

const task = workerData as IndexWorkerTask;
if (task.mode === 'read') await read(task);
else tables(task);
