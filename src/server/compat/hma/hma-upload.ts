/**
 * HMA's upload form: exactly one file whose field name is the content type (`photo=@a.jpg`), hashed as it streams
 * in; other form fields (metadata, note) are kept as text. Returns HMA-named signals.
 */
import type { FastifyRequest } from 'fastify';
import type { UploadHash, UploadHasher } from '../../../services/hash-upload.js';
import { UnexposeError } from '../../../core/errors.js';
import { limitedBytes, malformed } from '../../multipart.js';
import { HMA_CONTENT_TYPES, HmaError } from './hma-shapes.js';

export interface HmaUpload {
  contentType: 'photo' | 'video';
  hash: UploadHash;
  /** HMA signal type → value. */
  signals: Record<string, string>;
  fields: Record<string, string>;
}

/** HMA signals of a hashed upload: pdq for a photo, video_md5 for a video. */
export function hmaSignalsOf(h: UploadHash): Record<string, string> {
  const get = (t: string) => h.signals.find((s) => s.signalType === t)?.signal;
  return h.kind === 'photo' ? { pdq: get('pdq')! } : { video_md5: get('md5')! };
}

export async function readHmaUpload(req: FastifyRequest, hasher: UploadHasher, fileSize: number): Promise<HmaUpload> {
  if (!req.isMultipart()) throw new HmaError(400, 'Missing multipart/form-data file upload');
  let upload: HmaUpload | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of req.parts({ limits: { fileSize, files: 2, fields: 10, fieldSize: 64 * 1024, parts: 12 }, throwFileSizeLimit: false } as Parameters<FastifyRequest["parts"]>[0])) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (upload) {
      part.file.resume();
      throw new HmaError(400, 'Only one file allowed per request');
    }
    if (!(HMA_CONTENT_TYPES as readonly string[]).includes(part.fieldname)) {
      part.file.resume();
      throw new HmaError(400, `no such content_type: '${part.fieldname}'`);
    }
    const hash = await hasher.hash(limitedBytes(part, fileSize));
    upload = { contentType: part.fieldname as 'photo' | 'video', hash, signals: hmaSignalsOf(hash), fields };
    }
  } catch (err) {
    if (err instanceof HmaError || err instanceof UnexposeError) throw err;
    malformed(err);
  }
  if (!upload) throw new HmaError(400, 'Missing multipart/form-data file upload');
  return upload;
}
