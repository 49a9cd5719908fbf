/** Reads the one file of a multipart request, with a size limit; anything else in the request is refused. */
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { UnexposeError } from '../core/errors.js';

/** The request's single file part (its stream must be read to the end by the caller). */
export async function oneUpload(req: FastifyRequest, fileSize: number): Promise<MultipartFile> {
  if (!req.isMultipart()) throw new UnexposeError('unsupported_media', 'send the file as multipart/form-data');
  const part = await req.file({ limits: { fileSize, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } });
  if (!part) throw new UnexposeError('invalid_input', 'the request holds no file');
  return part;
}
