/**
 * The evidence package from a WhatsApp export: posts are found again by the chat's id (however the store keeps it),
 * senders are named as the export writes them, notices go to the generic hosting notice, and verify names a
 * changed line.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateWhatsAppExport } from '../fixtures/whatsapp/generate-whatsapp-export.js';
import { runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();
const env = { UNEXPOSE_NOTIFIER_NAME: 'Helpline Test', UNEXPOSE_NOTIFIER_EMAIL: 'notices@helpline.example', UNEXPOSE_SECRET: '4b7e19c2d85f3a60e1c9b72f08d4a53e6f1b2c97a0d83e5f4c61b9a27e0d8f13' };
const cli = (args: string[]) => runCli(args, { env });
let dir: string;

beforeAll(async () => {
  dir = await tempDir('unexpose-evidence-wa-');
  await generateWhatsAppExport({ dir: join(dir, 'export'), seed: 4, platform: 'android', messages: 300, photos: 6, withMedia: true, phoneNumbers: 3, chatName: 'Synthetische groep' });
  expect((await cli(['scan', join(dir, 'export'), '--db', join(dir, 'u.db'), '--quiet'])).code).toBe(0);
}, 120_000);

describe('evidence from a WhatsApp export', () => {
  it('packages the scan, drafts hosting notices, and verify names a changed message', async () => {
    const db = join(dir, 'u.db');
    const out = join(dir, 'package');
    const r = await cli(['evidence', '--scan', '1', '--export', join(dir, 'export'), '--out', out, '--db', db]);
    expect(r.code).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.timeline.length).toBeGreaterThan(0);
    expect(m.notInExport).toEqual([]);
    for (const t of m.timeline) {
      expect(t.chat).toMatch(/^whatsapp_export:wa:[0-9a-f]{16}$/);
      expect(t.sender.name).toBeTruthy();
      expect(t.storedDigest).toBe('match');
    }
    const d = await cli(['notices', 'draft', '--scan', '1', '--db', db, '--format', 'jsonl']);
    expect(d.code).toBe(0);
    const drafted = JSON.parse(d.stdout).drafted as { recipient: string }[];
    expect(drafted.length).toBeGreaterThan(0);
    expect(drafted.every((x) => x.recipient === 'hosting_dsa')).toBe(true);

    const copy = join(dir, 'changed');
    await cp(join(dir, 'export'), copy, { recursive: true });
    const target = m.timeline[0];
    const chatFile = join(copy, target.position.file);
    const bytes = await readFile(chatFile);
    const eol = bytes.indexOf(0x0a, target.position.offset);
    await writeFile(chatFile, Buffer.concat([bytes.subarray(0, eol), Buffer.from(' (edited)'), bytes.subarray(eol)]));
    const v = await cli(['verify', join(out, 'manifest.json'), copy, '--format', 'text']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`message ${target.messageId} of chat ${target.chat}`);
  }, 60_000);
});
