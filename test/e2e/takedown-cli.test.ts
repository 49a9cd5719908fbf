/**
 * Take-down end to end on a generated Telegram export, as a caseworker runs it: bank a victim's picture, scan,
 * draft notices for the case and for a spread handle, send them to a local SMTP server, and check every Art. 16
 * field of each received mail; never twice; .eml export; the evidence package's PDF text holds the timeline and
 * the hashes; `verify` passes on the export and names the message when one is changed; a removed picture that is
 * posted again is flagged and gets a follow-up notice.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Sqlite from 'better-sqlite3';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTelegramExport, type TelegramExportManifest } from '../fixtures/telegram/generate-telegram-export.js';
import { jsonLines, runCli } from '../support/run-cli.js';
import { useTempDirs } from '../support/temp-dirs.js';

const tempDir = useTempDirs();
let dir: string;
let db: string;
let manifest: TelegramExportManifest;
let chatId: number;
/** Message id -> its record in result.json. */
let records: Map<number, { id: number; date_unixtime: string; photo?: string; text?: unknown }>;
let banked: { image: number; path: string; sha256: string };
/** The doxxing notices drafted about the victim's own number (her identifier alert). */
let herNumberNotices: number[] = [];
const received: ParsedMail[] = [];
let server: SMTPServer;
let smtpUrl: string;

const env = { UNEXPOSE_NOTIFIER_NAME: 'Helpline Test', UNEXPOSE_NOTIFIER_EMAIL: 'notices@helpline.example', UNEXPOSE_SECRET: '9f3c2a7e51b84d06c1e8f27a3b5d9e40a6c71f28d3b05e94c2a8f61d7e3b9c05' };
const cli = (args: string[]) => runCli(args, { env });
const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  dir = await tempDir('unexpose-takedown-');
  db = join(dir, 'u.db');
  manifest = await generateTelegramExport({ dir: join(dir, 'export'), seed: 16, messages: 500, photos: 30, videos: 4, phoneNumbers: 4, handles: 3, chats: 1, days: 6 });
  chatId = manifest.chats[0].id;
  const json = JSON.parse(await readFile(manifest.resultJson, 'utf8')) as { messages: { id: number; date_unixtime: string; photo?: string; text?: unknown }[] };
  records = new Map(json.messages.map((m) => [m.id, m]));
  // The victim's picture: one that was posted more than once.
  const counts = new Map<number, number>();
  for (const f of manifest.photoFiles) counts.set(f.image, (counts.get(f.image) ?? 0) + 1);
  const f = manifest.photoFiles.find((p) => p.alteration === 'none' && (counts.get(p.image) ?? 0) > 1)!;
  banked = { image: f.image, path: f.path, sha256: createHash('sha256').update(await readFile(join(dir, 'export', f.path))).digest('hex') };
  const pdq = jsonLines<{ pdq: string }>((await cli(['hash', '--format', 'jsonl', join(dir, 'export', f.path)])).stdout)[0].pdq;
  await writeFile(join(dir, 'known.txt'), `${pdq}\n`);
  expect((await cli(['bank', 'create', 'case-1', '--db', db, '--source', 'case:2026-0001'])).code).toBe(0);
  expect((await cli(['bank', 'import', 'case-1', join(dir, 'known.txt'), '--db', db])).code).toBe(0);
  expect((await cli(['scan', join(dir, 'export'), '--db', db, '--quiet'])).code).toBe(0);

  server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { received.push(mail); callback(); }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
}, 180_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

interface Summary { id: number; reference: string; state: string; recipient: string; kind: string; itemKey: string; messageId: string | null; address: string | null }
const list = async (...args: string[]) => jsonLines<Summary>((await cli(['notices', 'list', '--db', db, '--format', 'jsonl', ...args])).stdout);

/** Every Art. 16(2) element of a received notice about the banked picture. */
function checkImageNotice(mail: ParsedMail, n: Summary): void {
  const text = mail.text ?? '';
  expect(mail.subject).toContain(n.reference);
  expect(mail.messageId).toBe(n.messageId);
  expect(mail.headers.get('x-unexpose-reference')).toBe(n.reference);
  expect(mail.attachments).toHaveLength(0);
  // (a) why it is illegal
  expect(text).toContain('Art. 139h Wetboek van Strafrecht (Sr)');
  expect(text).toMatch(/without her consent/);
  // (b) exact location: every cited post shows the victim's picture, and every exact copy is cited
  const cited = [...text.matchAll(new RegExp(`https://t\\.me/c/${chatId}/(\\d+)`, 'g'))].map((m) => Number(m[1]));
  expect(cited.length).toBeGreaterThan(1);
  const imageOf = new Map(manifest.photoFiles.map((p) => [p.path, p.image]));
  for (const id of cited) {
    const r = records.get(id)!;
    expect(imageOf.get(r.photo!)).toBe(banked.image);
    expect(text).toContain(`message id ${id}, posted ${new Date(Number(r.date_unixtime) * 1000).toISOString().replace('.000Z', 'Z')}`);
  }
  const exact = manifest.photoFiles.filter((p) => p.image === banked.image && p.alteration === 'none').map((p) => [...records.values()].find((r) => r.photo === p.path)!.id);
  for (const id of exact) expect(cited).toContain(id);
  expect(text).toContain(`chat id ${chatId} (Bot API id -100${chatId})`);
  expect(text).toContain(`SHA-256 ${banked.sha256}`);
  expect(text).toMatch(/PDQ [0-9a-f]{64}; MD5 [0-9a-f]{32}/);
  // (c) notifier, (d) good faith
  expect(text).toContain('Name: Helpline Test');
  expect(text).toContain('E-mail: notices@helpline.example');
  expect(text).toContain('I confirm my bona fide belief that the information and allegations contained in this notice are accurate and complete.');
}

describe('unexpose notices', () => {
  it('drafts the case, sends by SMTP once, and each mail carries every Art. 16 field', async () => {
    const draft = await cli(['notices', 'draft', '--case', 'case-1', '--db', db, '--format', 'jsonl']);
    expect(draft.code).toBe(0);
    const drafted = JSON.parse(draft.stdout).drafted as { recipient: string }[];
    expect(drafted.map((d) => d.recipient).sort()).toEqual(['telegram_abuse', 'telegram_dsa']);
    const handle = manifest.handles.find((h) => h.startsWith('instagram:'))!.split(':')[1];
    const h = await cli(['notices', 'draft', '--identifier', `instagram.com/${handle}`, '--db', db, '--format', 'jsonl']);
    expect(h.code).toBe(0);
    expect((JSON.parse(h.stdout).drafted as { recipient: string }[]).map((d) => d.recipient).sort()).toEqual(['instagram', 'telegram_abuse', 'telegram_dsa']);

    const send = await cli(['notices', 'send', '--smtp', smtpUrl, '--interval', '0', '--db', db, '--format', 'jsonl']);
    expect(send.code).toBe(0);
    const outcomes = jsonLines<{ status: string; reference: string; why?: string }>(send.stdout);
    // Two e-mails (abuse@ for the picture and for the handle); the web forms are skipped with directions.
    expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'skipped').every((o) => /telegram\.org\/dsa-report|instagram/.test(o.why!))).toBe(true);
    expect(received).toHaveLength(2);

    const sent = await list('--state', 'sent');
    const image = sent.find((n) => n.kind === 'intimate_image')!;
    checkImageNotice(received.find((m) => m.subject?.includes(image.reference))!, image);
    const handleMail = received.find((m) => !m.subject?.includes(image.reference))!;
    expect(handleMail.text).toContain('Art. 285d');
    expect(handleMail.text).not.toContain(handle);
    expect(handleMail.to && 'text' in handleMail.to ? handleMail.to.text : '').toBe('abuse@telegram.org');

    // Never twice.
    const again = await cli(['notices', 'send', '--smtp', smtpUrl, '--interval', '0', '--db', db, '--format', 'jsonl']);
    expect(jsonLines<{ status: string }>(again.stdout).some((o) => o.status === 'sent')).toBe(false);
    expect(received).toHaveLength(2);
  }, 60_000);

  it('exports a web-form notice as .eml, with the handle in clear only when asked', async () => {
    const ig = (await list('--recipient', 'instagram'))[0];
    const out = join(dir, 'eml');
    const handle = manifest.handles.find((h) => h.startsWith('instagram:'))!.split(':')[1];
    expect((await cli(['notices', 'export', String(ig.id), '--out', out, '--db', db])).code).toBe(0);
    const [file] = await readdir(out);
    const mail = await simpleParser(await readFile(join(out, file)));
    expect(mail.subject).toContain(ig.reference);
    expect(mail.text).not.toContain(handle);
    expect(mail.text).toContain('Art. 285d');
    const wrong = await cli(['notices', 'export', String(ig.id), '--out', out, '--db', db, '--include-identifier', 'ig @someone.else.synth']);
    expect(wrong.code).toBe(2);
    expect((await cli(['notices', 'export', String(ig.id), '--out', join(dir, 'eml2'), '--db', db, '--include-identifier', `ig @${handle}`])).code).toBe(0);
    const clear = await simpleParser(await readFile(join(dir, 'eml2', (await readdir(join(dir, 'eml2')))[0])));
    expect(clear.text).toContain(`@${handle}`);
    // Sent by hand through the form: marked so.
    expect((await cli(['notices', 'mark', String(ig.id), 'sent', '--db', db])).code).toBe(0);
  });

  it('sends a CSAM notice without the notifier\'s name, to stopCA@ too', async () => {
    const d = await cli(['notices', 'draft', '--media', banked.sha256, '--csam', '--recipient', 'telegram_stopca', '--db', db, '--format', 'jsonl']);
    expect(d.code).toBe(0);
    const [n] = (JSON.parse(d.stdout).drafted as { id: number }[]);
    const before = received.length;
    expect((await cli(['notices', 'send', String(n.id), '--smtp', smtpUrl, '--interval', '0', '--db', db])).code).toBe(0);
    const mail = received[before];
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('stopCA@telegram.org');
    expect(mail.text).toContain('Art. 252');
    expect(mail.text).not.toContain('Helpline Test');
    expect(mail.text).toContain(`SHA-256 ${banked.sha256}`);
  });
});

describe('a send cut off by a crash', () => {
  it('is reported and not sent again, until --resend sends it under the same Message-ID', async () => {
    const d = await cli(['notices', 'draft', '--identifier', manifest.phones[1], '--recipient', 'telegram_abuse', '--db', db, '--format', 'jsonl']);
    const [n] = JSON.parse(d.stdout).drafted as { id: number }[];
    // What a crash between handing the mail to SMTP and marking it sent leaves behind.
    const sqlite = new Sqlite(db);
    sqlite.prepare("update notice set state = 'sending', message_id = '<crash.1@helpline.example>' where id = ?").run(n.id);
    sqlite.close();
    const before = received.length;
    const again = await cli(['notices', 'send', '--smtp', smtpUrl, '--interval', '0', '--db', db, '--format', 'text']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/MAY HAVE BEEN SENT: a send of UNX-\d+ was interrupted/);
    expect(received.length).toBe(before);
    const resend = await cli(['notices', 'send', String(n.id), '--resend', '--smtp', smtpUrl, '--interval', '0', '--db', db]);
    expect(resend.code).toBe(0);
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.messageId).toBe('<crash.1@helpline.example>');
  });
});

describe('a case with an identifier alert', () => {
  it('drafts doxxing notices for the victim\'s own number registered in her case', async () => {
    const phone = manifest.phones[0];
    expect((await cli(['bank', 'add-identifier', 'case-1', phone, '--db', db])).code).toBe(0);
    const d = await cli(['notices', 'draft', '--case', 'case-1', '--db', db, '--format', 'jsonl']);
    expect(d.code).toBe(0);
    const r = JSON.parse(d.stdout) as { drafted: { id: number; kind: string; recipient: string }[]; existing: { recipient: string }[] };
    expect(r.drafted.filter((x) => x.kind === 'phone').map((x) => x.recipient).sort()).toEqual(['telegram_abuse', 'telegram_dsa']);
    herNumberNotices = r.drafted.filter((x) => x.kind === 'phone').map((x) => x.id);
    expect(r.existing.length).toBeGreaterThanOrEqual(2); // the picture's notices from before
    const show = JSON.parse((await cli(['notices', 'show', String(r.drafted.find((x) => x.kind === 'phone')!.id), '--db', db, '--format', 'jsonl'])).stdout);
    expect(show.body).toContain('Art. 285d');
    expect(show.body).not.toContain(phone);
    expect(show.body).not.toContain(phone.replace('+31', '0'));
    expect(show.body).toMatch(/\+31 6 [•]+/);
  });
});

describe('unexpose evidence and verify', () => {
  it('writes a PDF whose text holds the timeline and hashes, and verify passes on the export', async () => {
    const out = join(dir, 'package');
    const r = await cli(['evidence', '--case', 'case-1', '--export', join(dir, 'export'), '--out', out, '--db', db, '--operator', 'caseworker 7']);
    expect(r.code).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(m.timeline.length).toBeGreaterThan(1);
    // The picture's posts and the posts that spread her number (her identifier alert).
    expect(m.timeline.filter((t: { media: { pdq: string | null } | null }) => t.media?.pdq).length).toBeGreaterThan(1);
    expect(m.timeline.some((t: { reasons: string[] }) => t.reasons.some((x) => /identifier alert case-1: phone/.test(x)))).toBe(true);
    expect(m.custody.at(-1).who).toBe('caseworker 7');
    expect(m.export.files.find((f: { path: string }) => f.path === 'result.json').sha256)
      .toBe(createHash('sha256').update(await readFile(manifest.resultJson)).digest('hex'));
    for (const t of m.timeline) {
      expect(t.sender.name).toMatch(/^Deelnemer \d+$/);
      expect(t.storedDigest).toBe('match');
    }
    if (!hasPdftotext) {
      console.warn('takedown-cli: skipping the PDF text check: pdftotext (poppler-utils) is not installed');
    } else {
      const pdf = execFileSync('pdftotext', ['-layout', join(out, 'evidence.pdf'), '-'], { encoding: 'utf8' });
      for (const t of m.timeline) {
        expect(pdf).toContain(`${t.utc} telegram_export:${chatId} message ${t.messageId}`.replace(/ +/g, ' ').slice(0, 20));
        expect(pdf).toContain(`https://t.me/c/${chatId}/${t.messageId}`);
        for (const h of [t.media?.sha256, t.media?.md5, t.media?.pdq]) if (h) expect(pdf).toContain(h);
        expect(pdf).toContain(t.messageSha256);
      }
      expect(pdf).toContain('Art. 139h');
      expect(pdf).toContain('caseworker 7');
    }
    const v = await cli(['verify', join(out, 'manifest.json'), join(dir, 'export'), '--format', 'text']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/verified: \d+ file\(s\) and \d+ message\(s\) match/);
  }, 60_000);

  it('verify fails and names the message when one message of the export is changed', async () => {
    const copy = join(dir, 'changed');
    await cp(join(dir, 'export'), copy, { recursive: true });
    const m = JSON.parse(await readFile(join(dir, 'package', 'manifest.json'), 'utf8'));
    const target = m.timeline[0].messageId as number;
    const raw = await readFile(join(copy, 'result.json'), 'utf8');
    const at = raw.indexOf(`"id": ${target},`);
    const end = raw.indexOf('"date_unixtime"', at);
    await writeFile(join(copy, 'result.json'), `${raw.slice(0, end)}"edited": true,\n   ${raw.slice(end)}`);
    const v = await cli(['verify', join(dir, 'package', 'manifest.json'), copy, '--format', 'text']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`message ${target} of chat telegram_export:${chatId} (result.json): differs from the manifest`);
    expect(v.stdout).toMatch(/file result\.json: SHA-256 differs/);
    const others = m.timeline.slice(1).map((t: { messageId: number }) => t.messageId);
    for (const id of others) expect(v.stdout).not.toContain(`message ${id} of chat`);
  });
});

describe('evidence of a scan, and hostile manifests', () => {
  it('packages what a scan found, with the reason of each post', async () => {
    const out = join(dir, 'scan-package');
    const r = await cli(['evidence', '--scan', '1', '--export', join(dir, 'export'), '--out', out, '--db', db, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const m = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    const reasons = m.timeline.flatMap((t: { reasons: string[] }) => t.reasons).join('\n');
    expect(reasons).toMatch(/bank match case-1/);
    expect(reasons).toMatch(/phone number \+31/);
    expect(reasons).toMatch(/picture posted \d+ times/);
    // Redacted in the reasons (they come from the store), in clear in the texts read from the export.
    for (const phone of manifest.phones) expect(reasons).not.toContain(phone);
  }, 60_000);

  it('refuses a manifest that is not one, and names a listed file that escapes the export', async () => {
    await writeFile(join(dir, 'bogus.json'), '{"format": "something else"}');
    const bogus = await cli(['verify', join(dir, 'bogus.json'), join(dir, 'export')]);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toMatch(/not an unexpose evidence manifest/);
    const m = JSON.parse(await readFile(join(dir, 'package', 'manifest.json'), 'utf8'));
    m.export.files.push({ path: '../../../etc/passwd', bytes: 1, sha256: '0'.repeat(64), role: 'media' });
    await writeFile(join(dir, 'escaping.json'), JSON.stringify(m));
    const v = await cli(['verify', join(dir, 'escaping.json'), join(dir, 'export'), '--format', 'text']);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/file \.\.\/\.\.\/\.\.\/etc\/passwd: not readable in the export/);
  });
});

describe('reappearance', () => {
  it('flags a removed picture posted again by a later scan and drafts a follow-up citing the first notice', async () => {
    const image = (await list('--recipient', 'telegram_abuse')).find((n) => n.kind === 'intimate_image')!;
    expect((await cli(['notices', 'mark', String(image.id), 'acknowledged', '--db', db])).code).toBe(0);
    expect((await cli(['notices', 'mark', String(image.id), 'removed', '--note', 'Telegram: removed', '--db', db])).code).toBe(0);
    // A later export of the chat: the same picture posted again in a new message.
    const later = join(dir, 'later');
    await cp(join(dir, 'export'), later, { recursive: true });
    const json = JSON.parse(await readFile(join(later, 'result.json'), 'utf8'));
    const newId = Math.max(...json.messages.map((x: { id: number }) => x.id)) + 1;
    json.messages.push({ id: newId, type: 'message', date: '2025-04-01T10:00:00', date_unixtime: '1743501600', from: 'Deelnemer 1', from_id: 'user5550000001', photo: banked.path, width: 400, height: 400, text: '', text_entities: [] });
    await writeFile(join(later, 'result.json'), JSON.stringify(json, null, 1));
    const scan = await cli(['scan', later, '--db', db, '--quiet']);
    expect(scan.code).toBe(0);
    expect(scan.stderr).toContain(`REAPPEARED: ${image.reference} (to telegram_abuse`);
    const follow = (await list('--state', 'draft')).filter((n) => n.recipient === 'telegram_abuse' && n.kind === 'intimate_image');
    expect(follow).toHaveLength(1);
    const show = await cli(['notices', 'show', String(follow[0].id), '--db', db, '--format', 'jsonl']);
    const detail = JSON.parse(show.stdout);
    expect(detail.notice.followUpOf).toBe(image.reference);
    expect(detail.subject).toMatch(new RegExp(`^Follow-up to ${image.reference}`));
    expect(detail.body).toContain(`https://t.me/c/${chatId}/${newId}`);
    expect(detail.body).toContain('2025-04-01T10:00:00Z');
    const check = await cli(['notices', 'check', '--db', db, '--format', 'jsonl']);
    expect(check.stdout.trim()).toBe('');
  }, 60_000);
});

describe('removing one entry of a case', () => {
  it('deletes the notices about it: her number\'s doxxing notices with remove-identifier, the picture\'s with remove', async () => {
    const phone = manifest.phones[0];
    const before = await list();
    const hers = before.filter((n) => herNumberNotices.includes(n.id));
    expect(hers).toHaveLength(2);
    const herKeys = new Set(hers.map((n) => n.itemKey));
    const others = before.filter((n) => n.kind === 'phone' && !herKeys.has(n.itemKey));
    const r = await cli(['bank', 'remove-identifier', 'case-1', phone, '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ bank: 'case-1', removed: 1 });
    const afterNumber = await list();
    expect(afterNumber.filter((n) => herKeys.has(n.itemKey))).toEqual([]);
    // Doxxing notices about other numbers (found by the scan, not hers) stay.
    expect(afterNumber.filter((n) => n.kind === 'phone').map((n) => n.id)).toEqual(others.map((n) => n.id));
    expect(afterNumber.filter((n) => n.kind === 'intimate_image').length).toBe(before.filter((n) => n.kind === 'intimate_image').length);
    // The picture: remove its PDQ from the case; every notice about it (first round and follow-up) goes.
    const pdq = (await readFile(join(dir, 'known.txt'), 'utf8')).trim();
    expect((await cli(['bank', 'remove', 'case-1', pdq, '--db', db])).code).toBe(0);
    expect((await list()).filter((n) => n.kind === 'intimate_image')).toEqual([]);
    const sqlite = new Sqlite(db, { readonly: true });
    try {
      expect(sqlite.prepare("SELECT count(*) AS n FROM notice_event WHERE notice_id NOT IN (SELECT id FROM notice)").get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  }, 60_000);
});
