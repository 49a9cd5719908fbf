/**
 * PDQ in the browser: headless Chromium (Debian's, through playwright-core) decodes a few conformance images with
 * createImageBitmap + OffscreenCanvas and hashes them with the WebAssembly SIMD and JS engines loaded as a page
 * would; every hash must equal Node's (sharp decode, full-resolution pipeline). Skips with a message without
 * /usr/bin/chromium (.ci/run installs it) or ../shared/conformance.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, CHROMIUM_PATH, type Chromium } from '../../bench/browser/launch-chromium.js';
import { servePage, fileUrl, type PageServer } from '../../bench/browser/serve-page.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';
import { createJsPdqEngine } from '../../src/core/signals/pdq/pdq-engine.js';
import { hasShared, pdqFile, sharedDir } from '../support/shared-data.js';

if (!hasChromium) console.warn(`PDQ browser test skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
if (!hasShared) console.warn('PDQ browser test skipped: ../shared/conformance is absent');

const IMAGES = [
  'repo/pdq/data/bridge-mods/aaa-orig.jpg',
  'repo/pdq/data/misc-images/wee.jpg',
  'repo/pdq/data/reg-test-input/labelme-subset/q0003.jpg',
  'repo/pdq/data/misc-images/c.png',
];

const videoDir = resolve(sharedDir, 'conformance/vpdq/repo/tmk/sample-videos');

describe.skipIf(!hasChromium || !hasShared)('PDQ in headless Chromium', () => {
  let server: PageServer;
  let browser: Chromium;
  beforeAll(async () => {
    server = await servePage([pdqFile('repo'), videoDir]);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('computes the same PDQ as Node for conformance images, with both engines', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'hashImages' in globalThis);
    const urls = IMAGES.map((p) => fileUrl(server.url, pdqFile(p)));
    const got = await page.evaluate((u) => (globalThis as unknown as { hashImages(u: string[]): Promise<{ url: string; engine: string; hash: string; quality: number }[]> }).hashImages(u), urls);
    expect(new Set(got.map((g) => g.engine))).toEqual(new Set(['js', 'wasm']));
    for (const [i, p] of IMAGES.entries()) {
      const node = await hashPhotoBytes(readFileSync(pdqFile(p)), 'full', { engine: createJsPdqEngine() });
      for (const g of got.filter((x) => x.url === urls[i])) {
        expect({ image: resolve(p).split('/').pop(), engine: g.engine, hash: g.hash, quality: g.quality })
          .toEqual({ image: resolve(p).split('/').pop(), engine: g.engine, hash: node.hash, quality: node.quality });
      }
    }
  }, 120_000);

  it("computes a video file's MD5 with hash-wasm as Node does", async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => 'md5Of' in globalThis);
    const video = resolve(videoDir, 'chair-20-sd-bar.mp4');
    const got = await page.evaluate((u) => (globalThis as unknown as { md5Of(u: string): Promise<string> }).md5Of(u), fileUrl(server.url, video));
    expect(got).toBe(createHash('md5').update(readFileSync(video)).digest('hex'));
  }, 60_000);
});
