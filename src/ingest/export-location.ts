/**
 * Small helpers shared by sources: how a file inside an export is named in messages, and where a media path
 * written in a message file points (relative to that message file's folder).
 */
import { posix } from 'node:path';
import { UnexposeError } from '../core/errors.js';
import type { ExportFiles } from '../io/fs/export-files.js';
import { checkRelativePath } from '../io/fs/safe-path.js';
import type { ChatMessage, Checkpoint, MessageBatch, OpenExport, ResolvedMedia, SourceName, StreamOptions } from './chat-source.js';

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

/** Streams one message file, resuming inside it when `from` is given (a source's own reader). */
export type StreamFile = (files: ExportFiles, file: string, from: Checkpoint | undefined, options: StreamOptions) => AsyncGenerator<MessageBatch>;

/**
 * An OpenExport over a source's message files: checks a resume checkpoint, skips the files already read, resumes
 * inside the one that was cut, and resolves media through the safe-path checks. Every source shares it.
 * @example openExportOf('telegram_export', files, ['result.json'], streamTelegramFile)
 */
export function openExportOf(source: SourceName, files: ExportFiles, messageFiles: string[], streamFile: StreamFile): OpenExport {
  return {
    source,
    files,
    messageFiles,
    async *stream(options: StreamOptions = {}) {
      const from = options.from;
      let start = 0;
      if (from) {
        if (from.source !== source) throw new UnexposeError('conflict', `checkpoint is for ${from.source}, not ${source}`);
        start = messageFiles.indexOf(from.file);
        if (start < 0) throw new UnexposeError('conflict', `checkpoint names ${from.file}, which is not in ${files.label}`);
        if (from.done) start++;
      }
      // Zip entries refused on opening are not repeated here: whoever opened the ExportFiles reports files.refused().
      for (let i = start; i < messageFiles.length; i++) {
        yield* streamFile(files, messageFiles[i], from && from.file === messageFiles[i] && !from.done ? from : undefined, options);
      }
    },
    resolveMedia: (message) => resolveMediaIn(files, message),
  };
}
