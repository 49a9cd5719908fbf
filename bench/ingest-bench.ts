/**
 * Ingest benchmark: generates a synthetic Telegram export at the scale of issue 5 (200,000 messages, 3,718
 * photos, 2,463 video placeholders, 137 phone numbers) and streams it through the Telegram source with
 * identifier detection, reporting generation time, parse speed and peak memory; then writes the same month as
 * Telegram Desktop's HTML export and compares HTML with JSON (time and memory).
 * Run: npm run bench:ingest [-- --messages N --keep DIR --no-photos]
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findIdentifiers } from '../src/core/identifiers/index.js';
import { identifierTexts } from '../src/ingest/chat-source.js';
import { telegramHtmlSource } from '../src/ingest/telegram-html/telegram-html-source.js';
import { telegramSource } from '../src/ingest/telegram/telegram-source.js';
import { folderExportFiles } from '../src/io/fs/export-files.js';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';
import { writeTelegramHtml } from '../test/fixtures/telegram/write-telegram-html.js';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const scale = Number(arg('messages') ?? 200_000) / 200_000;
const keep = arg('keep');
const dir = keep ?? (await mkdtemp(join(tmpdir(), 'unexpose-ingest-bench-')));
let peak = 0;
const sample = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;

const t0 = performance.now();
const m = await generateTelegramExport({
  dir, seed: 2025, messages: Math.round(200_000 * scale), photos: Math.round(3718 * scale), videos: Math.round(2463 * scale),
  phoneNumbers: Math.round(137 * scale), writePhotos: !process.argv.includes('--no-photos'),
});
const genMs = performance.now() - t0;
const size = (await stat(m.resultJson)).size;
console.log(`generated ${m.counts.messages} messages (+${m.counts.serviceMessages} service), ${m.counts.photos} photos (${m.counts.distinctImages} distinct), ${m.counts.videos} video placeholders, ${m.counts.phoneNumbers} phone numbers in ${(genMs / 1000).toFixed(1)} s; result.json ${mb(size)}; peak RSS so far ${mb(peak)}`);

global.gc?.();
peak = process.memoryUsage().rss;
const rssBefore = peak;
const files = folderExportFiles(dir);
const exp = telegramSource.open(files, await telegramSource.detect(files));
let n = 0;
const phones = new Set<string>();
const t1 = performance.now();
for await (const b of exp.stream()) n += b.messages.length;
const parseMs = performance.now() - t1;
const parsePeak = peak;
const t2 = performance.now();
for await (const b of exp.stream()) {
  for (const msg of b.messages) for (const t of identifierTexts(msg)) for (const f of findIdentifiers(t)) if (f.kind === 'phone') phones.add(f.value);
}
const idMs = performance.now() - t2;
clearInterval(sample);
console.log(`parse: ${n} messages in ${(parseMs / 1000).toFixed(2)} s = ${Math.round(n / (parseMs / 1000))} messages/s, ${mb(size / (parseMs / 1000))}/s; RSS before ${mb(rssBefore)}, peak while parsing ${mb(parsePeak)}`);
console.log(`parse + identifiers: ${(idMs / 1000).toFixed(2)} s = ${Math.round(n / (idMs / 1000))} messages/s; ${phones.size} distinct phone numbers found (expected ${m.counts.phoneNumbers}); peak RSS ${mb(peak)}`);

// The same month written as Telegram Desktop's HTML export (the app's default format): time and memory vs JSON.
const htmlDir = join(dir, 'html');
await mkdir(htmlDir, { recursive: true });
const pages = await writeTelegramHtml(htmlDir, m.resultJson);
let htmlBytes = 0;
for (const p of pages) htmlBytes += (await stat(join(htmlDir, p))).size;
global.gc?.();
const measure = async (label: string, source: typeof telegramSource, root: string) => {
  const f = folderExportFiles(root);
  const e = source.open(f, await source.detect(f));
  peak = process.memoryUsage().rss;
  const before = peak;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let count = 0;
  for await (const b of e.stream()) count += b.messages.length;
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu0);
  clearInterval(sampler);
  // CPU time as well as wall time: on a shared, loaded machine the wall clock mostly measures the other processes.
  return { label, count, ms, cpuMs: (used.user + used.system) / 1000, before, peak };
};
const runs: Awaited<ReturnType<typeof measure>>[] = [];
for (let i = 0; i < 3; i++) {
  runs.push(await measure('json', telegramSource, dir));
  runs.push(await measure('html', telegramHtmlSource, htmlDir));
}
const best = (l: string, k: 'ms' | 'cpuMs') => Math.min(...runs.filter((r) => r.label === l).map((r) => r[k]));
const show = (l: string, what: string) => {
  const r = runs.filter((x) => x.label === l).sort((a, b) => a.cpuMs - b.cpuMs)[0];
  console.log(`${l.toUpperCase()}: ${r.count} messages, best wall ${(best(l, 'ms') / 1000).toFixed(2)} s, best CPU ${(best(l, 'cpuMs') / 1000).toFixed(2)} s; RSS ${mb(r.before)} -> peak ${mb(r.peak)} while reading (${what})`);
};
show('json', `result.json ${mb(size)}`);
show('html', `${pages.length} pages, ${mb(htmlBytes)}`);
console.log(`HTML / JSON: ${(best('html', 'cpuMs') / best('json', 'cpuMs')).toFixed(2)}x CPU time, ${(best('html', 'ms') / best('json', 'ms')).toFixed(2)}x wall time (goal <= 1.2x); best of 3 alternating runs each; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (!keep) await rm(dir, { recursive: true, force: true });
