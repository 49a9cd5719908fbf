/**
 * Synthetic test images, made in code: gradients, shapes and noise, encoded with sharp. Never a real photo.
 */
import sharp from 'sharp';
import { crc32 } from 'node:zlib';

/** A deterministic pseudo-random generator (LCG) so that generated images are the same on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Raw RGB pixels: a two-way gradient, a few coloured rectangles and circles, and a little noise. */
export function syntheticPixels(width: number, height: number, seed: number): Uint8Array {
  const rnd = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  const shapes = Array.from({ length: 6 }, () => ({
    x: rnd() * width, y: rnd() * height, r: (0.1 + rnd() * 0.25) * Math.min(width, height),
    circle: rnd() < 0.5, colour: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  const gx = rnd() * 200;
  const gy = rnd() * 200;
  // A few smooth waves at random low frequencies, as natural images have energy spread over low frequencies.
  const waves = Array.from({ length: 5 }, () => ({ fx: (rnd() * 8 + 1) / width, fy: (rnd() * 8 + 1) / height, phase: rnd() * 6.3, amp: 15 + rnd() * 25 }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let w = 0;
      for (const v of waves) w += v.amp * Math.sin(2 * Math.PI * (v.fx * x + v.fy * y) + v.phase);
      let c = [gx * (x / width) + w, gy * (y / height) + w, 128 - 60 * (x / width) + w];
      for (const s of shapes) {
        const inside = s.circle ? (x - s.x) ** 2 + (y - s.y) ** 2 < s.r ** 2 : Math.abs(x - s.x) < s.r && Math.abs(y - s.y) < s.r / 2;
        if (inside) c = s.colour.map((k) => k + w / 2);
      }
      const n = (rnd() - 0.5) * 6;
      const o = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) data[o + k] = Math.max(0, Math.min(255, Math.round(c[k] + n)));
    }
  }
  return data;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** A synthetic image encoded as JPEG, PNG or WebP. */
export async function syntheticImage(width: number, height: number, seed: number, format: ImageFormat = 'jpeg', quality = 90): Promise<Buffer> {
  const img = sharp(Buffer.from(syntheticPixels(width, height, seed)), { raw: { width, height, channels: 3 } });
  if (format === 'jpeg') return img.jpeg({ quality }).toBuffer();
  if (format === 'webp') return img.webp({ quality }).toBuffer();
  return img.png().toBuffer();
}

function pngChunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0);
  return Buffer.concat([len, typed, crc]);
}

/** A tiny PNG whose header claims width x height pixels: a decompression bomb's calling card. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
