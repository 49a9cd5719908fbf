/**
 * The robust signals' pixel work (src/core/picture) in WebAssembly: the luma plane, the summed-area table, the 64x64
 * grid of a region, region_dct's low DCT, region_mag's low Fourier sums and the SimHash of both. Every function does
 * the float64 (and float32) operations of its JS counterpart in the same order, lane by lane where it uses SIMD
 * (wasm has no fused multiply-add), or operations proven to give the same floats (a sum that is exact in any order,
 * an addition of +0, w * 1), so the values are the JS core's bit for bit; what is not exact across engines
 * (Math.cos, Math.log, Math.hypot) stays in JS: the tables are filled by the caller and the magnitudes' logs are
 * taken there. No allocation: the caller (src/core/picture/wasm/picture-wasm.ts) lays out the memory and passes
 * pointers; every buffer is 16-byte aligned.
 */

/**
 * lumaPlaneFromPixels (core/picture/luma-plane.ts): area-averages `w` x `h` pixels of `channels` bytes down to an
 * `ow` x `oh` float32 plane. `cellX`/`shareX` (i32 / f64, w entries) and `cellY`/`shareY` (h entries) are the area
 * splits; `rows` (ow * oh + 2 f64), `line` (2 x (ow + 2) f64), `lumas` (2 x (w + 4) f64) and `firsts` (ow + 1
 * i32) are scratch.
 */
export function lumaPlane(px: usize, channels: i32, w: i32, h: i32, cellX: usize, shareX: usize, cellY: usize, shareY: usize,
  ow: i32, oh: i32, area: f64, rows: usize, line: usize, lumas: usize, firsts: usize, out: usize): void {
  const rowBytes = <usize>w * <usize>channels;
  if (ow == w && oh == h) {
    // Not reduced: every pixel is its own cell and its own row (share 1), area 1, so the JS sums are 0 + (0 + v)
    // and v / 1: v itself (never -0), made float32 as the row's luma is made (no float64 row in between).
    for (let y = 0; y < h; y++) lumaRow(px + <usize>y * rowBytes, channels, w, out + (<usize>(y * w) << 2), true);
    return;
  }
  memory.fill(rows, 0, <usize>(ow * oh + 2) * 8);
  // Each output cell's first pixel, and w past the last. The plane is never larger than the picture, so a pixel's
  // cell is its left neighbour's or the next one: every cell is a run of pixels, all of share 1 but maybe the last
  // (it straddles the cell's right edge; never in the last cell).
  store<i32>(firsts, 0);
  for (let x = 1; x < w; x++) {
    const c = load<i32>(cellX + (<usize>x << 2));
    if (c != load<i32>(cellX + (<usize>(x - 1) << 2))) store<i32>(firsts + (<usize>c << 2), x);
  }
  store<i32>(firsts + (<usize>ow << 2), w);
  // Two rows at a time, one per lane (`line` holds both, interleaved): each lane does its row's float64 operations
  // of the JS loop in the JS order, and the rows are then added into `rows` in order (row y before row y + 1), so
  // the sums are the JS ones; the two rows' chains of additions run side by side. An odd last row runs alone (its
  // lane 1 a copy, unused).
  // Pairs of output cells at a time: an odd width adds the line's zeroed padding cell (+0) past the row.
  const lineFill = <usize>((ow + 1) & ~1) * 16;
  const lumasB = lumas + (<usize>(w + 4) << 3);
  const lineBytes = <usize>ow * 8;
  const zero = f64x2.splat(0);
  for (let y = 0; y < h; y += 2) {
    const pair = y + 1 < h;
    memory.fill(line, 0, lineFill);
    lumaRow(px + <usize>y * rowBytes, channels, w, lumas, false);
    if (pair) lumaRow(px + <usize>(y + 1) * rowBytes, channels, w, lumasB, false);
    const second = pair ? lumasB : lumas;
    // The JS line[c] += v (share 1) or v * f (and line[c + 1] += v * (1 - f)), cell by cell: a cell's sum starts
    // from what the previous cell's straddling pixel left it (0 + v * (1 - f) is that product: never -0) or +0,
    // then adds its pixels in order, its own straddling pixel last. The same sums in the same order, without a
    // multiplication for the pixels of share 1 (v * 1 is v, the JS adds v).
    let carry = zero;
    let x = 0;
    for (let c = 0; c < ow; c++) {
      const last = load<i32>(firsts + (<usize>(c + 1) << 2)) - 1;
      let acc = carry;
      for (; x < last; x++) {
        const xo = <usize>x << 3;
        acc = f64x2.add(acc, v128.load64_lane(second + xo, v128.load64_splat(lumas + xo), 1));
      }
      const xo = <usize>last << 3;
      const v = v128.load64_lane(second + xo, v128.load64_splat(lumas + xo), 1);
      const f = load<f64>(shareX + xo);
      if (f == 1) {
        acc = f64x2.add(acc, v);
        carry = zero;
      } else {
        acc = f64x2.add(acc, f64x2.mul(v, f64x2.splat(f)));
        carry = f64x2.mul(v, f64x2.splat(1 - f));
      }
      v128.store(line + (<usize>c << 4), acc);
      x = last + 1;
    }
    addLine(line, 0, rows, ow, lineBytes, load<i32>(cellY + (<usize>y << 2)), load<f64>(shareY + (<usize>y << 3)));
    if (pair) addLine(line, 1, rows, ow, lineBytes, load<i32>(cellY + (<usize>(y + 1) << 2)), load<f64>(shareY + (<usize>(y + 1) << 3)));
  }
  const n = ow * oh;
  const av = f64x2.splat(area);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    v128.store64_lane(out + (<usize>i << 2), f32x4.demote_f64x2_zero(f64x2.div(v128.load(rows + (<usize>i << 3)), av)), 0);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(load<f64>(rows + (<usize>i << 3)) / area));
}

/**
 * Adds lane `lane` of the interleaved line (two rows' cells, 16 bytes a cell) into output row `c` of `rows` with
 * share `f` (and row c + 1 with 1 - f), as the JS rows[o + j] += line[j] (* g, and line[j] * (1 - g) below).
 */
@inline function addLine(line: usize, lane: i32, rows: usize, ow: i32, lineBytes: usize, c: i32, f: f64): void {
  const o = rows + <usize>(c * ow) * 8;
  const src = line + (<usize>lane << 3);
  if (f == 1) {
    for (let j = 0; j < ow; j += 2) {
      const q = o + (<usize>j << 3);
      const a = src + (<usize>j << 4);
      const l = v128.load64_lane(a + 16, v128.load64_zero(a), 1);
      v128.store(q, f64x2.add(v128.load(q), l));
    }
  } else {
    const fv = f64x2.splat(f);
    const gv = f64x2.splat(1 - f);
    const o1 = o + lineBytes;
    for (let j = 0; j < ow; j += 2) {
      const a = src + (<usize>j << 4);
      const l = v128.load64_lane(a + 16, v128.load64_zero(a), 1);
      const q = o + (<usize>j << 3);
      const q1 = o1 + (<usize>j << 3);
      v128.store(q, f64x2.add(v128.load(q), f64x2.mul(l, fv)));
      v128.store(q1, f64x2.add(v128.load(q1), f64x2.mul(l, gv)));
    }
  }
}

/**
 * One row's luma (luma-plane.ts) as float64 into `dst` (w entries, and up to 3 more written past them: scratch),
 * or, `narrow`, each made float32 (the identity plane's values): the first byte for 1 or 2 channels; else PDQ's
 * weights, ((0.299 r + 0.587 g) + 0.114 b) as in JS, a grey pixel exactly its own value. Four pixels at a time for
 * 3 and 4 channels (reading up to 16 bytes past the row's last group: the caller's layout has them). Inlined, so
 * that `narrow` is a constant in each copy.
 */
@inline function lumaRow(p: usize, channels: i32, w: i32, dst: usize, narrow: bool): void {
  if (channels <= 2) {
    if (narrow) for (let x = 0; x < w; x++, p += channels) store<f32>(dst + (<usize>x << 2), <f32>load<u8>(p));
    else for (let x = 0; x < w; x++, p += channels) store<f64>(dst + (<usize>x << 3), <f64>load<u8>(p));
    return;
  }
  const kr = f64x2.splat(0.299);
  const kg = f64x2.splat(0.587);
  const kb = f64x2.splat(0.114);
  // Indices -1 (out of range) give byte 0: one byte swizzle per channel.
  for (let x = 0; x < w; x += 4, dst += narrow ? 16 : 32) {
    const v = v128.load(p);
    let r: v128, g: v128, b: v128;
    if (channels == 3) {
      r = i8x16.swizzle(v, i8x16(0, -1, -1, -1, 3, -1, -1, -1, 6, -1, -1, -1, 9, -1, -1, -1));
      g = i8x16.swizzle(v, i8x16(1, -1, -1, -1, 4, -1, -1, -1, 7, -1, -1, -1, 10, -1, -1, -1));
      b = i8x16.swizzle(v, i8x16(2, -1, -1, -1, 5, -1, -1, -1, 8, -1, -1, -1, 11, -1, -1, -1));
      p += 12;
    } else {
      r = i8x16.swizzle(v, i8x16(0, -1, -1, -1, 4, -1, -1, -1, 8, -1, -1, -1, 12, -1, -1, -1));
      g = i8x16.swizzle(v, i8x16(1, -1, -1, -1, 5, -1, -1, -1, 9, -1, -1, -1, 13, -1, -1, -1));
      b = i8x16.swizzle(v, i8x16(2, -1, -1, -1, 6, -1, -1, -1, 10, -1, -1, -1, 14, -1, -1, -1));
      p += <usize>channels << 2;
    }
    const grey = v128.and(i32x4.eq(r, g), i32x4.eq(r, b));
    const r0 = f64x2.convert_low_i32x4_s(r);
    const r1 = f64x2.convert_low_i32x4_s(i32x4.shuffle(r, r, 2, 3, 0, 1));
    const l0 = f64x2.add(f64x2.add(f64x2.mul(kr, r0), f64x2.mul(kg, f64x2.convert_low_i32x4_s(g))), f64x2.mul(kb, f64x2.convert_low_i32x4_s(b)));
    const l1 = f64x2.add(f64x2.add(f64x2.mul(kr, r1), f64x2.mul(kg, f64x2.convert_low_i32x4_s(i32x4.shuffle(g, g, 2, 3, 0, 1)))),
      f64x2.mul(kb, f64x2.convert_low_i32x4_s(i32x4.shuffle(b, b, 2, 3, 0, 1))));
    const v0 = v128.bitselect(r0, l0, i64x2.extend_low_i32x4_s(grey));
    const v1 = v128.bitselect(r1, l1, i64x2.extend_high_i32x4_s(grey));
    if (narrow) v128.store(dst, i64x2.shuffle(f32x4.demote_f64x2_zero(v0), f32x4.demote_f64x2_zero(v1), 0, 2));
    else {
      v128.store(dst, v0);
      v128.store(dst, v1, 16);
    }
  }
}

/**
 * areaTable (core/picture/region-grid.ts): the (w+1) x (h+1) summed-area table of a w x h float32 plane. Two rows
 * at a time, one per lane of the running row sums (each lane adds its row's values in order from 0, as the JS row
 * sum does); row y + 1's entries are then row y's new entries plus its own running sum, as in JS.
 */
export function areaTable(plane: usize, w: i32, h: i32, sums: usize): void {
  const w1 = <usize>(w + 1);
  const rowBytes = w1 * 8;
  memory.fill(sums, 0, rowBytes);
  let y = 0;
  for (; y + 1 < h; y += 2) {
    const prev = sums + <usize>y * rowBytes;
    const oa = prev + rowBytes;
    const ob = oa + rowBytes;
    const srcA = plane + <usize>(y * w) * 4;
    const srcB = srcA + <usize>w * 4;
    store<f64>(oa, 0);
    store<f64>(ob, 0);
    let row = f64x2.splat(0);
    for (let x = 0; x < w; x++) {
      const xo = <usize>x << 2;
      row = f64x2.add(row, f64x2.promote_low_f32x4(v128.load32_lane(srcB + xo, v128.load32_zero(srcA + xo), 1)));
      const k = <usize>(x + 1) << 3;
      const a = load<f64>(prev + k) + f64x2.extract_lane(row, 0);
      store<f64>(oa + k, a);
      store<f64>(ob + k, a + f64x2.extract_lane(row, 1));
    }
  }
  if (y < h) {
    let row: f64 = 0;
    const o = sums + <usize>(y + 1) * rowBytes;
    const prev = sums + <usize>y * rowBytes;
    const src = plane + <usize>(y * w) * 4;
    store<f64>(o, 0);
    for (let x = 0; x < w; x++) {
      row += <f64>load<f32>(src + (<usize>x << 2));
      const k = <usize>(x + 1) << 3;
      store<f64>(o + k, load<f64>(prev + k) + row);
    }
  }
}

// Scratch of regionGrid (offsets into its `scratch` argument, bytes): corners' coordinates, cells and fractions,
// one minus each column's fraction, cell widths, and the 65 x 65 area integrals.
const XS: usize = 0;
const YS: usize = 528;
const FX: usize = 1056;
const FY: usize = 1584;
const IX: usize = 2112;
const IY: usize = 2384;
const WIDTHS: usize = 2656;
const ROWS: usize = 3184;
const GX1: usize = 3184 + 65 * 65 * 8 + 8;
/** Bytes of scratch regionGrid needs. */
export const REGION_SCRATCH_BYTES: i32 = 3184 + 65 * 65 * 8 + 8 + 528;

/** corner (region-grid.ts): clamped coordinate, its cell (clamped to the last) and the fraction past it. */
@inline function corner(v: f64, side: i32, cells: usize, fracs: usize, k: i32): void {
  const c = min<f64>(max<f64>(v, 0), <f64>side);
  const i = min<f64>(floor<f64>(c), <f64>(side - 1));
  store<i32>(cells + (<usize>k << 2), <i32>i);
  store<f64>(fracs + (<usize>k << 3), c - i);
}

/**
 * regionGrid64 (region-grid.ts): the 64x64 float32 grid of cell means over the rectangle (x0, y0)-(x1, y1) of a
 * tw x th plane, from its summed-area table `sums`. Two columns at a time: each lane does one column's float64
 * operations in the JS order (1 - gx is the same float whether computed once per column or at every use).
 */
export function regionGrid(sums: usize, tw: i32, th: i32, x0: f64, y0: f64, x1: f64, y1: f64, grid: usize, scratch: usize): void {
  const xs = scratch + XS;
  const ys = scratch + YS;
  const fx = scratch + FX;
  const fy = scratch + FY;
  const ix = scratch + IX;
  const iy = scratch + IY;
  const widths = scratch + WIDTHS;
  const rows = scratch + ROWS;
  const gx1 = scratch + GX1;
  for (let i = 0; i <= 64; i++) {
    const x = x0 + ((x1 - x0) * <f64>i) / 64;
    const y = y0 + ((y1 - y0) * <f64>i) / 64;
    store<f64>(xs + (<usize>i << 3), x);
    store<f64>(ys + (<usize>i << 3), y);
    corner(x, tw, ix, fx, i);
    corner(y, th, iy, fy, i);
    store<f64>(gx1 + (<usize>i << 3), 1 - load<f64>(fx + (<usize>i << 3)));
  }
  const w1 = <usize>(tw + 1);
  for (let i = 0; i <= 64; i++) {
    const top = sums + <usize>load<i32>(iy + (<usize>i << 2)) * w1 * 8;
    const bottom = top + w1 * 8;
    const gy = load<f64>(fy + (<usize>i << 3));
    const gy1 = 1 - gy;
    const gyv = f64x2.splat(gy);
    const gy1v = f64x2.splat(gy1);
    const o = rows + <usize>(i * 65) * 8;
    for (let j = 0; j < 64; j += 2) {
      const xa = <usize>load<i32>(ix + (<usize>j << 2)) << 3;
      const xb = <usize>load<i32>(ix + (<usize>j << 2), 4) << 3;
      // (a, b) and (c, d) of each column, then regrouped as (a_j, a_j+1), (b_j, b_j+1), ...
      const abA = v128.load(top + xa);
      const abB = v128.load(top + xb);
      const cdA = v128.load(bottom + xa);
      const cdB = v128.load(bottom + xb);
      const a = i64x2.shuffle(abA, abB, 0, 2);
      const b = i64x2.shuffle(abA, abB, 1, 3);
      const c = i64x2.shuffle(cdA, cdB, 0, 2);
      const d = i64x2.shuffle(cdA, cdB, 1, 3);
      const gx = v128.load(fx + (<usize>j << 3));
      const g1 = v128.load(gx1 + (<usize>j << 3));
      let v = f64x2.mul(f64x2.mul(a, g1), gy1v);
      v = f64x2.add(v, f64x2.mul(f64x2.mul(b, gx), gy1v));
      v = f64x2.add(v, f64x2.mul(f64x2.mul(c, g1), gyv));
      v = f64x2.add(v, f64x2.mul(f64x2.mul(d, gx), gyv));
      v128.store(o + (<usize>j << 3), v);
    }
    const x = <usize>load<i32>(ix + 256) << 3;
    const gx = load<f64>(fx + 512);
    const a = load<f64>(top + x);
    const b = load<f64>(top + x, 8);
    const c = load<f64>(bottom + x);
    const d = load<f64>(bottom + x, 8);
    store<f64>(o + 512, a * (1 - gx) * (1 - gy) + b * gx * (1 - gy) + c * (1 - gx) * gy + d * gx * gy);
  }
  const tw64 = <f64>tw;
  const th64 = <f64>th;
  for (let j = 0; j < 64; j++) {
    const a = load<f64>(xs + (<usize>j << 3));
    const b = load<f64>(xs + (<usize>j << 3), 8);
    store<f64>(widths + (<usize>j << 3), max<f64>(0, min<f64>(b, tw64) - max<f64>(a, 0)));
  }
  const tiny = f64x2.splat(1e-6);
  for (let i = 0; i < 64; i++) {
    const a = load<f64>(ys + (<usize>i << 3));
    const b = load<f64>(ys + (<usize>i << 3), 8);
    const height = f64x2.splat(max<f64>(0, min<f64>(b, th64) - max<f64>(a, 0)));
    const r0 = rows + <usize>(i * 65) * 8;
    const r1 = r0 + 65 * 8;
    const g = grid + <usize>(i * 64) * 4;
    for (let j = 0; j < 64; j += 2) {
      const area = f64x2.mul(v128.load(widths + (<usize>j << 3)), height);
      const k = <usize>j << 3;
      const v = f64x2.add(f64x2.sub(f64x2.sub(v128.load(r1 + k, 8), v128.load(r0 + k, 8)), v128.load(r1 + k)), v128.load(r0 + k));
      // area > 1e-6 ? v / area : 0 (a zero lane is +0, as the JS 0 is).
      const mean = v128.and(f64x2.div(v, area), f64x2.gt(area, tiny));
      v128.store64_lane(g + (<usize>j << 2), f32x4.demote_f64x2_zero(mean), 0);
    }
  }
}

/** Two float32 at p as two float64 lanes. */
@inline function load2f32(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/**
 * lowDct (core/picture/coarse-hash.ts): the 8x8 low-frequency DCT of a 64x64 float32 grid into 64 f64 at `out`.
 * `d` is D (8 x 64 f64), `dt` its transpose (64 x 8), `t` scratch of 8 x 64 f64. Sums start from 0 with k
 * ascending, as in JS; the lanes are independent entries.
 */
export function lowDct(grid: usize, d: usize, dt: usize, t: usize, out: usize): void {
  for (let i = 0; i < 8; i++) {
    const di = d + <usize>(i * 512);
    for (let j = 0; j < 64; j += 8) {
      let s0 = f64x2.splat(0);
      let s1 = s0;
      let s2 = s0;
      let s3 = s0;
      let p = grid + <usize>(j * 4);
      for (let k = 0; k < 64; k++, p += 256) {
        const dk = v128.load64_splat(di + (<usize>k << 3));
        s0 = f64x2.add(s0, f64x2.mul(dk, load2f32(p)));
        s1 = f64x2.add(s1, f64x2.mul(dk, load2f32(p + 8)));
        s2 = f64x2.add(s2, f64x2.mul(dk, load2f32(p + 16)));
        s3 = f64x2.add(s3, f64x2.mul(dk, load2f32(p + 24)));
      }
      const o = t + <usize>((i * 64 + j) * 8);
      v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
    }
  }
  for (let i = 0; i < 8; i++) {
    const ti = t + <usize>(i * 512);
    let s0 = f64x2.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let p = dt;
    for (let k = 0; k < 64; k++, p += 64) {
      const tk = v128.load64_splat(ti + (<usize>k << 3));
      s0 = f64x2.add(s0, f64x2.mul(tk, v128.load(p)));
      s1 = f64x2.add(s1, f64x2.mul(tk, v128.load(p, 16)));
      s2 = f64x2.add(s2, f64x2.mul(tk, v128.load(p, 32)));
      s3 = f64x2.add(s3, f64x2.mul(tk, v128.load(p, 48)));
    }
    const o = out + <usize>(i * 64);
    v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
  }
}

/**
 * simHashWords (coarse-hash.ts): the n values' doubled centred ranks (ties in index order) into `ranks` (n i16),
 * then bit k of the 8 words at `words` set when their dot product with plane k (n i16 signs at planes + 2 k n) is
 * positive. n is a multiple of 8. A value's rank counts the values before it that are <= it and those from it on
 * that are < it (the JS b[j] < x || (b[j] === x && j < i), NaN counting nowhere in both), two at a time. Integer
 * sums (at most 64 x 63): exact in any order.
 */
export function simHash(values: usize, n: i32, planes: usize, ranks: usize, words: usize): void {
  for (let i = 0; i < n; i++) {
    const x = load<f64>(values + (<usize>i << 3));
    const xv = f64x2.splat(x);
    let count = i64x2.splat(0);
    const split = i & ~1;
    let j = 0;
    // A true lane is -1: subtracting the masks counts them.
    for (; j < split; j += 2) count = i64x2.sub(count, f64x2.le(v128.load(values + (<usize>j << 3)), xv));
    let r = 0;
    if (i & 1) {
      if (load<f64>(values + (<usize>j << 3)) <= x) r++;
      j += 2;
    }
    for (; j < n; j += 2) count = i64x2.sub(count, f64x2.lt(v128.load(values + (<usize>j << 3)), xv));
    r += <i32>(i64x2.extract_lane(count, 0) + i64x2.extract_lane(count, 1));
    store<i16>(ranks + (<usize>i << 1), <i16>(2 * r - (n - 1)));
  }
  let p = planes;
  for (let w = 0; w < 8; w++) {
    let bits: u32 = 0;
    for (let kk = 0; kk < 32; kk++) {
      let s = i32x4.splat(0);
      for (let j = 0; j < n; j += 8, p += 16) s = i32x4.add(s, i32x4.dot_i16x8_s(v128.load(p), v128.load(ranks + (<usize>j << 1))));
      const total = i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3);
      if (total > 0) bits |= (<u32>1) << kk;
    }
    store<u32>(words + (<usize>w << 2), bits);
  }
}

/**
 * The sum of the 4096 float32 of a grid as float64, as the JS loop adds them one after another. When every value is
 * 0 or of magnitude in [2^-10, 2^8), every value and every partial sum is a multiple of 2^-33 under 2^20 in
 * magnitude, which float64 holds exactly: each addition is exact and their order does not matter, so four lanes
 * sum at once. Otherwise (a tiny value, a negative rounding residue) the values are added in order.
 */
function gridSum(grid: usize): f64 {
  const lo = f32x4.splat(<f32>0.0009765625); // 2^-10
  const hi = f32x4.splat(256);
  const zero = f32x4.splat(0);
  let good = i32x4.splat(-1);
  let s0 = f64x2.splat(0);
  let s1 = s0;
  for (let i = 0; i < 4096; i += 4) {
    const v = v128.load(grid + (<usize>i << 2));
    const m = f32x4.abs(v);
    good = v128.and(good, v128.or(v128.and(f32x4.ge(m, lo), f32x4.lt(m, hi)), f32x4.eq(v, zero)));
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  if (i32x4.all_true(good)) return (f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1)) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  let sum: f64 = 0;
  for (let i = 0; i < 4096; i++) sum += <f64>load<f32>(grid + (<usize>i << 2));
  return sum;
}

/**
 * lowMagnitudes (core/picture/magnitude-hash.ts) up to the magnitudes: the grid's mean removed, the Hann window
 * (`hann`, 64 f64) applied, the sums along y for u = 0..4 and along x for each kept frequency (u, v), |u|, |v| <= 4,
 * u > 0 or v > 0, in that order; (real, imaginary) of each into `out` (80 f64). `cos` and `sin` are 9 x 64 f64
 * (row k + 4 for frequency k), whose row 4 (frequency 0) must be 1 and +-0 (the caller checks): the u = 0 sums
 * are then the plain sums (w * 1 is w) and 0 (+0 plus +-0 stays +0). `pairCos` and `pairSin` (20 x 64 x 2 f64)
 * hold, for the kept frequencies 2p and 2p + 1, their rows of `cos` and `sin` lane by lane, and `freqU` (40 i32)
 * each kept frequency's u: two frequencies are summed at once, one per lane. `w` (4096 f64), `re` and `im`
 * (5 x 64 f64 each) are scratch.
 */
export function magnitudeSums(grid: usize, hann: usize, cos: usize, sin: usize, pairCos: usize, pairSin: usize, freqU: usize,
  w: usize, re: usize, im: usize, out: usize): void {
  const mean = gridSum(grid) / 4096;
  const mv = f64x2.splat(mean);
  for (let y = 0; y < 64; y++) {
    const hy = v128.load64_splat(hann + (<usize>y << 3));
    for (let x = 0; x < 64; x += 2) {
      const i = <usize>(y * 64 + x);
      const v = f64x2.mul(f64x2.mul(f64x2.sub(load2f32(grid + (i << 2)), mv), hy), v128.load(hann + (<usize>x << 3)));
      v128.store(w + (i << 3), v);
    }
  }
  for (let x = 0; x < 64; x += 8) {
    let r0 = f64x2.splat(0);
    let r1 = r0, r2 = r0, r3 = r0;
    for (let y = 0; y < 64; y++) {
      const p = w + (<usize>(y * 64 + x) << 3);
      r0 = f64x2.add(r0, v128.load(p)); r1 = f64x2.add(r1, v128.load(p, 16));
      r2 = f64x2.add(r2, v128.load(p, 32)); r3 = f64x2.add(r3, v128.load(p, 48));
    }
    const q = <usize>x << 3;
    v128.store(re + q, r0); v128.store(re + q, r1, 16); v128.store(re + q, r2, 32); v128.store(re + q, r3, 48);
  }
  memory.fill(im, 0, 64 * 8);
  for (let u = 1; u <= 4; u++) {
    const row = <usize>((u + 4) * 64);
    const o = <usize>(u * 64);
    for (let x = 0; x < 64; x += 8) {
      let r0 = f64x2.splat(0);
      let r1 = r0, r2 = r0, r3 = r0, i0 = r0, i1 = r0, i2 = r0, i3 = r0;
      for (let y = 0; y < 64; y++) {
        const c = v128.load64_splat(cos + ((row + <usize>y) << 3));
        const s = v128.load64_splat(sin + ((row + <usize>y) << 3));
        const p = w + (<usize>(y * 64 + x) << 3);
        const w0 = v128.load(p);
        const w1 = v128.load(p, 16);
        const w2 = v128.load(p, 32);
        const w3 = v128.load(p, 48);
        r0 = f64x2.add(r0, f64x2.mul(w0, c)); i0 = f64x2.add(i0, f64x2.mul(w0, s));
        r1 = f64x2.add(r1, f64x2.mul(w1, c)); i1 = f64x2.add(i1, f64x2.mul(w1, s));
        r2 = f64x2.add(r2, f64x2.mul(w2, c)); i2 = f64x2.add(i2, f64x2.mul(w2, s));
        r3 = f64x2.add(r3, f64x2.mul(w3, c)); i3 = f64x2.add(i3, f64x2.mul(w3, s));
      }
      const q = (o + <usize>x) << 3;
      v128.store(re + q, r0); v128.store(re + q, r1, 16); v128.store(re + q, r2, 32); v128.store(re + q, r3, 48);
      v128.store(im + q, i0); v128.store(im + q, i1, 16); v128.store(im + q, i2, 32); v128.store(im + q, i3, 48);
    }
  }
  for (let k = 0; k < 40; k += 2) {
    const ru0 = re + (<usize>load<i32>(freqU + (<usize>k << 2)) << 9);
    const ru1 = re + (<usize>load<i32>(freqU + (<usize>k << 2), 4) << 9);
    const iu0 = im + (ru0 - re);
    const iu1 = im + (ru1 - re);
    const cp = pairCos + (<usize>k << 9);
    const sp = pairSin + (<usize>k << 9);
    let a = f64x2.splat(0);
    let b = a;
    for (let x = 0; x < 64; x++) {
      const xo = <usize>x << 3;
      const c = v128.load(cp + (xo << 1));
      const s = v128.load(sp + (xo << 1));
      const r = v128.load64_lane(ru1 + xo, v128.load64_splat(ru0 + xo), 1);
      const m = v128.load64_lane(iu1 + xo, v128.load64_splat(iu0 + xo), 1);
      a = f64x2.add(a, f64x2.sub(f64x2.mul(r, c), f64x2.mul(m, s)));
      b = f64x2.add(b, f64x2.add(f64x2.mul(r, s), f64x2.mul(m, c)));
    }
    v128.store(out + (<usize>k << 4), i64x2.shuffle(a, b, 0, 2));
    v128.store(out + (<usize>k << 4), i64x2.shuffle(a, b, 1, 3), 16);
  }
}
