/** Reads the one file of a multipart request, with a size limit; anything else in the request is refused. */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { UnexposeError } from '../core/errors.js';

/**
 * The bytes of a file part; ends with a too_large error when the part went past its size limit (busboy then
 * stops the stream early and only marks it truncated).
 */
export async function* limitedBytes(part: MultipartFile, limit: number): AsyncGenerator<Uint8Array> {
  const it = part.file[Symbol.asyncIterator]();
  for (;;) {
    const n = await it.next().catch(malformed);
    if (n.done) break;
    yield n.value as Uint8Array;
  }
  if (part.file.truncated) throw new UnexposeError('too_large', `the file is larger than the limit of ${limit} bytes`);
}

/** The request's single file part, as bytes to read to the end. */
export async function oneUpload(req: FastifyRequest, fileSize: number): Promise<AsyncGenerator<Uint8Array>> {
  if (!req.isMultipart()) throw new UnexposeError('unsupported_media', 'send the file as multipart/form-data');
  const part = await req.file({ limits: { fileSize, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 }, throwFileSizeLimit: false }).catch(malformed);
  if (!part) throw new UnexposeError('invalid_input', 'the request holds no file');
  return limitedBytes(part, fileSize);
}

/** A multipart parser error (busboy's fixed texts: "Unexpected end of form", …) is the client's bad body. */
export function malformed(err: unknown): never {
  if (err instanceof UnexposeError || (typeof (err as { statusCode?: number }).statusCode === 'number')) throw err;
  throw new UnexposeError('invalid_input', `malformed multipart/form-data body: ${err instanceof Error ? err.message.slice(0, 100) : 'unreadable'}`);
}
