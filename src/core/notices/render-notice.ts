/**
 * Renders a notice from a template (mustache) for an output format. Every value put into the view is escaped
 * before rendering, so even a triple-brace {{{value}}} in an operator's template cannot insert a control
 * character: text loses terminal controls and bidi overrides, the subject is one line, and the HTML form is the
 * whole text entity-escaped (values and template alike) inside a <pre>. A template file starts with "Subject: ..." and a blank line.
 */
import Mustache from 'mustache';
import { UnexposeError } from '../errors.js';
import { CSAM_DIRECTIVE, DSA_ARTICLE_16, LEGAL_GROUNDS } from './legal-grounds.js';
import type { NoticePayload } from './notice-payload.js';
import type { Recipient } from './recipients.js';

export const NOTICE_LANGUAGES = ['en', 'nl'] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];
export type NoticeFormat = 'text' | 'html';

export interface RenderedNotice {
  subject: string;
  body: string;
}

export interface RenderOptions {
  format: NoticeFormat;
  /** The identifier in clear, only when the victim chose to include it (checked by the caller, never stored). */
  clearIdentifier?: string;
}

// C0/C1 controls except tab and newline, DEL, bidi overrides and isolates, zero-width and BOM.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Plain text: no terminal controls or bidi tricks; CRLF made LF. */
export function escapeText(s: string): string {
  return s.replace(/\r\n?/g, '\n').replace(CONTROLS, '');
}

/** One header line: controls and line breaks become spaces. */
export function escapeHeader(s: string): string {
  return escapeText(s).replace(/\s+/g, ' ').trim();
}

/** HTML text and attribute values. */
export function escapeHtmlValue(s: string): string {
  return escapeText(s).replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, fn));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, fn)]));
  return v;
}

/** The values a template can use; documented in templates/notices/README.md. */
export function noticeView(p: NoticePayload, r: Recipient, lang: NoticeLanguage, opts: RenderOptions): Record<string, unknown> {
  const ground = LEGAL_GROUNDS[p.ground];
  return {
    reference: p.reference,
    recipient: { id: r.id, name: r.name, service: r.service, formUrl: r.formUrl },
    service: r.service,
    kind: p.kind,
    isImage: p.kind === 'intimate_image',
    isCsam: p.kind === 'csam',
    isPhone: p.kind === 'phone',
    isHandle: p.kind === 'handle',
    isIdentifier: p.kind === 'phone' || p.kind === 'handle',
    ground: { article: ground.article, title: ground.title[lang] },
    dsa: DSA_ARTICLE_16,
    csamDirective: CSAM_DIRECTIVE,
    identifier: p.identifier && {
      ...p.identifier,
      clear: opts.clearIdentifier ?? null,
      shown: opts.clearIdentifier ?? p.identifier.display,
    },
    match: p.match,
    locations: p.locations.map((l, i) => ({ ...l, n: i + 1, utc: l.utc ?? (lang === 'nl' ? 'onbekend' : 'unknown') })),
    locationCount: p.locations.length + p.moreLocations,
    moreLocations: p.moreLocations > 0 ? p.moreLocations : null,
    notifier: p.notifier,
    anonymous: p.notifier === null,
    followUp: p.followUp,
    createdAt: p.createdAt,
  };
}

/**
 * Renders subject and body.
 * @example renderNotice('Subject: {{reference}}\n\nHello', payload, RECIPIENTS.telegram_abuse, 'en', { format: 'text' }).subject // 'UNX-000001'
 */
export function renderNotice(template: string, p: NoticePayload, r: Recipient, lang: NoticeLanguage, opts: RenderOptions): RenderedNotice {
  const m = /^Subject:[ \t]*(.*)\r?\n\r?\n/.exec(template);
  if (!m) throw new UnexposeError('invalid_input', 'a notice template must start with a "Subject: ..." line and a blank line');
  const raw = noticeView(p, r, lang, opts);
  const noEscape = { escape: (s: unknown) => String(s) };
  try {
    const subject = escapeHeader(Mustache.render(m[1], mapStrings(raw, escapeHeader), {}, noEscape));
    const text = Mustache.render(template.slice(m[0].length), mapStrings(raw, escapeText), {}, noEscape).replace(/\n{3,}/g, '\n\n');
    if (opts.format === 'text') return { subject, body: text };
    // HTML: the whole text, values and template alike, is escaped and kept as preformatted text.
    return { subject, body: `<!doctype html><html><body><pre style="white-space:pre-wrap;font-family:sans-serif">${escapeHtmlValue(text)}</pre></body></html>` };
  } catch (err) {
    throw new UnexposeError('invalid_input', `notice template cannot be rendered: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
