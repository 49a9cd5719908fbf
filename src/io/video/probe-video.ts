/**
 * What ffprobe says about a video file: its first real video stream (cover art does not count), size, frame rate
 * as the reference reads it (avg_frame_rate, else r_frame_rate), duration and, when the container records it, the
 * number of frames. The parsing is pure; `probeVideo` runs ffprobe.
 */
import { quarterTurn, type QuarterTurn } from '../../core/picture/turn-pixels.js';
import { UnexposeError } from '../../core/errors.js';
import { buildProbeArgs } from './ffmpeg-args.js';
import { ffprobePath, runTool } from './ffmpeg-tools.js';

/** Frames larger than this many pixels are refused before decoding (8K UHD, 7680x4320). */
export const MAX_VIDEO_FRAME_PIXELS = 7680 * 4320;
/** Frames wider or taller than this are refused before decoding. */
export const MAX_VIDEO_FRAME_SIDE = 16384;

export interface VideoProbe {
  streamIndex: number;
  codec: string;
  width: number;
  height: number;
  frameRate: number;
  durationSeconds: number;
  /** Frames in the stream as the container records it (MP4/MOV do; Matroska and GIF usually do not). */
  frameCount?: number;
  formatName: string;
  /** The clockwise quarter turn that shows the video upright (its display matrix), when it has one. */
  displayTurn?: QuarterTurn;
}

interface ProbeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  tags?: { rotate?: string };
}

/**
 * The display rotation as a clockwise quarter turn: ffprobe 5+ prints the display matrix's angle (counter-clockwise,
 * so -90 shows the frames turned clockwise); older ones a `rotate` tag in clockwise degrees.
 * @example displayTurn({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }) // 90
 */
export function displayTurn(s: Pick<ProbeStream, 'side_data_list' | 'tags'>): QuarterTurn | 0 {
  const matrix = s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  if (matrix) return quarterTurn(-matrix.rotation!);
  const tag = Number(s.tags?.rotate);
  return Number.isFinite(tag) ? quarterTurn(tag) : 0;
}

/**
 * A rational like "30000/1001" as a number; 0 for "0/0", missing or malformed.
 * @example parseRate('30000/1001') // 29.97002997002997
 */
export function parseRate(text: string | undefined): number {
  if (!text) return 0;
  const [n, d = '1'] = text.split('/');
  const v = Number(n) / Number(d);
  return Number.isFinite(v) && v > 0 ? v : 0;
}

function positive(text: string | undefined): number | undefined {
  const v = Number(text);
  return text !== undefined && Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Reads ffprobe's JSON output. Throws an UnexposeError naming the file when there is no usable video stream or
 * the frame size is beyond the limits.
 * @example parseProbeJson(json, 'a.mp4') // { streamIndex: 0, width: 480, height: 720, frameRate: 30, ... }
 */
export function parseProbeJson(json: string, name: string, stderr = ''): VideoProbe {
  let data: { streams?: ProbeStream[]; format?: { duration?: string; format_name?: string } };
  try {
    data = JSON.parse(json);
  } catch {
    throw new UnexposeError('decode_failed', `${name}: ffprobe gave no readable description of the file`);
  }
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) {
    const kinds = streams.map((s) => s.codec_type ?? 'unknown').join(', ') || 'no streams';
    throw new UnexposeError('unsupported_media', `${name}: no video stream in the file (it has ${kinds})`);
  }
  const width = video.width ?? 0;
  const height = video.height ?? 0;
  if (!(width > 0 && height > 0)) {
    const why = lastLine(stderr);
    throw new UnexposeError('decode_failed', `${name}: the video stream has no usable frame size${why ? ` (ffprobe: ${why})` : ''}`);
  }
  if (width > MAX_VIDEO_FRAME_SIDE || height > MAX_VIDEO_FRAME_SIDE || width * height > MAX_VIDEO_FRAME_PIXELS) {
    throw new UnexposeError('decompression_bomb',
      `${name}: frame size ${width}x${height} is over the limit (${(MAX_VIDEO_FRAME_PIXELS / 1e6).toFixed(1)} megapixels, ` +
      `${MAX_VIDEO_FRAME_SIDE} pixels a side); not decoded`);
  }
  const frameRate = parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate);
  const durationSeconds = positive(data.format?.duration) ?? positive(video.duration) ?? 0;
  const frameCount = positive(video.nb_frames);
  return {
    streamIndex: video.index ?? 0, codec: video.codec_name ?? 'unknown', width, height, frameRate, durationSeconds,
    ...(frameCount !== undefined ? { frameCount } : {}), formatName: data.format?.format_name ?? 'unknown',
    ...(displayTurn(video) ? { displayTurn: displayTurn(video) as QuarterTurn } : {}),
  };
}

/** Runs ffprobe on a file (absolute path) and reads its answer. */
export async function probeVideo(path: string, name: string): Promise<VideoProbe> {
  const r = await runTool(ffprobePath(), buildProbeArgs(path));
  if (r.code !== 0) {
    if (/moov atom not found/i.test(r.stderr)) {
      throw new UnexposeError('truncated_input', `${name}: incomplete or truncated MP4/MOV video (its index, the moov atom, is missing)`);
    }
    const why = lastLine(r.stderr) || `ffprobe exited with code ${r.code}`;
    throw new UnexposeError('decode_failed', `${name}: not a readable video (${why})`);
  }
  return parseProbeJson(r.stdout, name, r.stderr);
}

/** The last non-empty line of a tool's error output, without ffmpeg's "[demuxer @ 0x...]" prefix or the path. */
export function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim()).filter(Boolean);
  return (lines.at(-1) ?? '').replace(/^file:[^:]*:\s*/, '').replace(/^http:\/\/127\.0\.0\.1:\d+\/\S*:\s*/, '');
}
