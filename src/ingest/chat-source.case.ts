/**
 * The shared suite every ChatSource runs: it finds its files, streams every message once, resumes from any
 * checkpoint without duplicates or gaps, reads the same export from a zip, refuses media paths that escape
 * the export (by text and by link) without reading them, and reports a cut-off file by name while keeping
 * the messages before the cut.
 */
import { mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../test/fixtures/zip-writer.js';
import { folderExportFiles, openExportFiles } from '../io/fs/export-files.js';
import type { ChatMessage, ChatSource, Checkpoint, IngestNotice, MessageBatch, OpenExport, StreamOptions } from './chat-source.js';

export interface ChatSourceCaseSetup {
  source: ChatSource;
  /** Writes a small export into dir (about 100-300 messages); returns how many messages (all types) it holds. */
  make(dir: string): Promise<{ total: number }>;
  /** Writes an export whose message file is cut off; returns the message file (relative) and how many messages survive. */
  makeTruncated(dir: string): Promise<{ file: string; kept: number }>;
  /** Writes an export whose messages refer to `hostile` as media paths (each must be refused). */
  makeWithMediaPaths(dir: string, hostile: string[]): Promise<void>;
}

async function collect(exp: OpenExport, opts: StreamOptions = {}): Promise<{ batches: MessageBatch[]; messages: ChatMessage[]; notices: IngestNotice[] }> {
  const batches: MessageBatch[] = [];
  for await (const b of exp.stream(opts)) batches.push(b);
  return { batches, messages: batches.flatMap((b) => b.messages), notices: batches.flatMap((b) => b.notices) };
}

const keyOf = (m: ChatMessage) => `${m.position.file}#${m.position.index}`;

async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else if (e.isFile()) out.push(join(d, e.name));
    }
  };
  await walk(dir);
  return out;
}

export function runChatSourceCases(setup: ChatSourceCaseSetup): void {
  const { source } = setup;
  describe(`chat source ${source.name}: shared cases`, () => {
    let base: string;
    let root: string;
    let total: number;
    let exp: OpenExport;
    let all: ChatMessage[];
    let batches: MessageBatch[];
    beforeAll(async () => {
      base = await mkdtemp(join(tmpdir(), `unexpose-${source.name}-`));
      root = join(base, 'export');
      ({ total } = await setup.make(root));
      const files = folderExportFiles(root);
      exp = source.open(files, await source.detect(files));
      ({ messages: all, batches } = await collect(exp, { batchSize: 17 }));
    });
    afterAll(async () => { await rm(base, { recursive: true, force: true }); });

    it('detects its message files and streams every message exactly once, in file order', async () => {
      expect(exp.messageFiles.length).toBeGreaterThan(0);
      expect(all).toHaveLength(total);
      expect(new Set(all.map(keyOf)).size).toBe(total);
      expect(all.map((m) => m.position.index)).toEqual([...all.map((m) => m.position.index)].sort((a, b) => a - b));
      for (const m of all) expect(m.rawSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(batches.at(-1)!.checkpoint.done).toBe(true);
    });

    it('resumes from every checkpoint (as stored JSON) with no duplicate and no gap', async () => {
      for (const b of batches) {
        const cp = JSON.parse(JSON.stringify(b.checkpoint)) as Checkpoint;
        const before = all.filter((m) => m.position.index < cp.messageIndex || (cp.done && m.position.file === cp.file));
        const { messages: rest } = await collect(exp, { from: cp, batchSize: 50 });
        const seen = [...before, ...rest].map(keyOf);
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.sort()).toEqual(all.map(keyOf).sort());
        expect(rest.map((m) => m.rawSha256)).toEqual(all.slice(all.length - rest.length).map((m) => m.rawSha256));
      }
    });

    it('refuses a checkpoint made on a different file', async () => {
      const cp = { ...batches[0].checkpoint, fileSize: batches[0].checkpoint.fileSize + 1 };
      await expect(collect(exp, { from: cp })).rejects.toThrow(/checkpoint/);
    });

    it('reads the same messages from a zip of the export', async () => {
      const paths = await listAll(root);
      const zipPath = join(base, 'export.zip');
      await writeZip(zipPath, await Promise.all(paths.map(async (p) => ({ name: `inner/${relative(root, p).split(/[\\/]/).join('/')}`, data: await readFile(p) }))));
      const files = await openExportFiles(zipPath);
      const zexp = source.open(files, await source.detect(files));
      const { messages, batches: zb } = await collect(zexp, { batchSize: 17 });
      expect(messages.map((m) => m.rawSha256)).toEqual(all.map((m) => m.rawSha256));
      // Resuming inside a zip entry: the bytes before the offset are decompressed and dropped.
      const mid = zb[Math.floor(zb.length / 2)].checkpoint;
      const { messages: rest } = await collect(zexp, { from: JSON.parse(JSON.stringify(mid)) as Checkpoint });
      expect(rest.map((m) => m.rawSha256)).toEqual(all.slice(mid.messageIndex).map((m) => m.rawSha256));
      const withMedia = messages.find((m) => m.media?.path);
      if (withMedia) {
        const resolved = await zexp.resolveMedia(withMedia);
        expect(resolved.localPath).toBeNull();
        expect((await resolved.read()).length).toBe(resolved.size);
      }
      await files.close();
    });

    it('refuses media paths that escape the export, by text or through a link, naming them', async () => {
      const dir = join(base, 'hostile');
      const outside = join(base, 'outside.jpg');
      await writeFile(outside, 'not to be read');
      await setup.makeWithMediaPaths(dir, ['../outside.jpg', '/etc/passwd', 'photos/../../outside.jpg', 'link.jpg']);
      await symlink(outside, join(dir, 'link.jpg'));
      const files = folderExportFiles(dir);
      const hexp = source.open(files, await source.detect(files));
      const { messages } = await collect(hexp);
      const refs = messages.filter((m) => m.media?.path);
      expect(refs.map((m) => m.media!.path)).toEqual(['../outside.jpg', '/etc/passwd', 'photos/../../outside.jpg', 'link.jpg']);
      for (const m of refs) {
        await expect(hexp.resolveMedia(m)).rejects.toThrow(expect.objectContaining({ code: 'unsafe_path', message: expect.stringContaining(`"${m.media!.path}"`) }));
      }
      expect((await stat(outside)).size).toBe(14);
    });

    it('reports a cut-off file by name and keeps the messages before the cut', async () => {
      const dir = join(base, 'cut');
      const { file, kept } = await setup.makeTruncated(dir);
      const files = folderExportFiles(dir);
      const texp = source.open(files, await source.detect(files));
      const { messages, notices, batches: tb } = await collect(texp, { batchSize: 10 });
      expect(messages).toHaveLength(kept);
      const cut = notices.find((n) => n.code === 'truncated');
      expect(cut).toBeDefined();
      expect(cut!.level).toBe('error');
      expect(cut!.message).toContain(file);
      expect(cut!.file).toContain(file);
      expect(tb.at(-1)!.checkpoint.done).toBe(true);
    });
  });
}
