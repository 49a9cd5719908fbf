/**
 * Reads the posts an evidence package needs from the original export, at the moment the package is made:
 * streams every message file through the chat sources (bounded memory: only the wanted posts are kept), takes
 * the SHA-256 of each message file and of each wanted post's media file, and checks each post against the
 * digest the scan stored. Names and texts read here go only into the package.
 */
import { describeError, UnexposeError } from '../../core/errors.js';
import { MAX_EVIDENCE_TEXT, type EvidenceFile } from '../../core/evidence/evidence-manifest.js';
import type { ChatMessage, IngestNotice, OpenExport } from '../../ingest/chat-source.js';
import { chatSources } from '../../ingest/registry.js';
import { digestBytes, digestFile, digestStream } from '../../io/crypto/file-digests.js';
import { openExportFiles, type ExportFiles } from '../../io/fs/export-files.js';

/** A post as read from the export (text capped). */
export interface ExportPost {
  message: Omit<ChatMessage, 'text'> & { text: string };
  textTruncated: boolean;
  mediaFile: EvidenceFile | null;
  mediaError: string | null;
}

export interface OpenedExport {
  label: string;
  files: ExportFiles;
  exports: OpenExport[];
  close(): Promise<void>;
}

/** Opens an export with every chat source that recognises it; throws when none does. */
export async function openExportForEvidence(path: string): Promise<OpenedExport> {
  const files = await openExportFiles(path);
  const exports: OpenExport[] = [];
  for (const source of chatSources) {
    const messageFiles = await source.detect(files);
    if (messageFiles.length > 0) exports.push(source.open(files, messageFiles));
  }
  if (exports.length === 0) {
    await files.close();
    throw new UnexposeError('invalid_input', `${path}: no Telegram export (result.json) or WhatsApp chat (.txt) found in it`);
  }
  return { label: files.label, files, exports, close: () => files.close() };
}

/** SHA-256 (and size) of one file inside the export, streamed. */
export async function digestExportFile(files: ExportFiles, rel: string, role: EvidenceFile['role']): Promise<EvidenceFile> {
  const local = await files.localPath(rel);
  const d = local ? await digestFile(local) : await digestStream(await files.openStream(rel));
  return { path: rel, bytes: await files.size(rel), sha256: d.sha256, md5: d.md5, role };
}

/** Says under which key a message is wanted, or null when it is not. */
export type WantedPost = (m: ChatMessage) => string | null;

/** Wanted by "<source>:<chat id as exported>:<message id>". */
export function wantedByExportKey(keys: Set<string>): WantedPost {
  return (m) => {
    const k = `${m.source}:${m.chat.id}:${m.id}`;
    return keys.has(k) ? k : null;
  };
}

/**
 * Streams the export and returns the wanted posts by the key `wanted` gives them.
 * @example const { posts } = await readExportPosts(opened, wantedByExportKey(new Set(['telegram_export:1900000001:17'])))
 */
export async function readExportPosts(opened: OpenedExport, wanted: WantedPost, onNotice: (n: IngestNotice) => void = () => {}): Promise<{
  posts: Map<string, ExportPost>; messageFiles: EvidenceFile[];
}> {
  const posts = new Map<string, ExportPost>();
  const messageFiles: EvidenceFile[] = [];
  for (const exp of opened.exports) {
    for (const f of exp.messageFiles) messageFiles.push(await digestExportFile(opened.files, f, 'messages'));
    for await (const batch of exp.stream({ batchSize: 2000 })) {
      for (const n of batch.notices) onNotice(n);
      for (const m of batch.messages) {
        const k = wanted(m);
        if (k === null || posts.has(k)) continue;
        const textTruncated = m.text.length > MAX_EVIDENCE_TEXT;
        const post: ExportPost = { message: { ...m, text: textTruncated ? m.text.slice(0, MAX_EVIDENCE_TEXT) : m.text }, textTruncated, mediaFile: null, mediaError: null };
        if (m.media?.path) {
          try {
            const resolved = await exp.resolveMedia(m);
            const d = resolved.localPath ? await digestFile(resolved.localPath) : digestBytes(await resolved.read());
            post.mediaFile = { path: resolved.path, bytes: resolved.size, sha256: d.sha256, md5: d.md5, role: 'media' };
          } catch (err) {
            post.mediaError = describeError(err);
          }
        }
        posts.set(k, post);
      }
    }
  }
  return { posts, messageFiles };
}
