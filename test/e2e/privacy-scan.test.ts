/**
 * Promise 2 end to end (issue 8 §1): identifiers planted in every field of generated Telegram and WhatsApp
 * exports, written in every way people write them, must not be left anywhere by `unexpose scan` — not in the
 * SQLite database or its -wal/-shm, the JSON, the HTML report, stdout or stderr — neither as written nor as
 * plain digits after folding every digit form. Also: what the scan writes is readable by its owner only.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseForPhones } from '../../src/core/identifiers/normalise-text.js';
import { syntheticNlMobileDigits } from '../../src/core/identifiers/synthetic-phones.js';
import { ALL_NL_MOBILE_WRITINGS, HANDLE_WRITINGS } from '../../src/core/identifiers/synthetic-writings.js';
import { writePlantedTelegramExport, writePlantedWhatsAppExport, type Plant } from '../fixtures/planted-export.js';
import { runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();

/** Text as a reader could read it: every digit and letter form folded to ASCII, lower case. */
const folded = (text: string) => normaliseForPhones(text).text.toLowerCase();
/** The same with the separators people put between digits removed, to see a number however it was spaced. */
const digitsJoined = (text: string) => folded(text).replace(/[\s\-._/()*~·•\\]+/g, '');

const phonePlant = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: ALL_NL_MOBILE_WRITINGS.length - 1 }))
  .map(([n, w]): Plant => {
    const d = syntheticNlMobileDigits(n);
    return { written: ALL_NL_MOBILE_WRITINGS[w][1](d), secret: d };
  });
const handlePlant = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: HANDLE_WRITINGS.length - 1 }))
  .map(([n, w]): Plant => {
    const name = `exsynth_${String(n).padStart(4, '0')}`;
    return { written: HANDLE_WRITINGS[w][2](name), secret: name };
  });

async function leftBehind(dir: string, outputs: string[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const f of await readdir(dir)) {
    if (/\.(db|db-wal|db-shm|json|html|key)$/.test(f) && !f.endsWith('.key')) files.set(f, (await readFile(join(dir, f))).toString('utf8'));
  }
  outputs.forEach((o, i) => files.set(i === 0 ? 'stdout' : 'stderr', o));
  return files;
}

describe('unexpose scan leaves no planted identifier anywhere', () => {
  it('property: phone numbers and handles in every field, every writing', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(phonePlant, handlePlant), { minLength: 6, maxLength: 14 }),
      async (plants) => {
        const root = await tempDir('unexpose-privacy-');
        const tg = await writePlantedTelegramExport(root, plants);
        const wa = await writePlantedWhatsAppExport(root, plants);
        const out = join(root, 'out');
        await mkdir(out);
        const run = await runCli(['scan', tg, wa, '--db', join(out, 'scan.db'), '--json', join(out, 'report.json'), '--out', join(out, 'report.html'), '--workers', '1'],
          { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
        expect(run.code, run.stderr).toBe(0);
        const files = await leftBehind(out, [run.stdout, run.stderr]);
        expect([...files.keys()]).toEqual(expect.arrayContaining(['scan.db', 'report.json', 'report.html', 'stdout', 'stderr']));
        for (const [name, content] of files) {
          for (const p of plants) {
            expect(content.includes(p.written), `${name} holds the planted "${p.written}"`).toBe(false);
            expect(folded(content).includes(p.secret), `${name} holds "${p.secret}" (planted as "${p.written}")`).toBe(false);
            if (/^\d+$/.test(p.secret)) expect(digitsJoined(content).includes(p.secret), `${name} holds the digits of "${p.written}"`).toBe(false);
          }
        }
        // The scan still counted what it was given: the report is not empty because everything was dropped.
        const report = JSON.parse(files.get('report.json')!) as { summary: { messages: number }; chats: unknown[] };
        expect(report.summary.messages).toBeGreaterThan(8);
        expect(report.chats.length).toBe(3);
      },
    ), { numRuns: Number(process.env.UNEXPOSE_PROPERTY_RUNS ?? 5) });
  }, 300_000);

  it.skipIf(process.platform === 'win32')('writes the database, its key, the JSON and the HTML report readable by the owner only (0600)', async () => {
    const root = await tempDir('unexpose-modes-');
    const plants: Plant[] = [{ written: '06-12340042', secret: '12340042' }];
    const tg = await writePlantedTelegramExport(root, plants);
    const run = await runCli(['scan', tg, '--db', join(root, 'm.db'), '--json', join(root, 'm.json'), '--out', join(root, 'm.html'), '--workers', '1'],
      { env: { UNEXPOSE_SECRET: '', UNEXPOSE_KEY_FILE: '' } });
    expect(run.code, run.stderr).toBe(0);
    for (const f of ['m.db', 'm.json', 'm.html', 'unexpose.key', 'm.db-wal', 'm.db-shm']) {
      if (!existsSync(join(root, f)) && /-(wal|shm)$/.test(f)) continue; // removed when the last connection closed
      expect(((await stat(join(root, f))).mode & 0o777).toString(8), f).toBe('600');
    }
  }, 60_000);
});
