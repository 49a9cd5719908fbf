/**
 * vPDQ against the reference data in ../shared/conformance/vpdq (the heavy video test: every frame of the 14
 * sample videos, about a minute on 2 cores):
 * - every frame of every sample video: same frames as `vpdq/sample-hashes/<name>.txt`, and distance < 31 wherever
 *   both qualities are >= 50 (upstream's own criterion); the share of identical frames is printed;
 * - the same with frames downsampled to 128x128 against `<name>-128x128.txt`;
 * - chair-20-sd-bar.mp4 at 1 fps matches python-threatexchange's expected hashes at 100% / 100%;
 * - the pairwise match matrix: exact from the sample-hash files, within 5 points (same verdicts) from our hashes.
 * Runs once per PDQ engine (UNEXPOSE_PDQ_ENGINE=js, then =wasm), and checks that both give the same hash on every frame.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdqDistance } from '../../src/core/signals/pdq/pdq-hex.js';
import { compareVpdq } from '../../src/core/signals/vpdq/vpdq-compare.js';
import type { VpdqFeature } from '../../src/core/signals/vpdq/vpdq-feature.js';
import { parseVpdqHashFile } from '../../src/core/signals/vpdq/vpdq-format.js';
import { jsonLines, runCli } from '../support/run-cli.js';
import { hasShared, parseSimpleCsv, sharedDir, warnIfNoShared } from '../support/shared-data.js';
import { hasFfmpeg, warnIfNoFfmpeg } from './video-fixtures.js';

warnIfNoShared('vPDQ conformance against ../shared/conformance/vpdq');
warnIfNoFfmpeg('vPDQ conformance');

const root = resolve(sharedDir, 'conformance/vpdq');
const videoDir = resolve(root, 'repo/tmk/sample-videos');
const hashDir = resolve(root, 'repo/vpdq/sample-hashes');
const videos = hasShared ? readdirSync(videoDir).filter((f) => f.endsWith('.mp4')).map((f) => f.replace(/\.mp4$/, '')).sort() : [];

function sampleHashes(name: string): VpdqFeature[] {
  return parseVpdqHashFile(readFileSync(resolve(hashDir, `${name}.txt`), 'utf8'), `${name}.txt`);
}

interface FileCheck { name: string; frames: number; identical: number; maxDistanceBothGood: number; failures: number }

/** Upstream's regression criterion, line by line, plus the count of identical hashes. */
function checkAgainst(name: string, ours: VpdqFeature[], expected: VpdqFeature[]): FileCheck {
  expect(ours.map((f) => f.frame), `${name}: frame numbers`).toEqual(expected.map((f) => f.frame));
  let identical = 0;
  let maxDistanceBothGood = 0;
  let failures = 0;
  ours.forEach((f, i) => {
    const e = expected[i];
    const d = pdqDistance(f.pdq, e.pdq);
    if (d === 0) identical++;
    if (f.quality >= 50 && e.quality >= 50) {
      maxDistanceBothGood = Math.max(maxDistanceBothGood, d);
      if (d >= 31) failures++;
    }
  });
  return { name, frames: ours.length, identical, maxDistanceBothGood, failures };
}

interface VideoLine { path: string; sampling?: string; error?: string; vpdq?: VpdqFeature[] }

/** Hashes videos with the built `unexpose hash` (its worker pool uses both cores), keyed by name. */
async function hashWithCli(names: string[], flags: string[], engine: string): Promise<Map<string, VideoLine>> {
  const run = await runCli(['hash', ...names.map((n) => resolve(videoDir, `${n}.mp4`)), ...flags, '--format', 'jsonl'],
    { env: { UNEXPOSE_PDQ_ENGINE: engine } });
  expect(run.stderr).toBe('');
  const out = new Map<string, VideoLine>();
  for (const line of jsonLines<VideoLine>(run.stdout)) out.set(line.path.replace(/^.*\//, '').replace(/\.mp4$/, ''), line);
  return out;
}

function report(title: string, checks: FileCheck[]): void {
  const frames = checks.reduce((s, c) => s + c.frames, 0);
  const identical = checks.reduce((s, c) => s + c.identical, 0);
  console.log(`${title}: ${identical}/${frames} frames identical (${((100 * identical) / frames).toFixed(1)}%)\n` +
    checks.map((c) => `  ${c.name}: ${c.identical}/${c.frames} identical, max distance ${c.maxDistanceBothGood} where both quality >= 50`).join('\n'));
}

/** Every-frame hashes per engine, to compare the engines with each other. */
const byEngine = new Map<string, Map<string, VpdqFeature[]>>();

describe.skipIf(!hasShared || !hasFfmpeg).each(['js', 'wasm'])('vPDQ conformance (../shared/conformance/vpdq), %s engine', (engine) => {
  const ours = new Map<string, VpdqFeature[]>();
  const hashWith = (names: string[], flags: string[]) => hashWithCli(names, flags, engine);

  beforeAll(async () => {
    for (const [name, line] of await hashWith(videos, ['--every-frame'])) ours.set(name, line.vpdq ?? []);
    byEngine.set(engine, ours);
  }, 600_000);

  it.skipIf(engine === 'js')('gives the same hash and quality on every frame as the JS engine (the wasm run)', () => {
    const js = byEngine.get('js');
    if (!js) throw new Error('the JS engine run did not complete');
    for (const name of videos) expect(ours.get(name), name).toEqual(js.get(name));
  });

  it('hashes every frame of every sample video within upstream tolerance of the sample hashes', () => {
    expect(videos).toHaveLength(14);
    const checks = videos.map((name) => checkAgainst(name, ours.get(name)!, sampleHashes(name)));
    report('every frame, full resolution', checks);
    for (const c of checks) expect(c.failures, `${c.name}: frames at distance >= 31 with both qualities >= 50`).toBe(0);
    // FFmpeg's YUV->RGB rounding differs between builds; with area+accurate_rnd most frames come out identical.
    const share = checks.reduce((s, c) => s + c.identical, 0) / checks.reduce((s, c) => s + c.frames, 0);
    expect(share).toBeGreaterThan(0.8);
  });

  it('hashes frames downsampled to 128x128 within tolerance of the -128x128 sample hashes', async () => {
    const names = videos.filter((n) => existsSync(resolve(hashDir, `${n}-128x128.txt`)));
    expect(names.length).toBeGreaterThanOrEqual(12);
    const results = await hashWith(names, ['--every-frame', '--video-size', '128']);
    const checks = names.map((name) => {
      const r = results.get(name)!;
      expect(r.sampling).toBe('every frame, downsampled to 128x128');
      return checkAgainst(`${name}-128x128`, r.vpdq!, sampleHashes(`${name}-128x128`));
    });
    report('every frame, 128x128', checks);
    for (const c of checks) expect(c.failures, `${c.name}: frames at distance >= 31 with both qualities >= 50`).toBe(0);
  }, 600_000);

  it("matches python-threatexchange's expected 1 fps hashes of chair-20-sd-bar.mp4 at 100% / 100%", async () => {
    const r = (await hashWith(['chair-20-sd-bar'], ['--fps', '1'])).get('chair-20-sd-bar')!;
    if (!r.vpdq) throw new Error(`chair-20-sd-bar.mp4: ${r.error}`);
    expect(r.vpdq.map((f) => f.frame)).toEqual(Array.from({ length: 21 }, (_, i) => i * 30));
    expect(r.vpdq.map((f) => f.timestamp)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // The frames ffmpeg's select filter delivers are the every-frame run's frames, hash for hash.
    const every = ours.get('chair-20-sd-bar')!;
    for (const f of r.vpdq) expect(f.pdq).toBe(every[f.frame].pdq);
    const expected = parseSimpleCsv(readFileSync(resolve(root, 'extracted/pytx-chair-20-sd-bar-1fps-expected.csv'), 'utf8'))
      .map((row, i) => ({ frame: i * 30, pdq: row.expected_hash, quality: Number(row.quality), timestamp: Number(row.timestamp) }));
    const c = compareVpdq(r.vpdq, expected);
    expect([c.queryMatchPercent, c.comparedMatchPercent, c.match]).toEqual([100, 100, true]);
  });

  const matrix = hasShared ? parseSimpleCsv(readFileSync(resolve(root, 'generated/sample-hashes-pairwise-match-matrix.csv'), 'utf8')) : [];
  const stem = (file: string) => file.replace(/\.txt$/, '');

  // Engine-independent (sample-hash files only), and heavy: run with the JS engine only.
  it.skipIf(engine !== 'js')('reproduces the pairwise match matrix exactly from the sample-hash files (both rules; run once, not per engine)', () => {
    expect(matrix).toHaveLength(256);
    const cache = new Map<string, VpdqFeature[]>();
    const load = (f: string) => cache.get(f) ?? cache.set(f, sampleHashes(stem(f))).get(f)!;
    for (const row of matrix) {
      const q = load(row.query_file);
      const t = load(row.target_file);
      const pytx = compareVpdq(q, t);
      const cpp = compareVpdq(q, t, { rule: 'cpp' });
      const pair = `${row.query_file} vs ${row.target_file}`;
      expect(pytx.queryMatchPercent, pair).toBeCloseTo(Number(row.pytx_query_pct), 3);
      expect(pytx.comparedMatchPercent, pair).toBeCloseTo(Number(row.pytx_compared_pct), 3);
      expect(cpp.queryMatchPercent, pair).toBeCloseTo(Number(row.cpp_brute_query_pct), 1);
      expect(cpp.comparedMatchPercent, pair).toBeCloseTo(Number(row.cpp_brute_target_pct), 1);
    }
  });

  // The WebAssembly run is checked frame for frame against the JS run above, so its matrix is the same: run once.
  it.skipIf(engine !== 'js')('agrees with the matrix within 5 points, with the same verdicts, from our own hashes of the videos (JS run; wasm frames equal it)', () => {
    let pairs = 0;
    let maxDiff = 0;
    for (const row of matrix) {
      const q = ours.get(stem(row.query_file));
      const t = ours.get(stem(row.target_file));
      if (!q || !t) continue; // two of the 16 videos are not in the snapshot (see the README)
      pairs++;
      const pair = `${row.query_file} vs ${row.target_file}`;
      const pytx = compareVpdq(q, t);
      const cpp = compareVpdq(q, t, { rule: 'cpp' });
      const diffs = [
        pytx.queryMatchPercent - Number(row.pytx_query_pct), pytx.comparedMatchPercent - Number(row.pytx_compared_pct),
        cpp.queryMatchPercent - Number(row.cpp_brute_query_pct), cpp.comparedMatchPercent - Number(row.cpp_brute_target_pct),
      ].map(Math.abs);
      maxDiff = Math.max(maxDiff, ...diffs);
      for (const d of diffs) expect(d, pair).toBeLessThanOrEqual(5);
      expect(pytx.match, `${pair}: verdict`).toBe(Number(row.pytx_query_pct) >= 80);
    }
    console.log(`pairwise matrix from our hashes: ${pairs} pairs, largest difference ${maxDiff.toFixed(2)} points`);
    expect(pairs).toBe(14 * 14);
  });
});
