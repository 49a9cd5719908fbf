/**
 * PDQ's pixel work in WebAssembly with 128-bit SIMD (AssemblyScript, built by `npm run build:wasm`):
 * luma, the Jarosz blur (two rounds of horizontal then vertical box filter), decimation to 64x64, quality, the
 * 16x16 DCT and the median threshold. Every lane does the float32 operations of src/core/signals/pdq in the same
 * order (wasm has no fused multiply-add, and f32x4 rounds every lane to float32), so the floats are the JS core's
 * bit for bit. No allocation: the caller (src/core/signals/pdq/wasm/pdq-wasm.ts) lays out the memory and passes
 * pointers. Layout facts the caller guarantees:
 * - `stride` (floats per row of the blur buffers) is cols rounded up to 16; `rowsP` is rows rounded up to 16;
 * - the pixel buffer has 64 spare bytes after the image (16-byte loads read a little past the last pixel);
 * - every buffer is 16-byte aligned.
 * Horizontal passes run on a strip of 16 rows stored transposed (column c of the strip is 4 vectors of 4 rows),
 * so that a vector holds 4 rows and the running sums are vertical adds; vertical passes work on 16 columns at once.
 */

import { boxSampledColumns } from './sampled-box';

const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;

/** A swizzle mask taking byte k * channels + offset into the low byte of lane k (the other bytes become 0). */
@inline function laneMask(channels: i32, offset: i32): v128 {
  return i32x4.add(i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(channels)), i32x4.splat(offset | 0xffffff00));
}

/** 4x4 transpose of vectors a..d (rows) into columns, stored at dst, dst + step, dst + 2 step, dst + 3 step. */
@inline function storeTransposed(a: v128, b: v128, c: v128, d: v128, dst: usize, step: usize): void {
  const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + step, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * step, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** Luma of 4 pixels from byte p: grey images take the sample, colour ones (0.299R + 0.587G) + 0.114B in float32. */
@inline function luma4(p: usize, grey: bool, mr: v128, mg: v128, mb: v128): v128 {
  // Bytes 0..255: the signed conversion (one instruction; the unsigned one is a sequence) gives the same floats.
  const v = v128.load(p);
  const r = f32x4.convert_i32x4_s(i8x16.swizzle(v, mr));
  if (grey) return r;
  const g = f32x4.convert_i32x4_s(i8x16.swizzle(v, mg));
  const b = f32x4.convert_i32x4_s(i8x16.swizzle(v, mb));
  return f32x4.add(f32x4.add(f32x4.mul(r, f32x4.splat(LUMA_R)), f32x4.mul(g, f32x4.splat(LUMA_G))), f32x4.mul(b, f32x4.splat(LUMA_B)));
}

/** Luma of rows r..r+15 (rows past the image repeat the last one) into a transposed strip. */
function lumaStrip(px: usize, channels: i32, cols: i32, rows: i32, r: i32, strip: usize): void {
  // RGB (video frames) in a copy of its own, where the swizzle masks are constants the runtime compiles better.
  if (channels == 3) lumaStripOf(px, 3, cols, rows, r, strip);
  else lumaStripOf(px, channels, cols, rows, r, strip);
}

@inline function lumaStripOf(px: usize, channels: i32, cols: i32, rows: i32, r: i32, strip: usize): void {
  const grey = channels <= 2;
  const mr = laneMask(channels, 0);
  const mg = laneMask(channels, 1);
  const mb = laneMask(channels, 2);
  const rowBytes = <usize>(cols * channels);
  for (let g = 0; g < 4; g++) {
    const r0 = min(r + 4 * g, rows - 1);
    const r1 = min(r + 4 * g + 1, rows - 1);
    const r2 = min(r + 4 * g + 2, rows - 1);
    const r3 = min(r + 4 * g + 3, rows - 1);
    const p0 = px + <usize>r0 * rowBytes;
    const p1 = px + <usize>r1 * rowBytes;
    const p2 = px + <usize>r2 * rowBytes;
    const p3 = px + <usize>r3 * rowBytes;
    const step = <usize>(4 * channels);
    let o = strip + <usize>(g * 16);
    for (let c = 0, q: usize = 0; c < cols; c += 4, q += step, o += 256) {
      storeTransposed(luma4(p0 + q, grey, mr, mg, mb), luma4(p1 + q, grey, mr, mg, mb),
        luma4(p2 + q, grey, mr, mg, mb), luma4(p3 + q, grey, mr, mg, mb), o, 64);
    }
  }
}

/** Rows r..r+15 of a row-major float buffer (stride floats a row) into a transposed strip. */
function loadStrip(src: usize, stride: i32, r: i32, strip: usize): void {
  const rowBytes = <usize>(stride * 4);
  for (let g = 0; g < 4; g++) {
    const p = src + <usize>(r + 4 * g) * rowBytes;
    let o = strip + <usize>(g * 16);
    for (let c = 0, q: usize = 0; c < stride; c += 4, q += 16, o += 256) {
      storeTransposed(v128.load(p + q), v128.load(p + rowBytes + q), v128.load(p + 2 * rowBytes + q), v128.load(p + 3 * rowBytes + q), o, 64);
    }
  }
}

/** A transposed strip back into rows r..r+15 of a row-major float buffer. */
function storeStrip(strip: usize, dst: usize, stride: i32, r: i32): void {
  const rowBytes = <usize>(stride * 4);
  for (let g = 0; g < 4; g++) {
    const p = dst + <usize>(r + 4 * g) * rowBytes;
    let s = strip + <usize>(g * 16);
    for (let c = 0, q: usize = 0; c < stride; c += 4, q += 16, s += 256) {
      storeTransposed(v128.load(s), v128.load(s + 64), v128.load(s + 128), v128.load(s + 192), p + q, rowBytes);
    }
  }
}

/**
 * One box filter of window w over n positions, on four independent streams of vectors at once (stream j at
 * offset 16 j, `step` bytes between positions): the reference's accumulate, grow, full and shrink phases.
 */
function boxFour(src: usize, dst: usize, n: i32, w: i32, step: usize): void {
  const half = (w + 2) >> 1;
  const p1 = half - 1;
  const p2 = w - half + 1;
  const p3 = n - w;
  const p4 = half - 1;
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  let ri = src;
  let li = src;
  let oi = dst;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += step) {
    s0 = f32x4.add(s0, v128.load(ri)); s1 = f32x4.add(s1, v128.load(ri, 16));
    s2 = f32x4.add(s2, v128.load(ri, 32)); s3 = f32x4.add(s3, v128.load(ri, 48));
    count++;
  }
  for (let i = 0; i < p2; i++, ri += step, oi += step) {
    count++;
    const d = f32x4.splat(<f32>count);
    s0 = f32x4.add(s0, v128.load(ri)); s1 = f32x4.add(s1, v128.load(ri, 16));
    s2 = f32x4.add(s2, v128.load(ri, 32)); s3 = f32x4.add(s3, v128.load(ri, 48));
    v128.store(oi, f32x4.div(s0, d)); v128.store(oi, f32x4.div(s1, d), 16);
    v128.store(oi, f32x4.div(s2, d), 32); v128.store(oi, f32x4.div(s3, d), 48);
  }
  const dw = f32x4.splat(<f32>count);
  for (let i = 0; i < p3; i++, ri += step, li += step, oi += step) {
    s0 = f32x4.sub(f32x4.add(s0, v128.load(ri)), v128.load(li));
    s1 = f32x4.sub(f32x4.add(s1, v128.load(ri, 16)), v128.load(li, 16));
    s2 = f32x4.sub(f32x4.add(s2, v128.load(ri, 32)), v128.load(li, 32));
    s3 = f32x4.sub(f32x4.add(s3, v128.load(ri, 48)), v128.load(li, 48));
    v128.store(oi, f32x4.div(s0, dw)); v128.store(oi, f32x4.div(s1, dw), 16);
    v128.store(oi, f32x4.div(s2, dw), 32); v128.store(oi, f32x4.div(s3, dw), 48);
  }
  for (let i = 0; i < p4; i++, li += step, oi += step) {
    count--;
    const d = f32x4.splat(<f32>count);
    s0 = f32x4.sub(s0, v128.load(li)); s1 = f32x4.sub(s1, v128.load(li, 16));
    s2 = f32x4.sub(s2, v128.load(li, 32)); s3 = f32x4.sub(s3, v128.load(li, 48));
    v128.store(oi, f32x4.div(s0, d)); v128.store(oi, f32x4.div(s1, d), 16);
    v128.store(oi, f32x4.div(s2, d), 32); v128.store(oi, f32x4.div(s3, d), 48);
  }
}

/** Vertical box filter of every column (16 at a time) of a rows x stride buffer. */
function boxColumns(src: usize, dst: usize, rows: i32, stride: i32, w: i32): void {
  const step = <usize>(stride * 4);
  for (let c = 0; c < stride; c += 16) boxFour(src + <usize>(c * 4), dst + <usize>(c * 4), rows, w, step);
}

/**
 * Pass 1 (horizontal, luma read straight from the pixels into a strip) of the 16-row strips starting at rows r0,
 * r0 + 16, ... below r1, into `a`. A strip needs the pixels of its rows only, so a caller receiving a frame piece
 * by piece (a video pipe) runs it as rows arrive, while they are still in cache. Call with r0 = 0 first.
 */
export function blurRows(px: usize, channels: i32, cols: i32, rows: i32, stride: i32, wH: i32,
  a: usize, stripIn: usize, stripOut: usize, r0: i32, r1: i32): void {
  if (r0 == 0) memory.fill(stripOut, 0, <usize>(stride * 64)); // columns past `cols` stay 0 in every buffer
  for (let r = r0; r < r1; r += 16) {
    lumaStrip(px, channels, cols, rows, r, stripIn);
    boxFour(stripIn, stripOut, cols, wH, 64);
    storeStrip(stripOut, a, stride, r);
  }
}

/**
 * The blurred, decimated 64x64 grid of an image (see the file header for the buffers). Pass 1 (horizontal) reads
 * luma straight into a strip; pass 3 (horizontal) keeps only the 64 sampled columns; pass 4 (vertical) runs on them.
 * `sampleCols` and `sampleRows` hold 64 i32 each: the column and row of each grid cell.
 */
export function blurDecimate(px: usize, channels: i32, cols: i32, rows: i32, stride: i32, rowsP: i32, wH: i32, wV: i32,
  a: usize, b: usize, stripIn: usize, stripOut: usize, sampled: usize, sampledBlur: usize,
  sampleCols: usize, sampleRows: usize, grid: usize): void {
  blurRows(px, channels, cols, rows, stride, wH, a, stripIn, stripOut, 0, rowsP);
  blurRest(cols, rows, stride, rowsP, wH, wV, a, b, stripIn, stripOut, sampled, sampledBlur, sampleCols, sampleRows, grid);
}

/** Passes 2 to 4 and the decimation, after blurRows has run on every strip (see blurDecimate). */
export function blurRest(cols: i32, rows: i32, stride: i32, rowsP: i32, wH: i32, wV: i32,
  a: usize, b: usize, stripIn: usize, stripOut: usize, sampled: usize, sampledBlur: usize,
  sampleCols: usize, sampleRows: usize, grid: usize): void {
  boxColumns(a, b, rows, stride, wV);
  for (let r = 0; r < rowsP; r += 16) {
    loadStrip(b, stride, r, stripIn);
    boxSampledColumns(stripIn, cols, wH, sampleCols, sampled + <usize>(r * 256));
  }
  boxColumns(sampled, sampledBlur, rows, 64, wV);
  for (let i = 0; i < 64; i++) {
    memory.copy(grid + <usize>(i * 256), sampledBlur + <usize>(load<i32>(sampleRows + <usize>(i * 4)) * 256), 256);
  }
}

/**
 * B = D * A * D^T for the 64x64 grid A: T = D * A (16x64), then B[i][j] = sum over k of T[i][k] * D[j][k], sums
 * from 0 with k ascending. `d` is D (16x64), `dt` its transpose (64x16), both filled by the caller.
 */
export function dct(grid: usize, d: usize, dt: usize, t: usize, out: usize): void {
  for (let i = 0; i < 16; i++) {
    const di = d + <usize>(i * 256);
    for (let j = 0; j < 64; j += 16) {
      let s0 = f32x4.splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      let p = grid + <usize>(j * 4);
      for (let k = 0; k < 64; k++, p += 256) {
        const dk = v128.load32_splat(di + <usize>(k * 4));
        s0 = f32x4.add(s0, f32x4.mul(dk, v128.load(p)));
        s1 = f32x4.add(s1, f32x4.mul(dk, v128.load(p, 16)));
        s2 = f32x4.add(s2, f32x4.mul(dk, v128.load(p, 32)));
        s3 = f32x4.add(s3, f32x4.mul(dk, v128.load(p, 48)));
      }
      const o = t + <usize>((i * 64 + j) * 4);
      v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
    }
  }
  for (let i = 0; i < 16; i++) {
    const ti = t + <usize>(i * 256);
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let p = dt;
    for (let k = 0; k < 64; k++, p += 64) {
      const tk = v128.load32_splat(ti + <usize>(k * 4));
      s0 = f32x4.add(s0, f32x4.mul(tk, v128.load(p)));
      s1 = f32x4.add(s1, f32x4.mul(tk, v128.load(p, 16)));
      s2 = f32x4.add(s2, f32x4.mul(tk, v128.load(p, 32)));
      s3 = f32x4.add(s3, f32x4.mul(tk, v128.load(p, 48)));
    }
    const o = out + <usize>(i * 64);
    v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  }
}

@inline function gradient(a: f32, b: f32): i32 {
  return abs<i32>(<i32>((a - b) * <f32>100 / <f32>255));
}

/** PDQ quality of the 64x64 grid: summed |trunc((a - b) * 100 / 255)| over neighbours, / 90, at most 100. */
export function quality(grid: usize): i32 {
  let acc = i32x4.splat(0);
  const hundred = f32x4.splat(100);
  const scale = f32x4.splat(255);
  for (let i = 0; i < 63; i++) {
    const p = grid + <usize>(i * 256);
    for (let j = 0; j < 64; j += 4) {
      const q = p + <usize>(j * 4);
      const d = f32x4.div(f32x4.mul(f32x4.sub(v128.load(q), v128.load(q + 256)), hundred), scale);
      acc = i32x4.add(acc, i32x4.abs(i32x4.trunc_sat_f32x4_s(d)));
    }
  }
  let sum = 0;
  for (let i = 0; i < 64; i++) {
    const p = grid + <usize>(i * 256);
    for (let j = 0; j < 60; j += 4) {
      const q = p + <usize>(j * 4);
      const d = f32x4.div(f32x4.mul(f32x4.sub(v128.load(q), v128.load(q + 4)), hundred), scale);
      acc = i32x4.add(acc, i32x4.abs(i32x4.trunc_sat_f32x4_s(d)));
    }
    for (let j = 60; j < 63; j++) sum += gradient(load<f32>(p + <usize>(j * 4)), load<f32>(p + <usize>(j * 4 + 4)));
  }
  sum += i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  return min(100, sum / 90);
}

/** The k-th smallest of n floats at p (reordered in place): Hoare quickselect. */
function select(p: usize, n: i32, k: i32): f32 {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = load<f32>(p + <usize>(((lo + hi) >> 1) * 4));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (load<f32>(p + <usize>(i * 4)) < pivot) i++;
      while (load<f32>(p + <usize>(j * 4)) > pivot) j--;
      if (i <= j) {
        const t = load<f32>(p + <usize>(i * 4));
        store<f32>(p + <usize>(i * 4), load<f32>(p + <usize>(j * 4)));
        store<f32>(p + <usize>(j * 4), t);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return load<f32>(p + <usize>(k * 4));
}

/** Bits of 256 coefficients above their lower median (the 128th smallest) into 8 u32 words; `scratch` 1 KB. */
export function threshold(coefficients: usize, scratch: usize, words: usize): void {
  memory.copy(scratch, coefficients, 1024);
  const m = f32x4.splat(select(scratch, 256, 127));
  for (let w = 0; w < 8; w++) {
    let bits: u32 = 0;
    for (let k = 0; k < 32; k += 4) {
      bits |= <u32>i32x4.bitmask(f32x4.gt(v128.load(coefficients + <usize>((w * 32 + k) * 4)), m)) << k;
    }
    store<u32>(words + <usize>(w * 4), bits);
  }
}
export * from './picture';
export * from './picture-boxes';
