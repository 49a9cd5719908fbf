/**
 * bench:robust data: the source pictures (PDQ sample photos + synthetic scenes), their edits, and every picture's
 * signals as a bank keeps them and as a lookup computes them. Edited bytes live only in memory.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PICTURE_EDITS } from '../../test/support/picture-edits.js';
import { syntheticImage } from '../../test/support/synthetic-images.js';
import { hashPhotoBytes } from '../../src/services/hash-photo.js';

/** One robust value of a picture, by signal type. */
export interface RobustSignal { type: string; value: string; quality: number }

const PDQ_DATA = resolve(import.meta.dirname, '../../../shared/conformance/pdq/repo');
/** Real photos among the PDQ sample images (the others are colour-mode tests, tiny or synthetic). */
export const SAMPLE_PHOTOS = [
  'pdq/data/reg-test-input/dih/bridge-1-original.jpg',
  'pdq/data/reg-test-input/labelme-subset/q0003.jpg',
  'pdq/data/reg-test-input/labelme-subset/q0004.jpg',
  'pdq/data/reg-test-input/labelme-subset/q0122.jpg',
  'pdq/data/reg-test-input/labelme-subset/q0291.jpg',
  'pdq/data/reg-test-input/labelme-subset/q0746.jpg',
  'pdq/data/reg-test-input/labelme-subset/q1050.jpg',
  'pdq/data/reg-test-input/labelme-subset/q2821.jpg',
  'pdq/data/reg-test-input/pen-and-coaster.png',
  'python-threatexchange/threatexchange/tests/hashing/resources/rgb.jpeg',
];

export interface HashedPicture {
  source: string;
  /** Index of the source picture it comes from (-1: unrelated filler). */
  family: number;
  edit: string;
  kind: string;
  pdq: string;
  quality: number;
  bank: RobustSignal[];
  query: RobustSignal[];
}

export async function loadSources(scenes: number): Promise<{ name: string; bytes: Buffer }[]> {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const p of SAMPLE_PHOTOS) {
    try {
      out.push({ name: p.split('/').pop()!, bytes: readFileSync(resolve(PDQ_DATA, p)) });
    } catch {
      console.error(`skipping ${p}: ../shared/conformance/pdq is absent`);
    }
  }
  const sizes = [[1200, 900], [900, 1200], [1080, 1080], [1600, 900]];
  for (let i = 0; i < scenes; i++) {
    const [w, h] = sizes[i % sizes.length];
    out.push({ name: `scene-${i}`, bytes: await syntheticImage(w, h, 1000 + i, 'jpeg', 92) });
  }
  return out;
}

export async function hashPicture(bytes: Buffer, meta: Omit<HashedPicture, 'pdq' | 'quality' | 'bank' | 'query'>): Promise<HashedPicture> {
  const bank = await hashPhotoBytes(bytes, 'fast', { robust: 'bank' });
  const query = await hashPhotoBytes(bytes, 'fast', { robust: 'query' });
  const typed = (type: string, values: { value: string; quality: number }[] | undefined) => (values ?? []).map((v) => ({ type, ...v }));
  return {
    ...meta, pdq: bank.hash, quality: bank.quality,
    bank: [...typed('region_dct', bank.regionDct), ...typed('region_mag', bank.regionMag)],
    // The off-centre region_mag forms a lookup tries (matched only within their reach) under a name of their own here.
    query: [...typed('region_dct', query.regionDctQuery), ...typed('region_mag', query.regionMagQuery), ...typed('region_mag_shifted', query.regionMagShifted)],
  };
}

/** Every source and every edit of it, hashed; `onEach` reports progress. */
export async function hashAll(sources: { name: string; bytes: Buffer }[], onEach?: (n: number) => void): Promise<{ originals: HashedPicture[]; edits: HashedPicture[] }> {
  const originals: HashedPicture[] = [];
  const edits: HashedPicture[] = [];
  for (let f = 0; f < sources.length; f++) {
    const s = sources[f];
    originals.push(await hashPicture(s.bytes, { source: s.name, family: f, edit: 'original', kind: 'original' }));
    for (const e of PICTURE_EDITS) {
      const bytes = await e.apply(s.bytes, 17 + f);
      edits.push(await hashPicture(bytes, { source: s.name, family: f, edit: e.name, kind: e.kind }));
      onEach?.(edits.length);
    }
  }
  return { originals, edits };
}

/** Unrelated pictures for the false-match bank: synthetic scenes with seeds no source uses. */
export async function hashUnrelated(n: number, onEach?: (n: number) => void): Promise<HashedPicture[]> {
  const out: HashedPicture[] = [];
  const sizes = [[800, 600], [600, 800], [720, 720], [960, 540]];
  for (let i = 0; i < n; i++) {
    const [w, h] = sizes[i % sizes.length];
    out.push(await hashPicture(await syntheticImage(w, h, 50_000 + i, 'jpeg', 85), { source: `unrelated-${i}`, family: -1, edit: 'original', kind: 'unrelated' }));
    onEach?.(i + 1);
  }
  return out;
}
