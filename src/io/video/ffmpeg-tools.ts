/**
 * Finding and running ffmpeg and ffprobe. They come from the system (Debian/Ubuntu package `ffmpeg`); the paths
 * can be overridden with FFMPEG_PATH and FFPROBE_PATH. A missing tool is one clear error saying how to install it.
 */
import { spawn } from 'node:child_process';
import { UnexposeError } from '../../core/errors.js';
import { parseFfmpegVersion, type FfmpegFeatures } from './ffmpeg-args.js';

export const FFMPEG_INSTALL_HINT = 'install it with `apt-get install ffmpeg` (Debian/Ubuntu; it provides ffmpeg and ffprobe), `brew install ffmpeg` on macOS';

export function ffmpegPath(): string {
  return process.env.FFMPEG_PATH || 'ffmpeg';
}

export function ffprobePath(): string {
  return process.env.FFPROBE_PATH || 'ffprobe';
}

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Keeps the last max characters of a growing text (tool error output can be long). */
export function appendCapped(text: string, more: string, max = 8192): string {
  const t = text + more;
  return t.length > max ? t.slice(t.length - max) : t;
}

/** Longest a tool run by runTool (ffprobe reading a header) may take before it is killed. */
export const MAX_TOOL_SECONDS = 30;
/** Most output kept from a tool run by runTool (ffprobe's JSON is a few KB). */
export const MAX_TOOL_OUTPUT_BYTES = 4 * 2 ** 20;

/**
 * Runs a tool to completion, collecting its output; a missing binary becomes a `tool_missing` error. A tool that
 * runs longer than timeoutSeconds or writes more than MAX_TOOL_OUTPUT_BYTES is killed ('decode_failed').
 */
export function runTool(cmd: string, args: string[], timeoutSeconds = MAX_TOOL_SECONDS): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let killedFor = '';
    const kill = (why: string) => {
      if (killedFor) return;
      killedFor = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`took longer than ${timeoutSeconds} s`), timeoutSeconds * 1000);
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > MAX_TOOL_OUTPUT_BYTES) kill(`wrote more than ${MAX_TOOL_OUTPUT_BYTES} bytes`);
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => { stderr = appendCapped(stderr, b.toString('utf8')); });
    child.on('error', (err: NodeJS.ErrnoException) => { clearTimeout(timer); reject(toolError(cmd, err)); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killedFor) reject(new UnexposeError('decode_failed', `${cmd} was stopped: it ${killedFor}`));
      else resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** The error for a tool that could not be started. */
export function toolError(cmd: string, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT' || err.code === 'EACCES') {
    return new UnexposeError('tool_missing', `${cmd} is not installed or not runnable (needed to read videos): ${FFMPEG_INSTALL_HINT}`);
  }
  return err;
}

let checked: Promise<FfmpegFeatures & { version: string }> | undefined;

/**
 * Checks once per process that ffmpeg and ffprobe run, and learns ffmpeg's version.
 * @throws UnexposeError('tool_missing') naming the missing tool and how to install it.
 */
export function ensureFfmpeg(): Promise<FfmpegFeatures & { version: string }> {
  checked ??= (async () => {
    const probe = await runTool(ffprobePath(), ['-version']);
    if (probe.code !== 0) throw new UnexposeError('tool_missing', `${ffprobePath()} -version failed: ${FFMPEG_INSTALL_HINT}`);
    const r = await runTool(ffmpegPath(), ['-version']);
    if (r.code !== 0) throw new UnexposeError('tool_missing', `${ffmpegPath()} -version failed: ${FFMPEG_INSTALL_HINT}`);
    return parseFfmpegVersion(r.stdout.split('\n')[0] ?? '');
  })();
  checked.catch(() => { checked = undefined; });
  return checked;
}
