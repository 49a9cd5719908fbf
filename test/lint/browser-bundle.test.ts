/**
 * The core's browser-safe entry (`unexpose/core`, package.json "exports") bundles for the browser with esbuild
 * (platform=browser: a Node built-in anywhere in its graph fails the build), pulls in no package but pure
 * libphonenumber-js, and runs in a bare JavaScript context with no Node globals (no process, Buffer or require),
 * giving the same PDQ hash and identifiers as in Node.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { findIdentifiers, hashPdqPixels } from '../../src/core/browser.js';
import { syntheticPixels } from '../support/synthetic-images.js';

const root = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, string> };

async function bundle(entry: string, format: 'esm' | 'iife') {
  return build({
    entryPoints: [entry], bundle: true, platform: 'browser', format, globalName: 'unexposeCore', write: false, metafile: true,
    logLevel: 'silent', target: 'es2022',
  });
}

describe('unexpose/core in the browser', () => {
  it('is exported by package.json and points at the built core entry', () => {
    expect(pkg.exports['./core']).toBe('./dist/core/browser.js');
    expect(existsSync(resolve(root, 'dist/core/browser.js')), 'run "npm run build" first (npm test does)').toBe(true);
  });

  it('bundles with platform=browser, from the sources and from the build, with no Node built-in and no other package', async () => {
    for (const entry of [resolve(root, 'src/core/browser.ts'), resolve(root, pkg.exports['./core'])]) {
      const out = await bundle(entry, 'esm');
      expect(out.errors).toEqual([]);
      const packages = new Set(Object.keys(out.metafile.inputs).filter((p) => p.includes('node_modules/')).map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(p)![1]));
      expect([...packages]).toEqual(['libphonenumber-js']);
      expect(out.outputFiles[0].text).not.toMatch(/\bfrom\s*["']node:|require\(["']/);
    }
  }, 60_000);

  it('runs in a bare context without Node globals and gives the same results as in Node', async () => {
    const out = await bundle(resolve(root, 'src/core/browser.ts'), 'iife');
    const pixels = syntheticPixels(96, 64, 5);
    const sandbox: Record<string, unknown> = { pixels, result: null };
    runInNewContext(`${out.outputFiles[0].text}
      result = {
        pdq: unexposeCore.hashPdqPixels({ data: pixels, width: 96, height: 64, channels: 3 }),
        ids: unexposeCore.findIdentifiers('bel me op +31 6 12345678').map((f) => f.display),
        node: typeof process + typeof Buffer + typeof require,
      };`, sandbox);
    const r = sandbox.result as { pdq: unknown; ids: string[]; node: string };
    expect(r.node).toBe('undefinedundefinedundefined');
    expect(r.pdq).toEqual(hashPdqPixels({ data: pixels, width: 96, height: 64, channels: 3 }));
    expect(r.ids).toEqual(findIdentifiers('bel me op +31 6 12345678').map((f) => f.display));
    expect(r.ids).toHaveLength(1);
  }, 60_000);
});
