/**
 * bench:robust helper: writes every robust value (bank and lookup side) of the sources and their edits to a JSON
 * file, so that a speed-up can be checked to leave every value bit-identical (compare two files with diff/cmp).
 * Run: node --import tsx bench/robust/snapshot-values.mts OUT.json [SCENES]
 */
import { writeFileSync } from 'node:fs';
import { hashAll, loadSources } from './robust-data.js';

const out = process.argv[2] ?? 'robust-values.json';
const { originals, edits } = await hashAll(await loadSources(Number(process.argv[3] ?? 4)));
writeFileSync(out, JSON.stringify([...originals, ...edits].map((p) => [p.source, p.edit, p.pdq, p.bank, p.query])));
console.log(`${originals.length + edits.length} pictures written to ${out}`);
