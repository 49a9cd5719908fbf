/**
 * Small helpers shared by sources: how a file inside an export is named in messages, and where a media path
 * written in a message file points (relative to that message file's folder).
 */
import { posix } from 'node:path';
import { UnexposeError } from '../core/errors.js';
import type { ExportFiles } from '../io/fs/export-files.js';
import { checkRelativePath } from '../io/fs/safe-path.js';
import type { ChatMessage, ResolvedMedia } from './chat-source.js';

/** "<folder or zip>/<file inside>", for notices and errors. */
export function displayPath(files: ExportFiles, rel: string): string {
  return `${files.label.replace(/[\\/]+$/, '')}/${rel}`;
}

/** Resolves a message's media through the export's safe-path checks (never reads refused paths). */
export async function resolveMediaIn(files: ExportFiles, message: Pick<ChatMessage, 'media' | 'position'>): Promise<ResolvedMedia> {
  const media = message.media;
  const where = displayPath(files, message.position.file);
  if (!media || !media.path) {
    throw new UnexposeError('not_found', `message at byte ${message.position.offset} of ${where} has no media file in the export${media?.missing ? ` (${media.missing})` : ''}`);
  }
  const own = checkRelativePath(media.path, where);
  const dir = posix.dirname(message.position.file);
  const rel = dir === '.' ? own : `${dir}/${own}`;
  const [size, localPath] = await Promise.all([files.size(rel), files.localPath(rel)]);
  return { path: rel, size, localPath, read: () => files.readBytes(rel) };
}
