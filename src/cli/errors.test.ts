import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnexposeError } from '../core/errors.js';
import { reportCliError } from './errors.js';
import { EXIT_CODES, EXIT_FAILED, EXIT_INTERNAL, EXIT_NO_INPUT, EXIT_USAGE } from './exit-codes.js';

function captureStderr(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out };
}

afterEach(() => vi.restoreAllMocks());

describe('the CLI error boundary', () => {
  it('prints one line naming an unexpected error, and its stack only under --debug', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'x')");
    let out = captureStderr();
    expect(reportCliError(err)).toBe(EXIT_INTERNAL);
    expect(out.text()).toMatch(/^unexpose: internal error \(TypeError\): Cannot read properties/);
    expect(out.text()).toMatch(/--debug/);
    expect(out.text()).not.toMatch(/\n\s+at /);
    vi.restoreAllMocks();
    out = captureStderr();
    expect(reportCliError(err, true)).toBe(EXIT_INTERNAL);
    expect(out.text()).toMatch(/\n\s+at /);
  });

  it('maps expected errors to their named exit codes, one safe line each', () => {
    const out = captureStderr();
    expect(reportCliError(new UnexposeError('usage', 'bad --fps'))).toBe(EXIT_USAGE);
    expect(reportCliError(new UnexposeError('no_input', 'nothing to scan'))).toBe(EXIT_NO_INPUT);
    expect(reportCliError(new UnexposeError('not_found', 'x\u001b[2J does not exist'))).toBe(EXIT_FAILED);
    expect(reportCliError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(EXIT_FAILED);
    expect(out.text()).not.toContain('\u001b');
    expect(out.text().trim().split('\n')).toHaveLength(4);
  });

  it('has every exit code in the README table', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const c of EXIT_CODES) expect(readme).toMatch(new RegExp(`\\|\\s*${c.code}\\s*\\|\\s*\`${c.name}\``));
  });

  it('every CLI printer goes through the terminal-safe functions (no raw writes outside render/)', () => {
    const dir = resolve(import.meta.dirname);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('render'));
    const raw = files.filter((f) => /process\.std(out|err)\.write\(|console\.(log|error|warn|info)\(/.test(readFileSync(join(dir, f), 'utf8')));
    expect(raw).toEqual([]);
  });
});
