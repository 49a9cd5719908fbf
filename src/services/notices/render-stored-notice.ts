/**
 * A stored notice rendered for reading, sending or exporting: its payload through its recipient's template in
 * the notice's language (or another), as text and HTML, and the mail that carries it. A victim's identifier in
 * clear is put in only when she chose to include it, and only after checking that it is the notice's own.
 */
import { UnexposeError } from '../../core/errors.js';
import { findIdentifiers, identifierKey, type IdentifierOptions } from '../../core/identifiers/index.js';
import { noticeReference, type NoticePayload } from '../../core/notices/notice-payload.js';
import { RECIPIENTS, type RecipientId } from '../../core/notices/recipients.js';
import { NOTICE_LANGUAGES, renderNotice, type NoticeLanguage, type RenderedNotice } from '../../core/notices/render-notice.js';
import type { IdentifierKey } from '../../io/crypto/identifier-key.js';
import type { NoticeRow } from '../../io/db/repos/notice-repo.js';
import type { OutgoingMail } from '../../io/mail/outgoing-mail.js';
import type { TemplateSource } from '../../io/templates/notice-templates.js';

export interface RenderChoice {
  language?: NoticeLanguage;
  /** The identifier in clear, when the victim chose to include it. Checked, never stored. */
  includeIdentifier?: string;
  identifierOptions?: IdentifierOptions;
}

export interface NoticeText {
  text: RenderedNotice;
  html: RenderedNotice;
  language: NoticeLanguage;
}

/** The stored payload, with its reference. */
export function payloadOf(row: NoticeRow): NoticePayload {
  const p = JSON.parse(row.payload) as NoticePayload;
  return { ...p, reference: noticeReference(row.id) };
}

/** The clear form of the notice's identifier, when `given` is that identifier (by keyed hash). */
export function checkedClearIdentifier(row: NoticeRow, given: string, key: IdentifierKey, opts: IdentifierOptions = {}): string {
  if (!row.item_key.startsWith('identifier:')) throw new UnexposeError('usage', `notice ${noticeReference(row.id)} is not about a phone number or handle`);
  const hmac = row.item_key.slice('identifier:'.length);
  for (const f of findIdentifiers(given.slice(0, 500), opts)) {
    if (key.hmac(identifierKey(f)) === hmac) return f.kind === 'phone' ? f.value : `@${f.value}`;
  }
  throw new UnexposeError('usage', `the identifier given is not the one notice ${noticeReference(row.id)} is about`);
}

/**
 * Renders a stored notice.
 * @example const { text } = await renderStoredNotice(row, templates, key, { language: 'nl' })
 */
export async function renderStoredNotice(row: NoticeRow, templates: TemplateSource, key: IdentifierKey, choice: RenderChoice = {}): Promise<NoticeText> {
  const language = choice.language ?? (row.language as NoticeLanguage);
  if (!NOTICE_LANGUAGES.includes(language)) throw new UnexposeError('usage', `not a notice language: ${language} (use ${NOTICE_LANGUAGES.join(', ')})`);
  const recipient = RECIPIENTS[row.recipient as RecipientId];
  if (!recipient) throw new UnexposeError('invalid_input', `notice ${row.id} names an unknown recipient ${row.recipient}`);
  const clearIdentifier = choice.includeIdentifier ? checkedClearIdentifier(row, choice.includeIdentifier, key, choice.identifierOptions) : undefined;
  const { text: template } = await templates.load(recipient.template, language);
  const payload = payloadOf(row);
  return {
    language,
    text: renderNotice(template, payload, recipient, language, { format: 'text', clearIdentifier }),
    html: renderNotice(template, payload, recipient, language, { format: 'html', clearIdentifier }),
  };
}

/** The e-mail of a rendered notice. `to` is null for a web-form recipient without an address (.eml export only). */
export function noticeMail(row: NoticeRow, rendered: NoticeText, from: string, to: string | null, messageId: string): Omit<OutgoingMail, 'to'> & { to: string | null } {
  return {
    from, to, subject: rendered.text.subject, text: rendered.text.body, html: rendered.html.body, messageId,
    headers: { 'X-Unexpose-Reference': noticeReference(row.id), 'Content-Language': rendered.language },
  };
}

/** A Message-ID for a notice, in the sender's domain. */
export function newMessageId(row: NoticeRow, from: string, random: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?$/.exec(from)?.[1] ?? 'unexpose.invalid';
  return `<${noticeReference(row.id).toLowerCase()}.${random}@${domain}>`;
}
