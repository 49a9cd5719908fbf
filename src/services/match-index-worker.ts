/**
 * Helper thread for loading the PDQ index on several cores: "read" reads one id range of the SQLite store and
 * parses it into words; "tables" builds some of the multi-index tables over shared words. Nothing is written
 * anywhere but memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { hexToWordsInto } from '../core/index/hash-words.js';
import { HASH_WORDS } from '../core/index/hamming-index.js';
import { buildTable, substringLayout } from '../core/index/multi-index-hashing.js';
import { openDatabase } from '../io/db/open-database.js';
import { BankRepo } from '../io/db/repos/bank-repo.js';

export type IndexWorkerTask =
  | { mode: 'read'; dbPath: string; fromId: number; toId: number }
  | { mode: 'tables'; words: Uint32Array; n: number; substrings: number; tables: number[] };

async function read(task: Extract<IndexWorkerTask, { mode: 'read' }>): Promise<void> {
  const { db, close } = await openDatabase({ dbPath: task.dbPath, migrate: false });
  let ids = new Uint32Array(1 << 16);
  let words = new Uint32Array(ids.length * HASH_WORDS);
  let n = 0;
  try {
    for await (const page of new BankRepo(db).streamSignals('pdq', 50_000, task.fromId, task.toId)) {
      if (n + page.ids.length > ids.length) {
        const cap = Math.max(ids.length * 2, n + page.ids.length);
        const nextIds = new Uint32Array(cap);
        nextIds.set(ids.subarray(0, n));
        const nextWords = new Uint32Array(cap * HASH_WORDS);
        nextWords.set(words.subarray(0, n * HASH_WORDS));
        ids = nextIds;
        words = nextWords;
      }
      for (let i = 0; i < page.ids.length; i++, n++) {
        ids[n] = page.ids[i];
        hexToWordsInto(page.signals[i], words, n * HASH_WORDS);
      }
    }
  } finally {
    await close();
  }
  const outIds = ids.slice(0, n);
  const outWords = words.slice(0, n * HASH_WORDS);
  parentPort!.postMessage({ ids: outIds, words: outWords }, [outIds.buffer, outWords.buffer]);
}

function tables(task: Extract<IndexWorkerTask, { mode: 'tables' }>): void {
  const { starts, lens } = substringLayout(task.substrings);
  const keys = new Uint32Array(task.n);
  const out = task.tables.map((t) => {
    const offsets = new Uint32Array(new SharedArrayBuffer((2 ** lens[t] + 1) * 4));
    const slots = new Uint32Array(new SharedArrayBuffer(Math.max(1, task.n) * 4));
    buildTable(task.words, task.n, starts[t], lens[t], offsets, slots, keys);
    return { t, offsets, slots };
  });
  parentPort!.postMessage(out);
}

const task = workerData as IndexWorkerTask;
if (task.mode === 'read') await read(task);
else tables(task);
