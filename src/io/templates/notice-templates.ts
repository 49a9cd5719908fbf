/**
 * Notice templates on disk: the built-in ones in templates/notices/<lang>/<name>.txt at the package root, and an
 * operator's override folder (UNEXPOSE_TEMPLATES or --templates) laid out the same way. A file in the override
 * folder wins; anything it does not hold falls back to the built-in file. Templates are small: a file over
 * 64 KiB is refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnexposeError } from '../../core/errors.js';
import type { NoticeLanguage } from '../../core/notices/render-notice.js';

export const TEMPLATES_ENV = 'UNEXPOSE_TEMPLATES';
const MAX_TEMPLATE_BYTES = 64 * 1024;
const NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** The built-in templates folder (src/io/templates and dist/io/templates are both three levels below the root). */
export const BUILTIN_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/notices/', import.meta.url));

export interface TemplateSource {
  /** Loads the template text; says where it came from. */
  load(name: string, lang: NoticeLanguage): Promise<{ text: string; path: string }>;
}

async function readSmall(path: string): Promise<string | null> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return null;
  }
  if (size > MAX_TEMPLATE_BYTES) throw new UnexposeError('invalid_input', `notice template ${path} is ${size} bytes; at most ${MAX_TEMPLATE_BYTES} are read`);
  return readFile(path, 'utf8');
}

/**
 * Templates from an override folder (when given) over the built-in ones.
 * @example await noticeTemplates(process.env.UNEXPOSE_TEMPLATES).load('dsa-notice', 'nl')
 */
export function noticeTemplates(overrideDir?: string | null): TemplateSource {
  return {
    async load(name, lang) {
      if (!NAME.test(name) || !NAME.test(lang)) throw new UnexposeError('usage', `not a template name: ${name}/${lang}`);
      for (const dir of [overrideDir, BUILTIN_TEMPLATES_DIR]) {
        if (!dir) continue;
        const path = join(dir, lang, `${name}.txt`);
        const text = await readSmall(path);
        if (text !== null) return { text, path };
      }
      throw new UnexposeError('not_found', `no notice template ${lang}/${name}.txt in ${overrideDir ? `${overrideDir} or ` : ''}${BUILTIN_TEMPLATES_DIR}`);
    },
  };
}
