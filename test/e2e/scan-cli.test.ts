/**
 * `unexpose scan` end to end on a generated Telegram export: the figures equal what the generator put in, a re-scan
 * adds nothing, the report and the database hold no image byte and no identifier in clear, bank matches show up,
 * and bad input is named while the rest is scanned.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile, appendFile, truncate, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { runCli, jsonLines } from '../support/run-cli.js';

let dir: string;
let manifest: TelegramExportManifest;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unexpose-scan-'));
  manifest = await generateTelegramExport({ dir: join(dir, 'export'), seed: 7, messages: 3000, photos: 90, videos: 40, phoneNumbers: 9, chats: 3, days: 20 });
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Summary { [k: string]: number }
async function scan(args: string[], db = join(dir, 'u.db')) {
  const json = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  const run = await runCli(['scan', ...args, '--db', db, '--json', json, '--quiet']);
  const report = run.code === 0 ? JSON.parse(await readFile(json, 'utf8')) : null;
  return { run, report };
}

/** Images of the export that were posted more than once. */
function expectedClusters(m: TelegramExportManifest): number {
  const posts = new Map<number, number>();
  for (const f of m.photoFiles) posts.set(f.image, (posts.get(f.image) ?? 0) + 1);
  return [...posts.values()].filter((n) => n > 1).length;
}

describe('unexpose scan', () => {
  it('counts what the export holds, prints a summary paragraph, and re-scans without duplicates', async () => {
    const first = await scan([join(dir, 'export'), '--out', join(dir, 'report.html')]);
    expect(first.run.code).toBe(0);
    const c = manifest.counts;
    expect(first.report.summary).toEqual({
      messages: c.messages, serviceMessages: c.serviceMessages, photos: c.photos, videos: c.videos, otherMedia: c.otherMedia,
      mediaNotDownloaded: c.mediaNotDownloaded, participants: c.participants, forwards: c.forwards, phoneNumbers: c.phoneNumbers,
      handles: c.handles, mediaClusters: expectedClusters(manifest), bankMatches: 0,
    });
    expect(first.run.stdout).toMatch(new RegExp(`Scanned 3 chat\\(s\\).*${c.messages.toLocaleString('en-GB')} messages`));
    expect(first.report.run.newMessages).toBe(c.messages + c.serviceMessages);
    expect(first.report.chats).toHaveLength(3);
    // links only for supergroups and channels
    for (const ch of first.report.chats) expect(['private_supergroup', 'public_channel', 'private_group']).toContain(ch.type);
    const links = first.report.clusters.flatMap((cl: { messages: { link: string | null; chat: string }[] }) => cl.messages);
    expect(links.some((m: { link: string | null }) => m.link?.startsWith('https://t.me/c/'))).toBe(true);
    const basic = first.report.chats.find((ch: { type: string }) => ch.type === 'private_group').key;
    expect(links.filter((m: { chat: string }) => m.chat === basic).every((m: { link: string | null }) => m.link === null)).toBe(true);

    const again = await scan([join(dir, 'export')]);
    expect(again.report.summary).toEqual(first.report.summary);
    expect(again.report.run.newMessages).toBe(0);
    expect(again.report.run.mediaHashedThisRun).toBe(0);
  });

  it('leaves no image byte and no phone number or handle in clear in the database, report or JSON', async () => {
    const files = (await readdir(dir)).filter((f) => /\.(db|db-wal|html|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(3);
    const blobs = await Promise.all(files.map((f) => readFile(join(dir, f))));
    const photo = await readFile(join(dir, 'export', manifest.photoFiles[0].path));
    // Each number in E.164 and national form, and each handle's name.
    const needles = [...manifest.phones, ...manifest.phones.map((p) => p.replace('+31', '0')), ...manifest.handles.map((h) => h.split(':')[1])];
    for (const blob of blobs) {
      const text = blob.toString('latin1');
      for (const n of needles) expect(text.includes(n), `${n} found in clear`).toBe(false);
      expect(blob.includes(photo.subarray(0, 256))).toBe(false);
    }
  });

  it('reports bank matches for media whose hash is in a bank', async () => {
    const db = join(dir, 'banked.db');
    const known = manifest.photoFiles.find((f) => f.alteration === 'none')!;
    const hashed = jsonLines<{ pdq: string }>((await runCli(['hash', join(dir, 'export', known.path)])).stdout)[0];
    await writeFile(join(dir, 'known.txt'), `${hashed.pdq}\n`);
    expect((await runCli(['bank', 'create', 'case-1', '--db', db, '--source', 'case:2026-0001'])).code).toBe(0);
    expect((await runCli(['bank', 'import', 'case-1', join(dir, 'known.txt'), '--db', db])).code).toBe(0);
    const { report } = await scan([join(dir, 'export')], db);
    const posts = manifest.photoFiles.filter((f) => f.image === known.image).length;
    expect(report.summary.bankMatches).toBeGreaterThanOrEqual(1);
    expect(report.summary.bankMatches).toBeLessThanOrEqual(posts);
    expect(report.matches[0]).toMatchObject({ bank: 'case-1', signalType: 'pdq', sourceRef: null });
    expect(report.matches[0].distance).toBeLessThanOrEqual(31);
  });

  it('alerts on a registered number and handle in earlier scans and in later ones, never printing them in clear', async () => {
    const db = join(dir, 'alerts.db');
    await scan([join(dir, 'export')], db);
    expect((await runCli(['bank', 'create', 'victim', '--db', db])).code).toBe(0);
    const phone = manifest.phones[0];
    const added = await runCli(['bank', 'add-identifier', 'victim', phone.replace('+31', '0'), '--db', db, '--format', 'jsonl']);
    expect(added.code).toBe(0);
    const r = jsonLines<{ signalType: string; display: string; added: boolean; newMatches: { kind: string; foundBy: string; identifier: string }[] }>(added.stdout)[0];
    expect(r).toMatchObject({ signalType: 'phone', added: true });
    expect(r.newMatches.length).toBeGreaterThan(0);
    expect(r.newMatches.every((m) => m.kind === 'identifier' && m.foundBy === 'retro' && m.identifier === r.display)).toBe(true);
    const [platform, name] = manifest.handles[0].split(':');
    const handle = await runCli(['bank', 'add-identifier', 'victim', '--handle', `${platform}:${name}`, '--db', db, '--format', 'text']);
    expect(handle.code).toBe(0);
    expect(handle.stdout).toMatch(/added handle/);
    for (const out of [added.stdout, added.stderr, handle.stdout, handle.stderr]) {
      expect(out).not.toContain(phone.slice(3));
      expect(out).not.toContain(name);
    }
    expect((await runCli(['bank', 'add-identifier', 'victim', 'not a number', '--db', db])).code).toBe(1);
    const { report } = await scan([join(dir, 'export')], db);
    const kinds = new Set(report.matches.filter((m: { kind: string }) => m.kind === 'identifier').map((m: { signalType: string }) => m.signalType));
    expect(kinds).toEqual(new Set(['phone', 'handle']));
  });

  it('keeps matching after `match` saw the banked picture fifty times: a one-off run never quarantines (issue 8 §8)', async () => {
    const db = join(dir, 'flood.db');
    const known = manifest.photoFiles.find((f) => f.alteration === 'none')!;
    const photo = join(dir, 'export', known.path);
    const hashed = jsonLines<{ pdq: string }>((await runCli(['hash', photo])).stdout)[0];
    await writeFile(join(dir, 'one.txt'), `${hashed.pdq}\n`);
    await runCli(['bank', 'create', 'one-entry', '--db', db]);
    await runCli(['bank', 'import', 'one-entry', join(dir, 'one.txt'), '--db', db]);
    const folder = join(dir, 'fifty');
    await mkdir(folder);
    const bytes = await readFile(photo);
    for (let i = 0; i < 50; i++) await writeFile(join(folder, `copy-${i}.jpg`), bytes);
    const matched = await runCli(['match', folder, '--db', db, '--format', 'jsonl']);
    const answers = jsonLines<{ matches: unknown[]; quarantined?: unknown }>(matched.stdout);
    expect(answers).toHaveLength(50);
    expect(answers.every((a) => a.matches.length >= 1 && a.quarantined === undefined)).toBe(true);
    expect(jsonLines((await runCli(['bank', 'show', 'one-entry', '--db', db, '--format', 'jsonl'])).stdout)[0]).toMatchObject({ quarantined: 0 });
    const { report } = await scan([join(dir, 'export')], db);
    expect(report.summary.bankMatches).toBeGreaterThanOrEqual(1);
    expect(report.matches[0]).toMatchObject({ bank: 'one-entry', signalType: 'pdq', foundBy: 'scan' });
  });

  it('names bad input and scans the rest: a corrupt photo, a path escaping the export, a truncated file', async () => {
    const bad = join(dir, 'bad');
    const m = await generateTelegramExport({ dir: bad, seed: 11, messages: 400, photos: 12, videos: 3, phoneNumbers: 2, chats: 1 });
    await writeFile(join(bad, m.photoFiles[0].path), 'not a jpeg at all');
    const json = await readFile(m.resultJson, 'utf8');
    await writeFile(m.resultJson, json.replace(`"${m.photoFiles[1].path}"`, '"../../../etc/passwd"'));
    const size = (await stat(m.resultJson)).size;
    await truncate(m.resultJson, Math.floor(size * 0.6));
    const { run, report } = await scan([bad], join(dir, 'bad.db'));
    expect(run.code).toBe(0);
    const messages = report.notices.map((n: { message: string }) => n.message).join('\n');
    expect(messages).toMatch(/result\.json ends inside a message .*kept \d+ complete messages/);
    expect(report.summary.messages).toBeGreaterThan(100);
    expect(report.summary.messages).toBeLessThan(400);
    expect(report.run.mediaHashed).toBeGreaterThan(0);
    expect(messages).toMatch(/unsafe path "\.\.\/\.\.\/\.\.\/etc\/passwd".*not read/);
    expect(messages).toContain(`${m.photoFiles[0].path}: not a photo or video`);
  });

  it('refuses what is not an export with a clear message and exit 1', async () => {
    const notExport = join(dir, 'not-export');
    await rm(notExport, { recursive: true, force: true });
    await appendFile(join(dir, 'notes.json'), '{"hello": "world"}');
    const run = await runCli(['scan', join(dir, 'notes.json'), '--db', join(dir, 'x.db')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/notes\.json/);
    const missing = await runCli(['scan', join(dir, 'missing'), '--db', join(dir, 'x.db')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/missing.*does not exist|nothing to scan/);
  });

  it('an unknown bank is a clear error', async () => {
    const run = await runCli(['scan', join(dir, 'export'), '--bank', 'no-such-bank', '--db', join(dir, 'u.db')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no-such-bank/);
  });
});
