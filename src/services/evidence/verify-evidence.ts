/**
 * `unexpose verify MANIFEST EXPORT` as a use case: re-checks an evidence package against an export. Every file
 * the manifest lists is digested again, and every post of the timeline is found again in the export and its
 * bytes' SHA-256 compared. Each difference is named: the file, or the chat and message.
 */
import { readFile, stat } from 'node:fs/promises';
import { UnexposeError } from '../../core/errors.js';
import { EVIDENCE_FORMAT, type EvidenceManifest } from '../../core/evidence/evidence-manifest.js';
import { digestExportFile, openExportForEvidence, readExportPosts, wantedByExportKey } from './read-export-posts.js';

/** A manifest larger than this is refused (a package of 20,000 posts with full texts stays well under it). */
const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;

export type Difference =
  | { kind: 'file_changed'; file: string; expected: string; actual: string }
  | { kind: 'file_missing'; file: string; error: string }
  | { kind: 'message_changed'; chat: string; messageId: number; file: string; expected: string; actual: string }
  | { kind: 'message_missing'; chat: string; messageId: number };

export interface VerifyResult {
  ok: boolean;
  filesChecked: number;
  messagesChecked: number;
  differences: Difference[];
}

/** One line for a person. */
export function describeDifference(d: Difference): string {
  switch (d.kind) {
    case 'file_changed': return `file ${d.file}: SHA-256 differs (manifest ${d.expected}, export ${d.actual})`;
    case 'file_missing': return `file ${d.file}: not readable in the export (${d.error})`;
    case 'message_changed': return `message ${d.messageId} of chat ${d.chat} (${d.file}): differs from the manifest (SHA-256 ${d.expected} in the manifest, ${d.actual} now)`;
    case 'message_missing': return `message ${d.messageId} of chat ${d.chat}: not in the export`;
  }
}

async function loadManifest(path: string): Promise<EvidenceManifest> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new UnexposeError('not_found', `manifest ${path} does not exist or cannot be read`);
  }
  if (size > MAX_MANIFEST_BYTES) throw new UnexposeError('invalid_input', `${path} is ${size} bytes: too large for a manifest`);
  let m: EvidenceManifest;
  try {
    m = JSON.parse(await readFile(path, 'utf8')) as EvidenceManifest;
  } catch (err) {
    throw new UnexposeError('invalid_input', `${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!m || m.format !== EVIDENCE_FORMAT || !Array.isArray(m.timeline) || !m.export || !Array.isArray(m.export.files)) {
    throw new UnexposeError('invalid_input', `${path} is not an unexpose evidence manifest (${EVIDENCE_FORMAT})`);
  }
  for (const t of m.timeline) {
    if (typeof t?.chat !== 'string' || typeof t.messageId !== 'number' || typeof t.messageSha256 !== 'string') {
      throw new UnexposeError('invalid_input', `${path}: a timeline entry lacks chat, messageId or messageSha256`);
    }
  }
  return m;
}

/**
 * Verifies a manifest against an export.
 * @example const r = await verifyEvidence('package/manifest.json', 'export/'); if (!r.ok) r.differences.map(describeDifference)
 */
export async function verifyEvidence(manifestPath: string, exportPath: string): Promise<VerifyResult> {
  const m = await loadManifest(manifestPath);
  const opened = await openExportForEvidence(exportPath);
  const differences: Difference[] = [];
  try {
    for (const f of m.export.files) {
      try {
        const now = await digestExportFile(opened.files, String(f.path), f.role);
        if (now.sha256 !== f.sha256) differences.push({ kind: 'file_changed', file: f.path, expected: f.sha256, actual: now.sha256 });
      } catch (err) {
        differences.push({ kind: 'file_missing', file: f.path, error: err instanceof Error ? err.message : String(err) });
      }
    }
    const wanted = new Set(m.timeline.map((t) => `${t.chat}:${t.messageId}`));
    const { posts } = await readExportPosts(opened, wantedByExportKey(wanted));
    for (const t of m.timeline) {
      const got = posts.get(`${t.chat}:${t.messageId}`);
      if (!got) differences.push({ kind: 'message_missing', chat: t.chat, messageId: t.messageId });
      else if (got.message.rawSha256 !== t.messageSha256) {
        differences.push({ kind: 'message_changed', chat: t.chat, messageId: t.messageId, file: got.message.position.file, expected: t.messageSha256, actual: got.message.rawSha256 });
      }
    }
  } finally {
    await opened.close();
  }
  return { ok: differences.length === 0, filesChecked: m.export.files.length, messagesChecked: m.timeline.length, differences };
}
