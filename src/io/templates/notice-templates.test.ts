/** Notice templates: an override folder wins file by file, the built-in ones fill the rest, bad names are refused. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test/support/temp-dirs.js';
import { BUILTIN_TEMPLATES_DIR, noticeTemplates } from './notice-templates.js';

const tempDir = useTempDirs();

describe('noticeTemplates', () => {
  it('takes a file from the override folder and falls back to the built-in one', async () => {
    const dir = await tempDir('unexpose-templates-');
    await mkdir(join(dir, 'nl'), { recursive: true });
    await writeFile(join(dir, 'nl', 'dsa-notice.txt'), 'Subject: eigen {{reference}}\n\nTekst\n');
    const t = noticeTemplates(dir);
    expect((await t.load('dsa-notice', 'nl')).text).toMatch(/^Subject: eigen/);
    const en = await t.load('dsa-notice', 'en');
    expect(en.path.startsWith(BUILTIN_TEMPLATES_DIR)).toBe(true);
    expect(en.text).toMatch(/^Subject: /);
  });

  it('refuses names that could leave the folder, and too large files', async () => {
    const dir = await tempDir('unexpose-templates-');
    await expect(noticeTemplates(dir).load('../../etc/passwd', 'en')).rejects.toThrow(/not a template name/);
    await mkdir(join(dir, 'en'), { recursive: true });
    await writeFile(join(dir, 'en', 'dsa-notice.txt'), `Subject: x\n\n${'x'.repeat(70_000)}`);
    await expect(noticeTemplates(dir).load('dsa-notice', 'en')).rejects.toThrow(/at most 65536/);
  });
});
