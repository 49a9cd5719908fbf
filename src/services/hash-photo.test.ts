import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { decodeForPipeline, hashPhotoBytes, PHOTO_PIPELINES } from './hash-photo.js';
import { pdqDistance } from '../core/signals/pdq/pdq-hex.js';
import { pngHeaderClaiming, syntheticImage, syntheticPixels } from '../../test/support/synthetic-images.js';

describe('hashing photo bytes', () => {
  it('refuses a decompression bomb from its header, before decoding', async () => {
    const bomb = pngHeaderClaiming(60000, 60000);
    expect(bomb.length).toBeLessThan(100);
    for (const p of PHOTO_PIPELINES) {
      await expect(hashPhotoBytes(bomb, p)).rejects.toMatchObject({ code: 'decompression_bomb', message: expect.stringMatching(/60000x60000.*decompression bomb/) });
    }
  });

  it('refuses bytes that are not an image, and a truncated JPEG, with a message', async () => {
    await expect(hashPhotoBytes(Buffer.from('hello, not an image'))).rejects.toMatchObject({ code: 'decode_failed', message: /not an image/ });
    const jpeg = await syntheticImage(300, 200, 1);
    await expect(hashPhotoBytes(jpeg.subarray(0, 400))).rejects.toMatchObject({ code: 'decode_failed' });
  });

  it('shrinks a large PNG while decoding it in the fast pipeline (memory), staying within 10 bits of full resolution', async () => {
    const big = await sharp(Buffer.from(syntheticPixels(1200, 900, 4)), { raw: { width: 1200, height: 900, channels: 3 } })
      .resize(5400, 4050, { kernel: 'cubic' }).png({ compressionLevel: 1 }).toBuffer(); // 21.9 MP, over MAX_FULL_DECODE_PIXELS
    expect((await decodeForPipeline(big, 'fast')).pixels.width).toBe(675); // decoded shrunk by 8
    const fast = await hashPhotoBytes(big, 'fast');
    const full = await hashPhotoBytes(big, 'full');
    expect(fast.quality).toBeGreaterThanOrEqual(80);
    expect(pdqDistance(fast.hash, full.hash)).toBeLessThanOrEqual(10);
  }, 120_000);

  it('gives the same hash for an image in PNG and in lossless WebP (decoding is about pixels, not format)', async () => {
    const raw = { raw: { width: 200, height: 150, channels: 3 as const } };
    const px = Buffer.from(syntheticPixels(200, 150, 9));
    const png = await sharp(px, raw).png().toBuffer();
    const webp = await sharp(px, raw).webp({ lossless: true }).toBuffer();
    expect(await hashPhotoBytes(webp, 'full')).toEqual(await hashPhotoBytes(png, 'full'));
  });

  it('scales 16-bit images to 8 bits: a 16-bit PNG hashes like its 8-bit twin', async () => {
    const px = syntheticPixels(120, 100, 4);
    const png8 = await sharp(Buffer.from(px), { raw: { width: 120, height: 100, channels: 3 } }).png().toBuffer();
    const png16 = await sharp(png8).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    expect(await hashPhotoBytes(png16, 'full')).toEqual(await hashPhotoBytes(png8, 'full'));
  });

  it('does not apply EXIF orientation (as every reference port does)', async () => {
    const px = Buffer.from(syntheticPixels(160, 90, 2));
    const plain = await sharp(px, { raw: { width: 160, height: 90, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
    const rotated = await sharp(plain).withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(rotated).metadata()).orientation).toBe(6);
    const a = await hashPhotoBytes(plain, 'full');
    const b = await hashPhotoBytes(rotated, 'full');
    expect(pdqDistance(a.hash, b.hash)).toBeLessThanOrEqual(8); // only re-encoding noise, no rotation
  });

  it('a generated image and its re-encoded, resized copy stay within 31 bits (robustness)', async () => {
    await fc.assert(fc.asyncProperty(
      // What a chat does to a re-posted photo: shrink it (Telegram caps the long side at 1280) and re-encode as JPEG.
      // Photo-sized: under ~300 px a side PDQ's blur window is 1-2 pixels and one pixel more or less of window
      // moves the hash by up to ~36 bits, in the reference as here; chats send photos of 640 px and up.
      fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 640, max: 1400 }), fc.integer({ min: 640, max: 1400 }),
      fc.constantFrom(0.5, 0.7, 0.85, 1), fc.integer({ min: 70, max: 95 }), fc.constantFrom('fast', 'full', 'reference') as fc.Arbitrary<'fast' | 'full' | 'reference'>,
      async (seed, w, h, scale, q, pipeline) => {
        const original = await syntheticImage(w, h, seed, 'png');
        const copy = await sharp(original).resize(Math.round(w * scale), Math.round(h * scale)).jpeg({ quality: q }).toBuffer();
        const a = await hashPhotoBytes(original, pipeline);
        const b = await hashPhotoBytes(copy, pipeline);
        fc.pre(a.quality >= 50);
        expect(pdqDistance(a.hash, b.hash)).toBeLessThanOrEqual(31);
      }), { numRuns: 15 });
  });

  it('different generated images are far apart', async () => {
    const a = await hashPhotoBytes(await syntheticImage(400, 300, 1));
    const b = await hashPhotoBytes(await syntheticImage(400, 300, 2));
    expect(pdqDistance(a.hash, b.hash)).toBeGreaterThan(31);
  });
});
