/**
 * The edits a picture goes through when it is re-posted in an expose chat, made in code with sharp: crops (centred
 * and off-centre), letterbox bars, frames (several colours and widths, nested), phone screenshots (status bar,
 * app chrome, the picture smaller inside), stickers and captions, small rotations, an EXIF orientation tag.
 * Each edit returns re-compressed JPEG bytes. Deterministic by seed. Used by bench:robust and the tests.
 */
import sharp from 'sharp';
import { seededRandom } from './synthetic-images.js';

export interface PictureEdit {
  /** Edit class, e.g. 'crop-centre'. */
  kind: string;
  /** Edit with its parameters, e.g. 'crop-centre 20%'. */
  name: string;
  apply(src: Buffer, seed: number): Promise<Buffer>;
}

const JPEG_QUALITY = 80;

async function size(src: Buffer): Promise<{ width: number; height: number }> {
  const m = await sharp(src).metadata();
  return { width: m.width!, height: m.height!, ...(m.orientation && m.orientation >= 5 ? { width: m.height!, height: m.width! } : {}) };
}

function jpeg(img: sharp.Sharp): Promise<Buffer> {
  return img.jpeg({ quality: JPEG_QUALITY }).toBuffer();
}

function rgb(v: number[]): { r: number; g: number; b: number } {
  return { r: v[0], g: v[1], b: v[2] };
}

/** Crop `share` of each side in total; `split` is the share of it taken from the left/top (0.5 = centred). */
async function crop(src: Buffer, share: number, splitX: number, splitY: number): Promise<Buffer> {
  const { width, height } = await size(src);
  const cw = Math.round(width * (1 - share));
  const ch = Math.round(height * (1 - share));
  const left = Math.round((width - cw) * splitX);
  const top = Math.round((height - ch) * splitY);
  return jpeg(sharp(src).rotate().extract({ left, top, width: cw, height: ch }));
}

/** Pads to a target aspect ratio (bars on two sides) in one colour. */
async function letterbox(src: Buffer, aspect: number, colour: number[]): Promise<Buffer> {
  const { width, height } = await size(src);
  let padX = 0;
  let padY = 0;
  if (width / height > aspect) padY = Math.round((width / aspect - height) / 2);
  else padX = Math.round((height * aspect - width) / 2);
  return jpeg(sharp(src).rotate().extend({ top: padY, bottom: padY, left: padX, right: padX, background: rgb(colour) }));
}

/** Nested frames: each [share of the longer side, colour]. */
async function frames(src: Buffer, layers: [number, number[]][]): Promise<Buffer> {
  let img = await sharp(src).rotate().png().toBuffer();
  const { width, height } = await size(src);
  for (const [share, colour] of layers) {
    const px = Math.max(2, Math.round(Math.max(width, height) * share));
    img = await sharp(img).extend({ top: px, bottom: px, left: px, right: px, background: rgb(colour) }).png().toBuffer();
  }
  return jpeg(sharp(img));
}

/** Glyph-like blocks in a line of "text" (no font needed). */
function textLine(x: number, y: number, w: number, h: number, colour: string, rnd: () => number): string {
  let out = '';
  let cx = x;
  while (cx < x + w) {
    const gw = h * (0.3 + rnd() * 0.5);
    if (rnd() > 0.15) out += `<rect x="${cx.toFixed(1)}" y="${(y + h * rnd() * 0.2).toFixed(1)}" width="${gw.toFixed(1)}" height="${(h * (0.6 + rnd() * 0.4)).toFixed(1)}" fill="${colour}"/>`;
    cx += gw + h * 0.15;
  }
  return out;
}

/**
 * A phone screenshot of a story or feed post: a 1080-wide screen scaled by `scale`, status bar, app header with
 * avatar and name, the picture fitted to the screen width, reply bar and icons, on a dark or light background.
 */
async function screenshot(src: Buffer, scale: number, dark: boolean, seed: number): Promise<Buffer> {
  const rnd = seededRandom(seed);
  const W = Math.round(1080 * scale);
  const H = Math.round(2340 * scale);
  const { width, height } = await size(src);
  const margin = dark ? 0 : Math.round(W * 0.0);
  const pw = W - 2 * margin;
  const ph = Math.min(Math.round((height * pw) / width), Math.round(H * 0.7));
  const pwFit = Math.min(pw, Math.round((width * ph) / height));
  const pic = await sharp(src).rotate().resize(pwFit, ph, { fit: 'fill' }).png().toBuffer();
  const bg = dark ? '#000' : '#fff';
  const fg = dark ? '#fff' : '#111';
  const bar = 0.035 * H;
  const picTop = dark ? Math.round((H - ph) / 2) : Math.round(H * 0.16);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="${bg}"/>`;
  svg += textLine(W * 0.06, bar * 0.3, W * 0.12, bar * 0.45, fg, rnd);
  svg += `<rect x="${W * 0.78}" y="${bar * 0.3}" width="${W * 0.05}" height="${bar * 0.45}" fill="${fg}"/><rect x="${W * 0.86}" y="${bar * 0.3}" width="${W * 0.08}" height="${bar * 0.45}" rx="3" fill="none" stroke="${fg}" stroke-width="2"/>`;
  const headY = dark ? bar * 1.6 : bar * 1.8;
  svg += `<circle cx="${W * 0.09}" cy="${headY + W * 0.045}" r="${W * 0.045}" fill="#c8a"/>`;
  svg += textLine(W * 0.17, headY + W * 0.02, W * 0.35, W * 0.035, fg, rnd);
  svg += textLine(W * 0.17, headY + W * 0.065, W * 0.2, W * 0.025, dark ? '#bbb' : '#777', rnd);
  const below = picTop + ph;
  svg += `<rect x="${W * 0.04}" y="${H - bar * 2.6}" width="${W * 0.7}" height="${bar * 1.3}" rx="${bar * 0.65}" fill="none" stroke="${fg}" stroke-width="${Math.max(1, 3 * scale)}"/>`;
  svg += textLine(W * 0.09, H - bar * 2.25, W * 0.3, bar * 0.5, dark ? '#aaa' : '#666', rnd);
  for (let i = 0; i < 3; i++) svg += `<circle cx="${W * (0.8 + i * 0.07)}" cy="${dark ? H - bar * 1.95 : below + bar * 0.8}" r="${bar * 0.35}" fill="none" stroke="${fg}" stroke-width="${Math.max(1, 3 * scale)}"/>`;
  if (!dark) svg += textLine(W * 0.04, below + bar * 1.8, W * 0.8, bar * 0.45, fg, rnd) + textLine(W * 0.04, below + bar * 2.6, W * 0.6, bar * 0.45, fg, rnd);
  svg += '</svg>';
  const screen = await sharp(Buffer.from(svg)).png().toBuffer();
  return jpeg(sharp(screen).composite([{ input: pic, left: Math.round((W - pwFit) / 2), top: picTop }]));
}

/** Stickers (emoji-like faces and hearts) covering about `share` of the picture, at random places. */
async function stickers(src: Buffer, share: number, seed: number): Promise<Buffer> {
  const rnd = seededRandom(seed);
  const { width, height } = await size(src);
  const count = 1 + Math.floor(rnd() * 2);
  const r = Math.sqrt((share * width * height) / count / Math.PI);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`;
  for (let i = 0; i < count; i++) {
    const cx = r + rnd() * (width - 2 * r);
    const cy = r + rnd() * (height - 2 * r);
    svg += `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffcc22"/><circle cx="${cx - r * 0.35}" cy="${cy - r * 0.2}" r="${r * 0.12}" fill="#222"/>` +
      `<circle cx="${cx + r * 0.35}" cy="${cy - r * 0.2}" r="${r * 0.12}" fill="#222"/><path d="M ${cx - r * 0.5} ${cy + r * 0.25} Q ${cx} ${cy + r * 0.75} ${cx + r * 0.5} ${cy + r * 0.25}" stroke="#222" stroke-width="${r * 0.08}" fill="none"/>`;
  }
  svg += '</svg>';
  return jpeg(sharp(src).rotate().composite([{ input: Buffer.from(svg), left: 0, top: 0 }]));
}

/** A caption band over `share` of the picture's height: dark translucent bar with white "text". */
async function caption(src: Buffer, share: number, seed: number): Promise<Buffer> {
  const rnd = seededRandom(seed);
  const { width, height } = await size(src);
  const h = height * share;
  const y = rnd() < 0.5 ? height * (0.62 + rnd() * 0.3) - h : height * 0.05;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="0" y="${y}" width="${width}" height="${h}" fill="#000" fill-opacity="0.6"/>`;
  const lines = Math.max(1, Math.round(share / 0.05));
  for (let i = 0; i < lines; i++) svg += textLine(width * 0.08, y + h * (0.15 + (0.8 * i) / lines), width * (0.5 + rnd() * 0.35), (h * 0.5) / lines, '#fff', rnd);
  svg += '</svg>';
  return jpeg(sharp(src).rotate().composite([{ input: Buffer.from(svg), left: 0, top: 0 }]));
}

/** Rotates by `degrees` (clockwise) on a grown canvas filled with `colour`. */
async function rotate(src: Buffer, degrees: number, colour: number[]): Promise<Buffer> {
  const png = await sharp(src).rotate().png().toBuffer();
  return jpeg(sharp(png).rotate(degrees, { background: rgb(colour) }));
}

/** Stores the pixels turned and tagged so that they show as the original (EXIF orientation 6, 8 or 3). */
async function orientationTag(src: Buffer, tag: 3 | 6 | 8): Promise<Buffer> {
  const turn = tag === 6 ? 270 : tag === 8 ? 90 : 180;
  const png = await sharp(src).rotate().png().toBuffer();
  const turned = await sharp(png).rotate(turn).png().toBuffer();
  return sharp(turned).jpeg({ quality: JPEG_QUALITY }).withMetadata({ orientation: tag }).toBuffer();
}

const BLACK = [0, 0, 0];
const WHITE = [255, 255, 255];

/** Every edit of the benchmark, by class. */
export const PICTURE_EDITS: PictureEdit[] = [
  { kind: 'recompress', name: 'recompress q80', apply: (s) => jpeg(sharp(s).rotate()) },
  ...[5, 10, 15, 20, 25].map((p) => ({ kind: 'crop-centre', name: `crop-centre ${p}%`, apply: (s: Buffer) => crop(s, p / 100, 0.5, 0.5) })),
  ...[5, 10, 15, 20, 25].map((p) => ({
    kind: 'crop-offcentre', name: `crop-offcentre ${p}%`,
    apply: (s: Buffer, seed: number) => { const r = seededRandom(seed + p); return crop(s, p / 100, r(), r()); },
  })),
  { kind: 'bars', name: 'bars black 9:16', apply: (s) => letterbox(s, 9 / 16, BLACK) },
  { kind: 'bars', name: 'bars black 1:1', apply: (s) => letterbox(s, 1, BLACK) },
  { kind: 'bars', name: 'bars white 4:5', apply: (s) => letterbox(s, 4 / 5, WHITE) },
  { kind: 'bars', name: 'bars grey 16:9', apply: (s) => letterbox(s, 16 / 9, [128, 128, 128]) },
  { kind: 'frame', name: 'frame white 3%', apply: (s) => frames(s, [[0.03, WHITE]]) },
  { kind: 'frame', name: 'frame black 8%', apply: (s) => frames(s, [[0.08, BLACK]]) },
  { kind: 'frame', name: 'frame red 5% + white 2%', apply: (s) => frames(s, [[0.05, [200, 30, 40]], [0.02, WHITE]]) },
  { kind: 'frame', name: 'frame blue 12%', apply: (s) => frames(s, [[0.12, [30, 60, 200]]]) },
  { kind: 'screenshot', name: 'screenshot story dark 1/2', apply: (s, seed) => screenshot(s, 0.5, true, seed) },
  { kind: 'screenshot', name: 'screenshot story dark 1/3', apply: (s, seed) => screenshot(s, 1 / 3, true, seed) },
  { kind: 'screenshot', name: 'screenshot feed light 1/2', apply: (s, seed) => screenshot(s, 0.5, false, seed) },
  { kind: 'screenshot', name: 'screenshot feed light 1/3', apply: (s, seed) => screenshot(s, 1 / 3, false, seed) },
  ...[6, 10, 15].map((p) => ({ kind: 'sticker', name: `sticker ${p}%`, apply: (s: Buffer, seed: number) => stickers(s, p / 100, seed + p) })),
  ...[8, 15].map((p) => ({ kind: 'caption', name: `caption ${p}%`, apply: (s: Buffer, seed: number) => caption(s, p / 100, seed + p) })),
  ...[-10, -5, -2, 3, 7, 10].map((d) => ({
    kind: 'rotate', name: `rotate ${d}° ${d % 2 ? 'white' : 'black'}`, apply: (s: Buffer) => rotate(s, d, d % 2 ? WHITE : BLACK),
  })),
  ...([6, 8, 3] as const).map((t) => ({ kind: 'orientation', name: `EXIF orientation ${t}`, apply: (s: Buffer) => orientationTag(s, t) })),
];
