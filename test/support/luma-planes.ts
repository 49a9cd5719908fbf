/**
 * Synthetic luma planes for the picture tests: smooth waves and blocks, deterministic by seed, and the edits the
 * robust signals are built for (frames, bars, crops), done on planes so the core tests need no decoder.
 * Test support (the core picture tests import it).
 */
import type { LumaPlane } from '../../src/core/picture/luma-plane.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A scene: a few waves at random low frequencies and a few bright or dark blocks. */
export function scenePlane(width: number, height: number, seed: number): LumaPlane {
  const rnd = lcg(seed);
  const waves = Array.from({ length: 4 }, () => ({ fx: (1 + rnd() * 5) / width, fy: (1 + rnd() * 5) / height, ph: rnd() * 6.28, amp: 20 + rnd() * 30 }));
  const blocks = Array.from({ length: 5 }, () => ({ x: rnd() * width, y: rnd() * height, w: (0.1 + rnd() * 0.3) * width, h: (0.1 + rnd() * 0.3) * height, v: rnd() * 255 }));
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 128;
      for (const w of waves) v += w.amp * Math.sin(2 * Math.PI * (w.fx * x + w.fy * y) + w.ph);
      for (const b of blocks) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) v = 0.5 * v + 0.5 * b.v;
      data[y * width + x] = Math.max(0, Math.min(255, v));
    }
  }
  return { width, height, data };
}

/** The plane inside a frame of `px` pixels of one value on every side. */
export function framePlane(p: LumaPlane, px: number, value: number): LumaPlane {
  const width = p.width + 2 * px;
  const height = p.height + 2 * px;
  const data = new Float32Array(width * height).fill(value);
  for (let y = 0; y < p.height; y++) data.set(p.data.subarray(y * p.width, (y + 1) * p.width), (y + px) * width + px);
  return { width, height, data };
}

/** A rectangle cut out of a plane. */
export function cropPlane(p: LumaPlane, x0: number, y0: number, w: number, h: number): LumaPlane {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) data.set(p.data.subarray((y + y0) * p.width + x0, (y + y0) * p.width + x0 + w), y * w);
  return { width: w, height: h, data };
}

/** Nearest-neighbour resize (a re-post is usually a different size). */
export function resizePlane(p: LumaPlane, width: number, height: number): LumaPlane {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(p.height - 1, Math.floor(((y + 0.5) * p.height) / height));
    for (let x = 0; x < width; x++) data[y * width + x] = p.data[sy * p.width + Math.min(p.width - 1, Math.floor(((x + 0.5) * p.width) / width))];
  }
  return { width, height, data };
}
