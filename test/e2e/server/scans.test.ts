/**
 * Scans through the API over real HTTP on both dialects: an export zip uploaded (streamed to a private folder,
 * deleted when the job ends), progress as server-sent events, the report as JSON and HTML; a path on the server
 * for admin keys only; jobs visible only to the key that started them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateTelegramExport } from '../../fixtures/telegram/generate-telegram-export.js';
import { writeZip } from '../../fixtures/zip-writer.js';
import { useTempDirs } from '../../support/temp-dirs.js';
import { describeServerEachDialect, untilReady, type TestServer } from './test-server.js';

const tempDir = useTempDirs();

async function filesUnder(dir: string, root = dir): Promise<{ name: string; data: Uint8Array }[]> {
  const out: { name: string; data: Uint8Array }[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p, root)));
    else out.push({ name: path.relative(root, p), data: await readFile(p) });
  }
  return out;
}

const scanTemps = async () => (await readdir(tmpdir())).filter((n) => n.startsWith('unexpose-upload-scan-'));

/** Reads a server-sent event stream to its end. */
async function readEvents(url: string, key: string): Promise<{ event: string; data: any }[]> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const text = await res.text();
  return text.split('\n\n').filter((b) => b.includes('data: ')).map((b) => ({
    event: /event: (\S+)/.exec(b)![1], data: JSON.parse(/data: (.*)/.exec(b)![1]),
  }));
}

describeServerEachDialect('scans', (start) => {
  let t: TestServer;
  let scanner: string;
  let zipPath: string;
  let exportDir: string;

  beforeAll(async () => {
    t = await start();
    scanner = await t.key('scans');
    await untilReady(t);
    const dir = await tempDir('ux-server-scan-src-');
    exportDir = path.join(dir, 'export');
    await generateTelegramExport({ dir: exportDir, seed: 3, messages: 300, photos: 8, videos: 0, phoneNumbers: 4 });
    zipPath = await writeZip(path.join(dir, 'export.zip'), await filesUnder(exportDir));
  });
  afterAll(() => t.close());

  it('scans an uploaded zip in the background, with progress as SSE and the report as JSON and HTML', async () => {
    const before = await scanTemps();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await readFile(zipPath))]), 'chat-with-0612345678.zip');
    const started = await t.request('POST', '/v1/scans', { key: scanner, body: form });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ id: expect.any(String), status: expect.stringMatching(/queued|running/) });
    const events = await readEvents(`${t.url}${started.json.links.events}`, scanner);
    const statuses = events.filter((e) => e.event === 'status').map((e) => e.data.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('done');
    expect(events.some((e) => e.event === 'progress' && e.data.messages > 0)).toBe(true);
    const job = await t.request('GET', started.json.links.self, { key: scanner });
    expect(job.json.status).toBe('done');
    const report = await t.request('GET', started.json.links.report, { key: scanner });
    expect(report.status).toBe(200);
    expect(report.json.summary).toBeDefined();
    expect(report.text).not.toContain('unexpose-upload-scan-');
    expect(report.text).not.toContain('0612345678');
    const html = await t.request('GET', started.json.links.reportHtml, { key: scanner });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toMatch(/<html/i);
    expect(await scanTemps()).toEqual(before);
    const other = await t.key('scans');
    expect((await t.request('GET', started.json.links.self, { key: other })).status).toBe(404);
    expect(t.logs.join('\n')).not.toContain('chat-with-0612345678');
  });

  it('a path on the server needs an admin key; a report before the end is a conflict', async () => {
    expect((await t.request('POST', '/v1/scans/path', { key: scanner, json: { path: exportDir } })).status).toBe(403);
    const admin = await t.key('admin');
    const started = await t.request('POST', '/v1/scans/path', { key: admin, json: { path: exportDir } });
    expect(started.status).toBe(202);
    const early = await t.request('GET', started.json.links.report, { key: admin });
    if (early.status !== 200) expect(early.json.code).toBe('conflict');
    const events = await readEvents(`${t.url}${started.json.links.events}`, admin);
    expect(events.at(-1)!.data.status).toBe('done');
    expect((await t.request('POST', '/v1/scans/path', { key: admin, json: { path: 'relative/path' } })).status).toBe(400);
    expect((await t.request('GET', '/v1/scans/not-a-uuid', { key: admin })).status).toBe(400);
  });

  it('a client killed mid-upload leaves no folder behind; a queued or running job can be cancelled', async () => {
    const before = await scanTemps();
    const controller = new AbortController();
    const bytes = new Uint8Array(await readFile(zipPath));
    const boundary = 'x-boundary';
    const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="e.zip"\r\nContent-Type: application/zip\r\n\r\n`);
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(head);
        c.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
        await new Promise((r) => setTimeout(r, 300));
        controller.abort();
      },
    });
    await fetch(`${t.url}/v1/scans`, {
      method: 'POST', body, signal: controller.signal, duplex: 'half',
      headers: { authorization: `Bearer ${scanner}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    } as RequestInit).catch(() => undefined);
    for (let i = 0; i < 50 && (await scanTemps()).length > before.length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await scanTemps()).toEqual(before);
    expect((await t.request('GET', '/status/live')).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'e.zip');
    const started = await t.request('POST', '/v1/scans', { key: scanner, body: form });
    const cancelled = await t.request('DELETE', started.json.links.self, { key: scanner });
    expect(cancelled.status).toBe(200);
    const events = await readEvents(`${t.url}${started.json.links.events}`, scanner);
    expect(['cancelled', 'done']).toContain(events.at(-1)!.data.status);
    expect(await scanTemps()).toEqual(before);
  });

  it('the jobs behind the scans are visible to admins only (/v1/jobs), with ids and no path in their payloads', async () => {
    const admin = await t.key('admin');
    expect((await t.request('GET', '/v1/jobs', { key: scanner })).status).toBe(403);
    const list = await t.request('GET', '/v1/jobs?name=ExportScan', { key: admin });
    expect(list.status).toBe(200);
    expect(list.json.jobs.length).toBeGreaterThan(0);
    expect(list.json.jobs.every((j: { payload: object }) => Object.keys(j.payload).sort().join() === 'part,scanJobId')).toBe(true);
    expect(list.text).not.toContain(exportDir);
    const one = await t.request('GET', `/v1/jobs/${list.json.jobs[0].id}`, { key: admin });
    expect(one.json.id).toBe(list.json.jobs[0].id);
    expect((await t.request('POST', `/v1/jobs/${list.json.jobs[0].id}/retry`, { key: admin })).status).toBe(409);
  });

  it('a zip that is not an export fails its job with a message, and the server goes on', async () => {
    const form = new FormData();
    form.append('file', new Blob(['this is not a zip']), 'x.zip');
    const started = await t.request('POST', '/v1/scans', { key: scanner, body: form });
    expect(started.status).toBe(202);
    const events = await readEvents(`${t.url}${started.json.links.events}`, scanner);
    const last = events.at(-1)!.data;
    expect(last.status).toBe('failed');
    expect(last.error).toBeTruthy();
    expect(last.error).not.toContain('unexpose-upload-scan-');
    expect((await t.request('GET', '/status/live')).status).toBe(200);
  });
});
