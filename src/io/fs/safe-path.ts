/**
 * Untrusted relative paths from an export (media paths in result.json, zip entry names, WhatsApp attachment
 * names) resolved against the export root. Refused, with an UnexposeError('unsafe_path') that names the path
 * and is never followed by a read: absolute paths, drive letters, `..` segments, NUL bytes, and symbolic links
 * (anywhere on the way) that lead outside the root.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { UnexposeError } from '../../core/errors.js';

/**
 * Checks an untrusted relative path by its text alone and returns it normalised ("a/./b" → "a/b", "\" read as
 * "/"). Throws UnexposeError('unsafe_path') naming the path and the export.
 */
export function checkRelativePath(rel: string, exportLabel = 'the export'): string {
  const refuse = (why: string): never => {
    throw new UnexposeError('unsafe_path', `unsafe path "${rel}" in ${exportLabel}: ${why}; not read`);
  };
  if (rel === '') refuse('it is empty');
  if (rel.includes('\0')) refuse('it contains a NUL byte');
  if (/^[\\/]/.test(rel)) refuse('it is absolute');
  if (/^[A-Za-z]:/.test(rel)) refuse('it starts with a drive letter');
  if (/^~/.test(rel)) refuse('it starts with ~');
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) refuse('it climbs out with ".."');
  if (parts.length === 0) refuse('it names no file');
  return parts.join('/');
}

/** The root's real path (links resolved), cached per root string. */
const rootCache = new Map<string, Promise<string>>();
function realRoot(root: string): Promise<string> {
  let p = rootCache.get(root);
  if (!p) {
    p = realpath(root);
    rootCache.set(root, p);
    p.catch(() => rootCache.delete(root));
  }
  return p;
}

/**
 * The absolute real path of a regular file inside the export root, after every check.
 * @throws UnexposeError 'unsafe_path' (escapes the root, by text or through a link, or is not a regular file)
 *   or 'not_found' (missing), each naming the path and the root.
 */
export async function resolveSafePath(root: string, rel: string): Promise<string> {
  const clean = checkRelativePath(rel, root);
  const rootReal = await realRoot(root);
  let real: string;
  try {
    real = await realpath(join(rootReal, clean));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UnexposeError('not_found', `media file "${rel}" is not in export ${root}`);
    throw new UnexposeError('unsafe_path', `cannot resolve "${rel}" in ${root} (${code ?? (err as Error).message}); not read`, { cause: err });
  }
  if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
    throw new UnexposeError('unsafe_path', `unsafe path "${rel}" in ${root}: a link leads outside the export (to ${real}); not read`);
  }
  const s = await stat(real);
  if (!s.isFile()) throw new UnexposeError('unsafe_path', `unsafe path "${rel}" in ${root}: not a regular file; not read`);
  return real;
}
