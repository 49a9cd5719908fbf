/**
 * Ingest benchmark: generates a synthetic Telegram export at the scale of issue 5 (200,000 messages, 3,718
 * photos, 2,463 video placeholders, 137 phone numbers) and streams it through the Telegram source with
 * identifier detection, reporting generation time, parse speed and peak memory.
 * Run: npm run bench:ingest [-- --messages N --keep DIR --no-photos]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findIdentifiers } from '../src/core/identifiers/index.js';
import { identifierTexts } from '../src/ingest/chat-source.js';
import { telegramSource } from '../src/ingest/telegram/telegram-source.js';
import { folderExportFiles } from '../src/io/fs/export-files.js';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';

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
if (!keep) await rm(dir, { recursive: true, force: true });
