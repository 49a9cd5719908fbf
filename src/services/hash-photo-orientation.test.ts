/**
 * Orientation tags (issue 12): region_dct is computed on the picture as shown (EXIF orientation applied the way
 * sharp's rotate() and browsers apply it), so a tagged photo and its re-post with the rotation baked in bank and
 * look up the same values; PDQ stays the reference's (stored pixels, no EXIF).
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { hashPhotoBytes } from './hash-photo.js';
import { pdqDistance } from '../core/signals/pdq/pdq-hex.js';
import { syntheticPixels } from '../../test/support/synthetic-images.js';

const raw = { raw: { width: 320, height: 200, channels: 3 as const } };

describe('EXIF orientation and the robust signals', () => {
  it('gives a photo tagged 2..8 the region_dct and region_mag values of its baked, upright copy', async () => {
    const stored = Buffer.from(syntheticPixels(320, 200, 21));
    for (const orientation of [2, 3, 4, 5, 6, 7, 8]) {
      const tagged = await sharp(stored, raw).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
      const baked = await sharp(tagged).rotate().png().toBuffer();
      const a = await hashPhotoBytes(tagged, 'fast', { robust: 'bank' });
      const b = await hashPhotoBytes(baked, 'fast', { robust: 'bank' });
      const d = a.regionDct!.map((v, i) => pdqDistance(v.value, b.regionDct![i].value));
      expect(Math.max(...d), `orientation ${orientation}`).toBeLessThanOrEqual(8);
      expect(a.regionMag!.length).toBe(b.regionMag!.length);
      const m = a.regionMag!.map((v, i) => pdqDistance(v.value, b.regionMag![i].value));
      expect(Math.max(...m), `orientation ${orientation} (region_mag)`).toBeLessThanOrEqual(8);
      // PDQ is the reference's: the stored pixels, so the turned ones are far apart.
      if (orientation >= 5) expect(pdqDistance(a.hash, b.hash)).toBeGreaterThan(31);
    }
  });
  it('computes nothing robust unless asked, and the lookup forms only when asked', async () => {
    const png = await sharp(Buffer.from(syntheticPixels(320, 200, 22)), raw).png().toBuffer();
    expect(await hashPhotoBytes(png)).not.toHaveProperty('regionDct');
    const q = await hashPhotoBytes(png, 'fast', { robust: 'query' });
    expect(q.regionDct).toBeUndefined();
    expect(q.regionDctQuery!.length).toBeGreaterThanOrEqual(8);
    expect(q.regionMag).toBeUndefined();
    expect(q.regionMagQuery).toHaveLength(4);
  });
});
