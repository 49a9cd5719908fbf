/**
 * `unexpose evidence` as a use case: the evidence package for a police report (aangifte) or a lawyer. Takes the
 * subject's posts from the store, reads them in clear from the original export (checked against the stored
 * digests), and writes manifest.json and evidence.pdf into the output folder. Nothing read in clear goes back
 * into the store; no image is copied: the package says where the originals are kept.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { UnexposeError } from '../../core/errors.js';
import { EVIDENCE_FORMAT, MAX_EVIDENCE_POSTS, type CustodyEntry, type EvidenceChat, type EvidenceManifest, type EvidencePost } from '../../core/evidence/evidence-manifest.js';
import { CSAM_DIRECTIVE, DSA_ARTICLE_16, LEGAL_GROUNDS } from '../../core/notices/legal-grounds.js';
import type { ChatMessage, IngestNotice } from '../../ingest/chat-source.js';
import { markedChatId, telegramMessageLink } from '../../ingest/telegram/message-link.js';
import { sha256Hex } from '../../io/crypto/file-digests.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import { FindingRepo, type StoredPost } from '../../io/db/repos/finding-repo.js';
import type { Database } from '../../io/db/schema.js';
import { writeEvidencePdf } from '../../io/pdf/write-evidence-pdf.js';
import { subjectPosts, type EvidenceSubject } from './evidence-subject.js';
import { matchesStoredDigest, storedChatIdForms } from './message-digest.js';
import { openExportForEvidence, readExportPosts } from './read-export-posts.js';
import { custodyOfPosts } from './evidence-custody.js';

export interface EvidenceDeps {
  db: Kysely<Database>;
  key: IdentifierKey;
  tool: { name: string; version: string };
  now?: () => Date;
}

export interface EvidenceOptions {
  /** Who makes the package (the caseworker), for the chain-of-custody log. */
  operator: string;
  /** Where the originals are kept, in the operator's words (default: the export's path, not copied). */
  originals?: string;
}

export interface EvidenceResult {
  manifestPath: string;
  pdfPath: string;
  manifestSha256: string;
  posts: number;
  digestMismatches: number;
  notInExport: number;
  leftOut: number;
  notices: IngestNotice[];
}

const LEGAL = [
  `${LEGAL_GROUNDS.nl_sr_139h.article}: ${LEGAL_GROUNDS.nl_sr_139h.title.en} (in force since 1 January 2020)`,
  `${LEGAL_GROUNDS.nl_sr_285d.article}: ${LEGAL_GROUNDS.nl_sr_285d.title.en} (in force since 1 January 2024)`,
  `${LEGAL_GROUNDS.nl_sr_252.article}: ${LEGAL_GROUNDS.nl_sr_252.title.en} (since 1 July 2024)`,
  `${DSA_ARTICLE_16}: notice and action; ${CSAM_DIRECTIVE} allow an anonymous notice`,
];

function utc(unix: number | null): string | null {
  return unix === null ? null : new Date(unix * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Builds the package in outDir (created).
 * @example await buildEvidence(deps, { caseBank: 'case-2026-0012' }, 'export/', 'package/', { operator: 'caseworker 12' })
 */
export async function buildEvidence(deps: EvidenceDeps, subject: EvidenceSubject, exportPath: string, outDir: string, opts: EvidenceOptions): Promise<EvidenceResult> {
  const now = deps.now ?? (() => new Date());
  const findings = new FindingRepo(deps.db);
  const { posts: refs, reasons } = await subjectPosts(findings, subject);
  const leftOut = Math.max(0, refs.length - MAX_EVIDENCE_POSTS);
  const stored = await findings.posts(refs.slice(0, MAX_EVIDENCE_POSTS));
  const byExportKey = new Map<string, StoredPost>(stored.map((p) => [`${p.chat.source}:${p.chat.externalId}:${p.messageId}`, p]));

  const opened = await openExportForEvidence(exportPath);
  const notices: IngestNotice[] = [];
  let read;
  try {
    // The store may hold a chat id keyed (privacy work, issue 8): find each message under any form.
    const wanted = (m: ChatMessage) => {
      for (const id of storedChatIdForms(deps.key, m.source, m.chat.id)) {
        const k = `${m.source}:${id}:${m.id}`;
        if (byExportKey.has(k)) return k;
      }
      return null;
    };
    read = await readExportPosts(opened, wanted, (n) => { if (notices.length < 1000) notices.push(n); });
  } finally {
    await opened.close();
  }

  const timeline: EvidencePost[] = [];
  const notInExport: EvidenceManifest['notInExport'] = [];
  const chats = new Map<string, EvidenceChat>();
  let mismatches = 0;
  for (const [k, s] of byExportKey) {
    const got = read.posts.get(k);
    if (!got) {
      notInExport.push({ chat: `${s.chat.source}:${s.chat.externalId}`, messageId: s.messageId });
      continue;
    }
    const m = got.message;
    // The manifest names chats as the export does, so that verify needs no key.
    const chatKey = `${m.source}:${m.chat.id}`;
    if (!chats.has(chatKey)) {
      const telegram = m.source === 'telegram_export';
      chats.set(chatKey, {
        key: chatKey, source: m.source, id: m.chat.id, type: m.chat.type, title: m.chat.name,
        markedId: telegram && /^\d+$/.test(m.chat.id) ? markedChatId(m.chat.type, m.chat.id) : null,
      });
    }
    const same = matchesStoredDigest(m, s.rawDigest, deps.key);
    if (!same) mismatches++;
    timeline.push({
      utc: utc(m.unixTime), unixTime: m.unixTime, chat: chatKey, messageId: m.id,
      link: m.source === 'telegram_export' ? telegramMessageLink(m.chat.type, m.chat.id, m.id) : null,
      sender: { id: m.senderId, name: m.senderName ?? null }, forwardedFrom: m.forwardedFrom,
      text: m.text, textTruncated: got.textTruncated,
      media: m.media && {
        kind: m.media.kind, file: got.mediaFile?.path ?? null, pdq: s.media?.pdq ?? null,
        md5: got.mediaFile?.md5 ?? s.media?.md5 ?? null, sha256: got.mediaFile?.sha256 ?? s.media?.sha256 ?? null,
      },
      messageSha256: m.rawSha256, position: m.position, reasons: reasons.get(`${s.chatId}:${s.messageId}`) ?? [],
      storedDigest: same ? 'match' : 'mismatch',
    });
  }
  if (timeline.length === 0) throw new UnexposeError('not_found', `${exportPath} holds none of the ${stored.length} post(s) of this subject: is it the export that was scanned?`);
  timeline.sort((a, b) => (a.unixTime ?? 0) - (b.unixTime ?? 0) || a.chat.localeCompare(b.chat) || a.messageId - b.messageId);
  const mediaFiles = new Map<string, NonNullable<ReturnType<typeof read.posts.get>>['mediaFile']>();
  for (const p of read.posts.values()) if (p.mediaFile) mediaFiles.set(p.mediaFile.path, p.mediaFile);

  const createdAt = now().toISOString();
  const custody: CustodyEntry[] = [
    ...await custodyOfPosts(deps.db, stored),
    { at: createdAt, who: opts.operator, action: `read ${timeline.length} post(s) in clear from the original export, checked them against the stored digests (${mismatches} differ), and wrote this package`, from: `${opened.label} (${read.messageFiles.map((f) => `${f.path} sha256 ${f.sha256}`).join('; ')})` },
  ];
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT, tool: deps.tool, createdAt,
    subject: 'caseBank' in subject ? { kind: 'case', bank: subject.caseBank } : { kind: 'scan', scanId: subject.scanId },
    export: { label: opened.label, sources: opened.exports.map((e) => e.source), files: [...read.messageFiles, ...[...mediaFiles.values()].filter((f) => f !== null)] },
    originals: opts.originals ?? `The original export is kept at ${resolve(exportPath)}; no image or video is copied into this package. Media files are identified by the SHA-256 and MD5 listed here.`,
    chats: [...chats.values()], timeline, notInExport, custody, legal: LEGAL,
  };
  await mkdir(outDir, { recursive: true });
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = join(outDir, 'manifest.json');
  const pdfPath = join(outDir, 'evidence.pdf');
  await writeFile(manifestPath, json);
  const manifestSha256 = sha256Hex(json);
  await writeEvidencePdf(manifest, manifestSha256, pdfPath);
  return { manifestPath, pdfPath, manifestSha256, posts: timeline.length, digestMismatches: mismatches, notInExport: notInExport.length, leftOut, notices };
}
