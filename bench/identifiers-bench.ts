/**
 * `npm run bench:identifiers` (issue 8 §5): recall of the identifier finders on a generated corpus of the ways
 * people write a phone number or a handle (also to dodge filters), false positives on decoys (dates, times,
 * prices, postcodes, IBANs, order numbers, ISBNs, coordinates, e-mail addresses, mentions, ordinary words), and
 * the time the finders take on hostile messages (60 KB of "06 12 ", 60 KB of random digit pairs).
 * Goal: >= 90% of writings found, no false positive. Prints a table; numbers go in the issue notes.
 */
import { loadavg } from 'node:os';
import { findIdentifiers, MAX_TEXT_EXAMINED } from '../src/core/identifiers/find-identifiers.js';
import { redactUntrusted } from '../src/core/identifiers/redact-untrusted.js';
import { syntheticNlMobile, syntheticNlMobileDigits } from '../src/core/identifiers/synthetic-phones.js';
import { ALL_NL_MOBILE_WRITINGS, HANDLE_WRITINGS, IDENTIFIER_DECOYS, NL_MOBILE_DODGES } from '../src/core/identifiers/synthetic-writings.js';

const CONTEXTS = [(w: string) => `zie ${w} nu`, (w: string) => w, (w: string) => `bel haar op ${w}!!`, (w: string) => `naam: lisa\n${w}\nstuur door`];
const NUMBERS = [0, 7, 42, 137, 2024, 9001];
const NAMES = ['exsynth_0042', 'example.synth.0137', 'exsynth_2024', 'jane.synth99'];

interface Row { name: string; tried: number; found: number }

function measureNumbers(writings: [string, (d: string) => string][]): Row[] {
  return writings.map(([name, w]) => {
    let tried = 0;
    let found = 0;
    for (const n of NUMBERS) {
      for (const c of CONTEXTS) {
        tried++;
        const fs = findIdentifiers(c(w(syntheticNlMobileDigits(n))));
        if (fs.some((f) => f.kind === 'phone' && f.value === syntheticNlMobile(n))) found++;
      }
    }
    return { name, tried, found };
  });
}

function measureHandles(): Row[] {
  return HANDLE_WRITINGS.map(([name, platform, w]) => {
    let tried = 0;
    let found = 0;
    for (const n of NAMES) {
      // Snapchat names are at most 15 characters: a longer one is not a Snapchat handle.
      if (platform === 'snapchat' && n.length > 15) continue;
      for (const c of CONTEXTS) {
        tried++;
        const fs = findIdentifiers(c(w(n)));
        if (fs.some((f) => f.kind === 'handle' && f.platform === platform && f.value === n)) found++;
      }
    }
    return { name, tried, found };
  });
}

function generatedDecoys(): [string, string[]][] {
  const out: string[] = [];
  for (let i = 0; i < 200; i++) {
    const dd = String(1 + (i * 7) % 28).padStart(2, '0');
    const mm = String(1 + (i * 5) % 12).padStart(2, '0');
    const y = 1990 + (i % 40);
    out.push(`op ${dd}-${mm}-${y} om ${String(i % 24).padStart(2, '0')}:${String((i * 13) % 60).padStart(2, '0')}`);
    out.push(`${y}/${mm}/${dd} ${dd}.${mm}.${y}`);
    out.push(`€ ${(i * 12_345.67).toLocaleString('nl-NL', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
    out.push(`postcode ${1000 + ((i * 37) % 9000)} ${['AB', 'KL', 'XZ'][i % 3]}`);
    out.push(`bestelnummer 06${String(10_000_000 + i * 7919).slice(0, 8)}`);
    out.push(`ISBN 978-90-${String(100 + i).padStart(3, '0')}-${String(1000 + i * 3).slice(0, 4)}-${i % 10}`);
    out.push(`${(50 + (i % 4) + i / 1000).toFixed(4)}, ${(4 + i / 1000).toFixed(4)}`);
    out.push(`mail naam${i}@example.org of @bot${i}_bot`);
  }
  return [['generated (dates, times, prices, postcodes, orders, ISBNs, coordinates, e-mail)', out]];
}

function pct(found: number, tried: number): string {
  return `${((100 * found) / Math.max(1, tried)).toFixed(1)}%`;
}

/** Times the finders on one text: the first call (cold caches) and the best of three more. */
function time(label: string, text: string): void {
  const runs: number[] = [];
  let found = 0;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    found = findIdentifiers(text).length;
    runs.push(performance.now() - t0);
  }
  const t1 = performance.now();
  redactUntrusted(text);
  const redact = performance.now() - t1;
  console.log(`  ${label.padEnd(40)} find: first ${runs[0].toFixed(0).padStart(4)} ms, best ${Math.min(...runs.slice(1)).toFixed(0).padStart(4)} ms (${found} found); redact ${redact.toFixed(0)} ms`);
}

const common = measureNumbers(ALL_NL_MOBILE_WRITINGS.slice(0, ALL_NL_MOBILE_WRITINGS.length - NL_MOBILE_DODGES.length));
const dodges = measureNumbers(NL_MOBILE_DODGES);
const handles = measureHandles();
const sum = (rows: Row[]) => rows.reduce((a, r) => ({ tried: a.tried + r.tried, found: a.found + r.found }), { tried: 0, found: 0 });

console.log(`bench:identifiers — load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('Recall (writing found with the right value):');
for (const [label, rows] of [['phone numbers, common writings', common], ['phone numbers, writings that dodge filters', dodges], ['handles', handles]] as const) {
  const s = sum([...rows]);
  const perfect = rows.filter((r) => r.found === r.tried).length;
  console.log(`  ${label.padEnd(44)} ${rows.length} writings, ${perfect} always found; ${s.found}/${s.tried} texts = ${pct(s.found, s.tried)}`);
  for (const r of rows.filter((x) => x.found < x.tried)) console.log(`      missed sometimes: ${r.name} (${r.found}/${r.tried})`);
}
const all = sum([...common, ...dodges, ...handles]);
console.log(`  ${'all writings'.padEnd(44)} ${all.found}/${all.tried} = ${pct(all.found, all.tried)}\n`);

console.log('False positives (any finding on a decoy):');
let fpTotal = 0;
let decoyTotal = 0;
for (const [label, texts] of [...IDENTIFIER_DECOYS, ...generatedDecoys()]) {
  let fp = 0;
  const examples: string[] = [];
  for (const t of texts) {
    for (const c of CONTEXTS) {
      decoyTotal++;
      const fs = findIdentifiers(c(t));
      if (fs.length) {
        fp++;
        if (examples.length < 3) examples.push(`${JSON.stringify(t)} -> ${fs.map((f) => f.display).join(', ')}`);
      }
    }
  }
  fpTotal += fp;
  console.log(`  ${label.padEnd(44)} ${String(fp).padStart(3)} of ${texts.length * CONTEXTS.length}${examples.length ? `  e.g. ${examples.join('; ')}` : ''}`);
}
console.log(`  ${'all decoys'.padEnd(44)} ${fpTotal} of ${decoyTotal}\n`);

console.log(`Time on hostile messages (text examined per message is capped at ${MAX_TEXT_EXAMINED} characters):`);
time('60 KB of "06 12 "', '06 12 '.repeat(10_000));
let seed = 1;
const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
let digits = '';
while (digits.length < 60_000) digits += `0${Math.floor(rnd() * 10)} ${Math.floor(rnd() * 100)} `;
time('60 KB of random digit pairs', digits);
time('60 KB of full-width digits and spaces', '０６ １２ '.repeat(10_000));
time('60 KB of "insta: " labels', 'insta: '.repeat(8_600));
time('60 KB of "o" with a number at the end', `${'o'.repeat(60_000)} 0612345678`);
time('60 KB of "nul 1 " (spelled digits)', 'nul 1 '.repeat(10_000));
