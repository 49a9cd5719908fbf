/**
 * A readable API page rendered from the OpenAPI document itself, served by the server: no CDN, no script, every
 * text escaped.
 */
import { escapeHtml } from '../core/report/escape-html.js';

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, unknown>;
  security?: unknown[];
}

/** The HTML page for an OpenAPI document. */
export function renderDocsPage(doc: { info?: { title?: string; version?: string; description?: string }; paths?: Record<string, Record<string, Operation>> }): string {
  const rows: string[] = [];
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      const params = (op.parameters ?? []).map((p) => `<code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ', required' : ''})`).join(', ');
      const body = op.requestBody?.content ? Object.keys(op.requestBody.content).map(escapeHtml).join(', ') : '';
      const codes = Object.keys(op.responses ?? {}).join(' ');
      const html = `<tr><td class="m">${escapeHtml(method.toUpperCase())}</td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(op.summary ?? '')}`
        + `${params ? `<br><small>parameters: ${params}</small>` : ''}${body ? `<br><small>body: ${body}</small>` : ''}</td>`
        + `<td>${op.security ? 'key' : 'open'}</td><td><small>${escapeHtml(codes)}</small></td></tr>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  for (const [tag, list] of byTag) rows.push(`<h2>${escapeHtml(tag)}</h2><table><tr><th>method</th><th>path</th><th>what</th><th>auth</th><th>responses</th></tr>${list.join('')}</table>`);
  const title = escapeHtml(`${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}.m{font-weight:600}code{background:#f4f4f4;padding:0 .2rem}</style></head>
<body><h1>${title}</h1><p>${escapeHtml(doc.info?.description ?? '')}</p><p>The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).
Send keys as <code>Authorization: Bearer &lt;key&gt;</code>; errors are <code>application/problem+json</code> with a stable <code>code</code>.</p>
${rows.join('\n')}</body></html>`;
}
