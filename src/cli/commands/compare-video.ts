/**
 * `unexpose compare-video A B`: how much of video A is found in video B and the other way round, by vPDQ, and the
 * verdict. A and B may be videos (hashed in memory) or vPDQ hash files. Exit 0 when the comparison ran (match or
 * not), 1 when a side could not be read, 2 on bad usage.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT, VPDQ_DISTANCE_THRESHOLD, VPDQ_QUALITY_THRESHOLD, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT,
  type VpdqMatchRule,
} from '../../core/signals/vpdq/vpdq-compare.js';
import { compareVideoFiles, type VideoComparison, type VideoSide } from '../../services/compare-video.js';
import { csvRow } from '../render/csv.js';
import { formatOption, resolveFormat, writeLine, type OutputFormat } from '../render/output-format.js';
import { EXIT_OK } from '../errors.js';
import { parsePositiveNumber } from '../parse-options.js';

interface CompareVideoCliOptions {
  distance: number;
  quality: number;
  queryThreshold: number;
  comparedThreshold: number;
  rule: VpdqMatchRule;
  fps?: number;
  everyFrame?: boolean;
  maxSeconds?: number;
  videoSize?: number;
  format?: OutputFormat;
}

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`"${value}" is not a whole number from ${min} to ${max}.`);
    return n;
  };
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError(`"${value}" is not a percentage from 0 to 100.`);
  return n;
}

const CSV_HEADER = ['query', 'compared', 'query_match_pct', 'compared_match_pct', 'match', 'query_frames', 'compared_frames', 'rule', 'distance', 'quality'];

function sideText(role: string, s: VideoSide, pct: number, kept: number): string {
  const how = s.source === 'video' ? `hashed ${s.hashes} frames, ${s.sampling}` : `${s.hashes} frame hashes from a ${s.source}`;
  return `${role} ${pct.toFixed(2).padStart(6)}% of ${kept} usable frames found in the other  ${s.path}  (${how})`;
}

function textLines(r: VideoComparison): string[] {
  const cmp = r.rule === 'cpp' ? '<' : '<=';
  return [
    sideText('query   ', r.query, r.queryMatchPercent, r.queryFrames),
    sideText('compared', r.compared, r.comparedMatchPercent, r.comparedFrames),
    ...[...(r.query.notes ?? []), ...(r.compared.notes ?? [])].map((n) => `note: ${n}`),
    `${r.match ? 'MATCH' : 'NO MATCH'}  (query >= ${r.queryThreshold}% and compared >= ${r.comparedThreshold}%; frames match at distance ` +
      `${cmp} ${r.distance}, quality >= ${r.quality}; ${r.rule === 'cpp' ? 'C++ reference rule, no dedupe' : 'python-threatexchange rule'})`,
  ];
}

async function runCompareVideo(a: string, b: string, o: CompareVideoCliOptions): Promise<number> {
  const format = resolveFormat(o.format);
  const r = await compareVideoFiles(a, b, {
    distance: o.distance, quality: o.quality, queryThreshold: o.queryThreshold, comparedThreshold: o.comparedThreshold, rule: o.rule,
    video: { fps: o.fps, everyFrame: o.everyFrame, maxSeconds: o.maxSeconds, size: o.videoSize, hashThreads: 1 },
  });
  if (format === 'jsonl') await writeLine(JSON.stringify(r));
  else if (format === 'csv') {
    await writeLine(csvRow(CSV_HEADER));
    await writeLine(csvRow([r.query.path, r.compared.path, r.queryMatchPercent, r.comparedMatchPercent, r.match, r.queryFrames, r.comparedFrames, r.rule, r.distance, r.quality]));
  } else for (const line of textLines(r)) await writeLine(line);
  return EXIT_OK;
}

/** Adds `compare-video` to the program; the action sets process.exitCode. */
export function registerCompareVideoCommand(program: Command): void {
  program
    .command('compare-video')
    .description('compare two videos (or vPDQ hash files) by vPDQ: match percentages both ways and the verdict')
    .argument('<query>', 'video, or vPDQ hash file (frame,quality,hex,timestamp lines; pytx signal; unexpose hash JSON line)')
    .argument('<compared>', 'video or vPDQ hash file to look in')
    .option('--distance <n>', 'frames match within this PDQ distance', intIn(0, 256), VPDQ_DISTANCE_THRESHOLD)
    .option('--quality <n>', 'ignore frames of lower PDQ quality', intIn(0, 100), VPDQ_QUALITY_THRESHOLD)
    .option('--query-threshold <pct>', 'match when at least this % of the query frames are found', percent, VPDQ_QUERY_MATCH_THRESHOLD_PERCENT)
    .option('--compared-threshold <pct>', '... and at least this % of the compared frames', percent, VPDQ_COMPARED_MATCH_THRESHOLD_PERCENT)
    .addOption(new Option('--rule <rule>', 'pytx: distance <= N, exact duplicates dropped; cpp: the C++ tools (distance < N, no dedupe)')
      .choices(['pytx', 'cpp']).default('pytx'))
    .option('--fps <n>', 'video frames hashed per second (default 1)', parsePositiveNumber)
    .option('--every-frame', 'hash every video frame')
    .option('--max-seconds <n>', 'hash at most this many seconds of each video', parsePositiveNumber)
    .option('--video-size <n>', 'scale video frames to N x N before hashing (default: full resolution)', intIn(5, 4096))
    .addOption(formatOption())
    .action(async (a: string, b: string, o: CompareVideoCliOptions) => {
      process.exitCode = await runCompareVideo(a, b, o);
    });
}
