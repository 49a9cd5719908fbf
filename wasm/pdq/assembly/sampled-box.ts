/**
 * Pass 3 of the blur with the decimation folded in (video frames hash at every frame, so this pass matters):
 * the horizontal box filter keeps its running sums over every column, in the same order of float32 operations
 * as boxFour in pdq-simd.ts, but divides and stores only at the 64 sampled columns, where the full pass divided
 * and stored at every column and then kept 64. Same floats bit for bit.
 */

/** Rows r..r+15 (lanes of the 4 vectors v0..v3, see the strip layout in pdq-simd.ts) of column j into `out`. */
@inline function putColumn(out: usize, j: i32, v0: v128, v1: v128, v2: v128, v3: v128): void {
  const q = out + <usize>(j * 4);
  store<f32>(q, f32x4.extract_lane(v0, 0)); store<f32>(q + 256, f32x4.extract_lane(v0, 1));
  store<f32>(q + 512, f32x4.extract_lane(v0, 2)); store<f32>(q + 768, f32x4.extract_lane(v0, 3));
  store<f32>(q + 1024, f32x4.extract_lane(v1, 0)); store<f32>(q + 1280, f32x4.extract_lane(v1, 1));
  store<f32>(q + 1536, f32x4.extract_lane(v1, 2)); store<f32>(q + 1792, f32x4.extract_lane(v1, 3));
  store<f32>(q + 2048, f32x4.extract_lane(v2, 0)); store<f32>(q + 2304, f32x4.extract_lane(v2, 1));
  store<f32>(q + 2560, f32x4.extract_lane(v2, 2)); store<f32>(q + 2816, f32x4.extract_lane(v2, 3));
  store<f32>(q + 3072, f32x4.extract_lane(v3, 0)); store<f32>(q + 3328, f32x4.extract_lane(v3, 1));
  store<f32>(q + 3584, f32x4.extract_lane(v3, 2)); store<f32>(q + 3840, f32x4.extract_lane(v3, 3));
}

/**
 * boxFour of pdq-simd.ts along a transposed strip (`src`, 64 bytes a column, n columns, window w), giving only the
 * columns listed at `sampleCols` (64 i32, ascending; repeats allowed) as 16 rows of 64 floats at `out` (row
 * stride 256 bytes).
 */
export function boxSampledColumns(src: usize, n: i32, w: i32, sampleCols: usize, out: usize): void {
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
  let o = 0; // output column
  let j = 0; // next sample
  let next = load<i32>(sampleCols);
  let count = 0;
  for (let i = 0; i < p1; i++, ri += 64) {
    s0 = f32x4.add(s0, v128.load(ri)); s1 = f32x4.add(s1, v128.load(ri, 16));
    s2 = f32x4.add(s2, v128.load(ri, 32)); s3 = f32x4.add(s3, v128.load(ri, 48));
    count++;
  }
  for (let i = 0; i < p2; i++, ri += 64, o++) {
    count++;
    s0 = f32x4.add(s0, v128.load(ri)); s1 = f32x4.add(s1, v128.load(ri, 16));
    s2 = f32x4.add(s2, v128.load(ri, 32)); s3 = f32x4.add(s3, v128.load(ri, 48));
    if (o == next) {
      const d = f32x4.splat(<f32>count);
      const v0 = f32x4.div(s0, d); const v1 = f32x4.div(s1, d); const v2 = f32x4.div(s2, d); const v3 = f32x4.div(s3, d);
      while (j < 64 && next == o) { putColumn(out, j, v0, v1, v2, v3); j++; next = j < 64 ? load<i32>(sampleCols + <usize>(j * 4)) : -1; }
    }
  }
  const dw = f32x4.splat(<f32>count);
  for (let i = 0; i < p3; i++, ri += 64, li += 64, o++) {
    s0 = f32x4.sub(f32x4.add(s0, v128.load(ri)), v128.load(li));
    s1 = f32x4.sub(f32x4.add(s1, v128.load(ri, 16)), v128.load(li, 16));
    s2 = f32x4.sub(f32x4.add(s2, v128.load(ri, 32)), v128.load(li, 32));
    s3 = f32x4.sub(f32x4.add(s3, v128.load(ri, 48)), v128.load(li, 48));
    if (o == next) {
      const v0 = f32x4.div(s0, dw); const v1 = f32x4.div(s1, dw); const v2 = f32x4.div(s2, dw); const v3 = f32x4.div(s3, dw);
      while (j < 64 && next == o) { putColumn(out, j, v0, v1, v2, v3); j++; next = j < 64 ? load<i32>(sampleCols + <usize>(j * 4)) : -1; }
    }
  }
  for (let i = 0; i < p4; i++, li += 64, o++) {
    count--;
    s0 = f32x4.sub(s0, v128.load(li)); s1 = f32x4.sub(s1, v128.load(li, 16));
    s2 = f32x4.sub(s2, v128.load(li, 32)); s3 = f32x4.sub(s3, v128.load(li, 48));
    if (o == next) {
      const d = f32x4.splat(<f32>count);
      const v0 = f32x4.div(s0, d); const v1 = f32x4.div(s1, d); const v2 = f32x4.div(s2, d); const v3 = f32x4.div(s3, d);
      while (j < 64 && next == o) { putColumn(out, j, v0, v1, v2, v3); j++; next = j < 64 ? load<i32>(sampleCols + <usize>(j * 4)) : -1; }
    }
  }
}
