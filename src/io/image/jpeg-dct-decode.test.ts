import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { decodeImageFull, decodeImageShrunkOnLoad, readImageHeader } from './decode-image.js';
import { openJpeg } from './jpeg-dct-decode.js';
import { syntheticPixels } from '../../../test/support/synthetic-images.js';

const jpegOf = (width: number, height: number, seed: number) =>
  sharp(Buffer.from(syntheticPixels(width, height, seed)), { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 });

/** Mean of each factor x factor block of a full-size decode: what a 1/factor DCT-scaled decode approximates. */
async function blockMeans(jpeg: Buffer, factor: number): Promise<{ data: Float64Array; width: number; height: number }> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const width = Math.ceil(info.width / factor), height = Math.ceil(info.height / factor);
  const sum = new Float64Array(width * height * 3), count = new Float64Array(width * height);
  for (let y = 0; y < info.height; y++) for (let x = 0; x < info.width; x++) {
    const o = Math.floor(y / factor) * width + Math.floor(x / factor);
    count[o]++;
    for (let c = 0; c < 3; c++) sum[o * 3 + c] += data[(y * info.width + x) * 3 + c];
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= count[Math.floor(i / 3)];
  return { data: sum, width, height };
}

// The libvips path is there on Linux with koffi's prebuilt binary (this project's machines and CI).
const dct = process.platform === 'linux' ? describe : describe.skip;

dct('JPEG decoded by DCT scaling alone, from memory', () => {
  it('decodes 1600x1000 at a quarter of its size, each pixel the mean of its 4x4 block to within a grey level or two', async () => {
    const jpeg = await jpegOf(1600, 1000, 3).toBuffer();
    expect(openJpeg(jpeg)).toBeDefined(); // the DCT path, not sharp's resize
    const { pixels, header } = await decodeImageShrunkOnLoad(jpeg, () => 4);
    expect([pixels.width, pixels.height, pixels.channels, header.width, header.height]).toEqual([400, 250, 3, 1600, 1000]);
    const means = await blockMeans(jpeg, 4);
    let diff = 0;
    for (let i = 0; i < means.data.length; i++) diff += Math.abs(pixels.data[i] - means.data[i]);
    expect(diff / means.data.length).toBeLessThan(2);
  });

  it('decodes at full size (no shrink) exactly as sharp does: the robust signals of a small photo stay the same', async () => {
    const jpeg = await jpegOf(500, 300, 4).toBuffer();
    const { pixels } = await decodeImageShrunkOnLoad(jpeg, () => 1);
    const viaSharp = await decodeImageFull(jpeg);
    expect([pixels.width, pixels.height, pixels.channels]).toEqual([viaSharp.width, viaSharp.height, viaSharp.channels]);
    expect(Buffer.from(pixels.data).equals(Buffer.from(viaSharp.data))).toBe(true);
  });

  it('drops the partial edge pixel of an odd size, as libvips does (1001x803 by 8 is 125x100)', async () => {
    const jpeg = await jpegOf(1001, 803, 5).toBuffer();
    const { pixels } = await decodeImageShrunkOnLoad(jpeg, () => 8);
    expect([pixels.width, pixels.height]).toEqual([125, 100]);
  });

  it('reads the same header as sharp: size, channels and EXIF orientation (not applied to the pixels)', async () => {
    const jpeg = await jpegOf(800, 600, 7).withMetadata({ orientation: 6 }).toBuffer();
    const { pixels, header } = await decodeImageShrunkOnLoad(jpeg, () => 2);
    expect(header).toEqual(await readImageHeader(jpeg));
    expect(header.orientation).toBe(6);
    expect([pixels.width, pixels.height]).toEqual([400, 300]);
  });

  it('leaves a CMYK JPEG to sharp, which gives it as RGB', async () => {
    const cmyk = await jpegOf(800, 600, 9).toColourspace('cmyk').toBuffer();
    expect((await readImageHeader(cmyk)).channels).toBe(4);
    const { pixels } = await decodeImageShrunkOnLoad(cmyk, () => 2);
    expect(pixels.channels).toBe(3);
  });

  it('refuses a JPEG whose header claims 60000x60000, before decoding it', async () => {
    const jpeg = await jpegOf(64, 64, 11).toBuffer();
    const sof = jpeg.findIndex((b, i) => b === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2));
    jpeg.writeUInt16BE(60000, sof + 5); // height
    jpeg.writeUInt16BE(60000, sof + 7); // width
    await expect(decodeImageShrunkOnLoad(jpeg, () => 8)).rejects.toMatchObject({ code: 'decompression_bomb', message: /60000x60000/ });
  });

  it('gives a truncated JPEG a clear decode error', async () => {
    const jpeg = await jpegOf(1600, 1000, 13).toBuffer();
    await expect(decodeImageShrunkOnLoad(jpeg.subarray(0, jpeg.length / 2), () => 4)).rejects.toMatchObject({ code: 'decode_failed' });
  });
});
