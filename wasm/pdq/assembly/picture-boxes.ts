/**
 * The robust signals' box finding (src/core/picture/content-box.ts, rotation.ts) in WebAssembly: flat borders
 * trimmed, a screenshot's background rows and columns, a tilted picture's fill edges, on a float32 plane already in
 * the module's memory (the plane of the summed-area table made last). The same comparisons, counts and float64
 * divisions as the JS, in the same order, so the boxes and tilts are the JS core's. No allocation: the caller
 * (src/core/picture/wasm/picture-wasm.ts) passes pointers.
 */

/** Content-box constants (content-box.ts): a flat line's largest spread, the least share of a side kept. */
const FLAT_SPREAD: f64 = 12;
const MIN_CONTENT_SHARE: f64 = 0.2;

/**
 * isFlatLine (content-box.ts) on a `w`-wide float32 plane: the line `index` (a row, or a column when not `isRow`)
 * from `from` to `to`, with the same comparisons in the same order (float32 values compared as the JS compares
 * them; the spread taken in float64, as the JS subtracts). `low` and `high` are scratch of floor(2% n) + 1 and
 * n - ceil(98% n) + 1 float32 (the caller checks the line is short enough for its scratch).
 */
function flatLine(plane: usize, w: i32, index: i32, isRow: bool, from: i32, to: i32, low: usize, high: usize): bool {
  const step = isRow ? 1 : w;
  const n = to - from;
  const lo = <i32>floor(<f64>n * 0.02);
  const hi = n - 1 - min<i32>(n - 1, <i32>ceil(<f64>n * 0.98) - 1);
  for (let j = 0; j <= lo; j++) store<f32>(low + (<usize>j << 2), Infinity);
  for (let j = 0; j <= hi; j++) store<f32>(high + (<usize>j << 2), -Infinity);
  let lowBar: f32 = Infinity;
  let highBar: f32 = -Infinity;
  let i = (isRow ? index * w : index) + from * step;
  for (let k = 0; k < n; k++, i += step) {
    const x = load<f32>(plane + (<usize>i << 2));
    if (x < lowBar) {
      let j = lo;
      while (j > 0 && load<f32>(low + (<usize>(j - 1) << 2)) > x) {
        store<f32>(low + (<usize>j << 2), load<f32>(low + (<usize>(j - 1) << 2)));
        j--;
      }
      store<f32>(low + (<usize>j << 2), x);
      lowBar = load<f32>(low + (<usize>lo << 2));
      if (<f64>highBar - <f64>lowBar > FLAT_SPREAD) return false;
    }
    if (x > highBar) {
      let j = hi;
      while (j > 0 && load<f32>(high + (<usize>(j - 1) << 2)) < x) {
        store<f32>(high + (<usize>j << 2), load<f32>(high + (<usize>(j - 1) << 2)));
        j--;
      }
      store<f32>(high + (<usize>j << 2), x);
      highBar = load<f32>(high + (<usize>hi << 2));
      if (<f64>highBar - <f64>lowBar > FLAT_SPREAD) return false;
    }
  }
  return <f64>highBar - <f64>lowBar <= FLAT_SPREAD;
}

/**
 * trimFlatBorders (content-box.ts) on a `w` x `h` float32 plane: flat rows and columns trimmed off every edge of the
 * box at `box` (4 i32: x0, y0, x1, y1; integers), repeatedly, in the JS order; the box is updated in place.
 * `low` and `high` are flatLine's scratch.
 */
export function trimFlatBorders(plane: usize, w: i32, h: i32, box: usize, low: usize, high: usize): void {
  let x0 = load<i32>(box);
  let y0 = load<i32>(box, 4);
  let x1 = load<i32>(box, 8);
  let y1 = load<i32>(box, 12);
  const minW = max<i32>(2, <i32>ceil(<f64>w * MIN_CONTENT_SHARE));
  const minH = max<i32>(2, <i32>ceil(<f64>h * MIN_CONTENT_SHARE));
  let changed = true;
  while (changed) {
    changed = false;
    while (y1 - y0 > minH && flatLine(plane, w, y0, true, x0, x1, low, high)) { y0++; changed = true; }
    while (y1 - y0 > minH && flatLine(plane, w, y1 - 1, true, x0, x1, low, high)) { y1--; changed = true; }
    while (x1 - x0 > minW && flatLine(plane, w, x0, false, y0, y1, low, high)) { x0++; changed = true; }
    while (x1 - x0 > minW && flatLine(plane, w, x1 - 1, false, y0, y1, low, high)) { x1--; changed = true; }
  }
  store<i32>(box, x0);
  store<i32>(box, y0, 4);
  store<i32>(box, x1, 8);
  store<i32>(box, y1, 12);
}

/** Fill and content differ by more than this (rotation.ts). */
const FILL_TOLERANCE: f64 = 14;

/**
 * fillEdges (rotation.ts) on a `w` x `h` float32 plane: each side's distance to the first pixel more than
 * FILL_TOLERANCE from `fill`, up to half the side (-1: none), as float64 into `left` and `right` (h each), `top`
 * and `bottom` (w each), with the JS comparisons (the difference taken in float64).
 */
export function fillEdges(plane: usize, w: i32, h: i32, fill: f64, left: usize, right: usize, top: usize, bottom: usize): void {
  const halfW = <f64>w / 2;
  const halfH = <f64>h / 2;
  for (let y = 0; y < h; y++) {
    const o = plane + (<usize>(y * w) << 2);
    let l: f64 = -1;
    for (let k = 0; <f64>k < halfW; k++) if (abs<f64>(<f64>load<f32>(o + (<usize>k << 2)) - fill) > FILL_TOLERANCE) { l = k; break; }
    store<f64>(left + (<usize>y << 3), l);
    let r: f64 = -1;
    for (let k = 0; <f64>k < halfW; k++) if (abs<f64>(<f64>load<f32>(o + (<usize>(w - 1 - k) << 2)) - fill) > FILL_TOLERANCE) { r = k; break; }
    store<f64>(right + (<usize>y << 3), r);
  }
  columnEdge(plane, w, h, halfH, fill, top, false);
  columnEdge(plane, w, h, halfH, fill, bottom, true);
}

/** fillEdges' columns from the top (or the bottom), row by row until every column has met content. */
function columnEdge(plane: usize, w: i32, h: i32, halfH: f64, fill: f64, out: usize, fromBottom: bool): void {
  for (let x = 0; x < w; x++) store<f64>(out + (<usize>x << 3), -1);
  let open = w;
  for (let k = 0; <f64>k < halfH && open > 0; k++) {
    const o = plane + (<usize>((fromBottom ? h - 1 - k : k) * w) << 2);
    for (let x = 0; x < w; x++) {
      const p = out + (<usize>x << 3);
      if (load<f64>(p) < 0 && abs<f64>(<f64>load<f32>(o + (<usize>x << 2)) - fill) > FILL_TOLERANCE) {
        store<f64>(p, <f64>k);
        open--;
      }
    }
  }
}

/** A screenshot's background (content-box.ts): a pixel within this of it, a row or column this share of such. */
const BACKGROUND_TOLERANCE: f64 = 10;
const BACKGROUND_SHARE: f64 = 0.7;

/**
 * rowsMostlyOther (content-box.ts) on a `w` x `h` float32 plane: for each row, 1 (a byte at `out`) when under
 * BACKGROUND_SHARE of its pixels are within BACKGROUND_TOLERANCE of `bg`, as the JS counts and divides (float64).
 */
export function rowsMostlyOther(plane: usize, w: i32, h: i32, bg: f64, out: usize): void {
  for (let y = 0; y < h; y++) {
    const o = plane + (<usize>(y * w) << 2);
    let n = 0;
    for (let x = 0; x < w; x++) if (abs<f64>(<f64>load<f32>(o + (<usize>x << 2)) - bg) <= BACKGROUND_TOLERANCE) n++;
    store<u8>(out + <usize>y, <u8>(<f64>n / <f64>w < BACKGROUND_SHARE));
  }
}

/**
 * columnsMostlyOther (content-box.ts): for each column of a `w`-wide float32 plane, 1 (a byte at `out`) when under
 * BACKGROUND_SHARE of its pixels from row `from` to `to` are within BACKGROUND_TOLERANCE of `bg`; counted row by
 * row into `near` (w i32, scratch).
 */
export function columnsMostlyOther(plane: usize, w: i32, from: i32, to: i32, bg: f64, near: usize, out: usize): void {
  memory.fill(near, 0, <usize>w << 2);
  for (let y = from; y < to; y++) {
    const o = plane + (<usize>(y * w) << 2);
    for (let x = 0; x < w; x++) {
      if (abs<f64>(<f64>load<f32>(o + (<usize>x << 2)) - bg) <= BACKGROUND_TOLERANCE) {
        const p = near + (<usize>x << 2);
        store<i32>(p, load<i32>(p) + 1);
      }
    }
  }
  for (let x = 0; x < w; x++) store<u8>(out + <usize>x, <u8>(<f64>load<i32>(near + (<usize>x << 2)) / <f64>(to - from) < BACKGROUND_SHARE));
}
