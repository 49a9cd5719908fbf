/**
 * npm run demo — the main job on generated example data, with the embedded default (a SQLite file, no server):
 * 1. writes a synthetic Telegram export (two chats, generated images, synthetic phone numbers) to demo/export;
 * 2. puts the hashes of a few of its pictures in a bank, as a victim's own submission would;
 * 3. runs `unexpose scan` on it, writing demo/report.html and demo/summary.json;
 * 4. drafts the case's takedown notices (one exported to demo/outbox as .eml) and writes the evidence package to
 *    demo/evidence (PDF and manifest).
 * Everything is generated; nothing real is involved. Run it again: the scan adds nothing new (no duplicates).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateTelegramExport } from '../test/fixtures/telegram/generate-telegram-export.js';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const demo = join(root, 'demo');
const exportDir = join(demo, 'export');
const db = join(demo, 'unexpose.db');
const cli = join(root, 'dist/cli/main.js');

function unexpose(args: string[], input?: string): string {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`unexpose ${args.join(' ')} exited ${r.status}`);
  return r.stdout;
}

mkdirSync(demo, { recursive: true });
if (!existsSync(join(exportDir, 'result.json'))) {
  console.error('demo: generating a synthetic Telegram export in demo/export ...');
  const manifest = await generateTelegramExport({
    dir: exportDir, seed: 2026, messages: 6000, photos: 180, videos: 90, phoneNumbers: 14, chats: 3, days: 30,
  });
  // A victim's own submission: the hashes of three of the generated pictures, computed here as her browser would.
  const known = [...new Set(manifest.photoFiles.filter((f) => f.alteration === 'none').map((f) => f.image))].slice(0, 3);
  const files = known.map((image) => join(exportDir, manifest.photoFiles.find((f) => f.image === image)!.path));
  const hashes = unexpose(['hash', '--format', 'jsonl', ...files]).trim().split('\n').map((l) => (JSON.parse(l) as { pdq: string }).pdq);
  writeFileSync(join(demo, 'known-hashes.txt'), `${hashes.join('\n')}\n`);
  unexpose(['bank', 'create', 'case-demo', '--db', db, '--source', 'case:2026-0001', '--description', 'demo: a victim\'s own submission']);
  unexpose(['bank', 'import', 'case-demo', join(demo, 'known-hashes.txt'), '--db', db]);
}
process.stdout.write(unexpose(['scan', exportDir, '--db', db, '--out', join(demo, 'report.html'), '--json', join(demo, 'summary.json')]));
// Take-down: DSA Art. 16 notices for the case (drafted, not sent) and the evidence package for a police report.
process.env.UNEXPOSE_NOTIFIER_NAME ??= 'Demo helpline';
process.env.UNEXPOSE_NOTIFIER_EMAIL ??= 'notices@helpline.example';
unexpose(['notices', 'draft', '--case', 'case-demo', '--db', db, '--format', 'jsonl']);
unexpose(['notices', 'export', '1', '--out', join(demo, 'outbox'), '--db', db]);
unexpose(['evidence', '--case', 'case-demo', '--export', exportDir, '--out', join(demo, 'evidence'), '--db', db, '--operator', 'demo', '--format', 'jsonl']);
console.error('demo: open demo/report.html in a browser; demo/summary.json has the figures; demo/outbox/ holds a drafted notice (.eml),');
console.error('demo: demo/evidence/ the evidence package (evidence.pdf, manifest.json); see: unexpose notices list --db demo/unexpose.db');
