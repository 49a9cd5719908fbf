/**
 * Writes the evidence package's PDF with pdfkit and an embedded DejaVu font (dejavu-fonts-ttf, under the
 * Bitstream Vera / DejaVu licence, which allows embedding): the subject, the chain of custody, the export files
 * with their SHA-256, the timeline of posts in UTC with links, senders, texts and media hashes, where the
 * originals are kept, and the legal references. Every text from the export is stripped of control characters.
 * No image is drawn or embedded.
 */
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { EvidenceManifest } from '../../core/evidence/evidence-manifest.js';
import { escapeText } from '../../core/notices/render-notice.js';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Texts, and any other field, longer than these are cut in the PDF (the manifest keeps them whole). */
const MAX_PDF_TEXT = 1500;
const MAX_PDF_FIELD = 400;

/**
 * Controls stripped, and runs of more than 80 characters without a space broken up: pdfkit wraps an unbreakable
 * run character by character, so one long run in a hostile message would cost minutes. Hashes (64) stay whole.
 */
const clean = (s: string, max = MAX_PDF_FIELD): string => escapeText(s.length > max ? `${s.slice(0, max)}…` : s).replace(/\S{81,}/g, (run) => run.replace(/(\S{80})/g, '$1 ').trimEnd());

/**
 * Writes the PDF and resolves when it is on disk.
 * @example await writeEvidencePdf(manifest, sha256OfManifestJson, 'package/evidence.pdf')
 */
export async function writeEvidencePdf(m: EvidenceManifest, manifestSha256: string, path: string): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4', margin: 50, bufferPages: false,
    info: { Title: `unexpose evidence package ${m.createdAt}`, Creator: `${m.tool.name} ${m.tool.version}`, Producer: 'pdfkit' },
  });
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.registerFont('body', join(FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
  doc.registerFont('mono', join(FONT_DIR, 'DejaVuSansMono.ttf'));
  const width = doc.page.width - 100;
  const h = (t: string) => doc.moveDown(0.6).font('bold').fontSize(13).text(t, { width }).moveDown(0.2);
  const p = (t: string, size = 9.5, max = MAX_PDF_FIELD) => doc.font('body').fontSize(size).text(clean(t, max), { width });
  const mono = (t: string) => doc.font('mono').fontSize(7.5).text(clean(t), { width });

  doc.font('bold').fontSize(17).text('Evidence package', { width });
  p(`Made ${m.createdAt} (UTC) with ${m.tool.name} ${m.tool.version}. Subject: ${m.subject.kind === 'case' ? `case (bank) ${m.subject.bank}` : `scan ${m.subject.scanId}`}.`);
  p(`Posts: ${m.timeline.length}; chats: ${m.chats.length}; stored posts not in this export: ${m.notInExport.length}.`);
  p('The manifest.json beside this file holds the same data; its SHA-256 is:');
  mono(manifestSha256);
  p('Anyone holding the original export can check every digest with: unexpose verify manifest.json EXPORT');

  h('Where the originals are');
  p(m.originals);

  h('Chain of custody');
  for (const c of m.custody) {
    p(`${c.at}  ${c.who}: ${c.action}`);
    mono(`from: ${c.from}`);
    doc.moveDown(0.2);
  }

  h('Export files used');
  p(`Export: ${m.export.label} (${m.export.sources.join(', ')})`);
  for (const f of m.export.files) {
    p(`${f.path} (${f.role === 'messages' ? 'message file' : 'media file'}, ${f.bytes} bytes)`, 9);
    mono(`SHA-256 ${f.sha256}`);
  }

  h('Chats');
  for (const c of m.chats) p(`${c.key}  ${c.type}${c.markedId ? `  (Bot API id ${c.markedId})` : ''}${c.title ? `  "${c.title}"` : ''}`);

  h('Timeline (UTC)');
  for (const t of m.timeline) {
    doc.font('bold').fontSize(9.5).text(clean(`${t.utc ?? 'time unknown'}  ${t.chat}  message ${t.messageId}`), { width });
    if (t.link) p(t.link);
    p(`Sender: ${t.sender.name ?? '(no name)'}${t.sender.id ? ` [${t.sender.id}]` : ''}${t.forwardedFrom ? `; forwarded from ${t.forwardedFrom}` : ''}`);
    if (t.text) {
      const cut = t.textTruncated || t.text.length > MAX_PDF_TEXT;
      p(`Text: ${t.text.slice(0, MAX_PDF_TEXT)}${cut ? ' [cut; the whole text is in manifest.json]' : ''}`, 9, MAX_PDF_TEXT + 100);
    }
    if (t.media) {
      p(`Media: ${t.media.kind}${t.media.file ? ` (${t.media.file})` : ' (not in the export)'}`);
      if (t.media.pdq) mono(`PDQ ${t.media.pdq}`);
      if (t.media.md5) mono(`MD5 ${t.media.md5}`);
      if (t.media.sha256) mono(`SHA-256 ${t.media.sha256}`);
    }
    mono(`message SHA-256 ${t.messageSha256}  (${t.position.file} #${t.position.index}, byte ${t.position.offset})`);
    p(`Why: ${t.reasons.join('; ')}${t.storedDigest === 'mismatch' ? '. WARNING: this message differs from what the scan stored' : ''}`, 9);
    doc.moveDown(0.4);
  }
  if (m.notInExport.length) {
    h('Stored posts not found in this export');
    for (const n of m.notInExport.slice(0, 2000)) p(`${n.chat} message ${n.messageId}`);
  }

  h('Legal references');
  for (const l of m.legal) p(l);
  doc.end();
  await done;
}
