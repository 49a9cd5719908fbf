/**
 * Reading and moving notices in the outbox: list, show (with its locations, history and reappearances), mark
 * (acknowledged, removed, refused, no answer, or sent by hand through a web form) and .eml export.
 */
import { randomBytes } from 'node:crypto';
import { checkMove, type MarkableState } from '../../core/notices/notice-state.js';
import { noticeReference, type NoticePayload } from '../../core/notices/notice-payload.js';
import { RECIPIENTS, type RecipientId } from '../../core/notices/recipients.js';
import { UnexposeError } from '../../core/errors.js';
import type { NoticeRow } from '../../io/db/repos/notice-repo.js';
import { composeEml } from '../../io/mail/compose-eml.js';
import { noticeRepos, type NoticeDeps } from './notice-deps.js';
import { newMessageId, noticeMail, renderStoredNotice, type RenderChoice } from './render-stored-notice.js';

/** A notice as faces show it (camelCase; no identifier in clear). */
export interface NoticeSummary {
  id: number;
  reference: string;
  itemKey: string;
  kind: string;
  recipient: string;
  recipientName: string;
  channel: string;
  address: string | null;
  formUrl: string | null;
  language: string;
  state: string;
  round: number;
  followUpOf: string | null;
  locations: number;
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  closedAt: string | null;
}

export function summarise(row: NoticeRow): NoticeSummary {
  const p = JSON.parse(row.payload) as NoticePayload;
  const r = RECIPIENTS[row.recipient as RecipientId];
  return {
    id: row.id, reference: noticeReference(row.id), itemKey: row.item_key, kind: row.item_kind, recipient: row.recipient,
    recipientName: r?.name ?? row.recipient, channel: r?.channel ?? 'email', address: row.address, formUrl: r?.formUrl ?? null,
    language: row.language, state: row.state, round: row.round, followUpOf: row.follow_up_of === null ? null : noticeReference(row.follow_up_of),
    locations: p.locations.length + p.moreLocations, messageId: row.message_id, attempts: row.attempts, lastError: row.last_error,
    createdAt: row.created_at, sentAt: row.sent_at, acknowledgedAt: row.acknowledged_at, closedAt: row.closed_at,
  };
}

async function requireNotice(deps: Pick<NoticeDeps, 'db'>, id: number): Promise<NoticeRow> {
  const row = await noticeRepos(deps).notices.get(id);
  if (!row) throw new UnexposeError('not_found', `no notice ${noticeReference(id)} (${id})`);
  return row;
}

/** Parses "12" or "UNX-000012". */
export function parseNoticeId(s: string): number {
  const m = /^(?:UNX-)?0*(\d{1,12})$/i.exec(s.trim());
  if (!m || Number(m[1]) < 1) throw new UnexposeError('usage', `not a notice id: ${s} (use a number or UNX-000123)`);
  return Number(m[1]);
}

export async function listNotices(deps: Pick<NoticeDeps, 'db'>, filter: { state?: string; recipient?: string } = {}): Promise<NoticeSummary[]> {
  return (await noticeRepos(deps).notices.list(filter)).map(summarise);
}

export interface NoticeDetail {
  notice: NoticeSummary;
  subject: string;
  body: string;
  history: { at: string; from: string | null; to: string; note: string | null }[];
  reappearances: { chatId: number; messageId: number; unixTime: number | null; foundAt: string; followUpId: number | null }[];
}

export async function showNotice(deps: NoticeDeps, id: number, choice: RenderChoice = {}): Promise<NoticeDetail> {
  const row = await requireNotice(deps, id);
  const repos = noticeRepos(deps);
  const rendered = await renderStoredNotice(row, deps.templates, deps.key, choice);
  return {
    notice: summarise(row), subject: rendered.text.subject, body: rendered.text.body,
    history: await repos.notices.events(id), reappearances: await repos.notices.reappearances(id),
  };
}

/**
 * Marks a notice (an answer came, or it was sent by hand through a web form).
 * @example await markNotice(deps, 12, 'removed', 'Telegram answered: removed')
 */
export async function markNotice(deps: Pick<NoticeDeps, 'db' | 'now'>, id: number, to: MarkableState, note: string | null = null): Promise<NoticeSummary> {
  const row = await requireNotice(deps, id);
  checkMove(row.state, to);
  const repos = noticeRepos(deps);
  const clean = note === null ? null : note.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 1000);
  if (!(await repos.notices.move(id, row.state, to, repos.now().toISOString(), clean))) {
    throw new UnexposeError('conflict', `notice ${noticeReference(id)} changed state meanwhile; look again`);
  }
  return summarise((await repos.notices.get(id))!);
}

/**
 * The .eml of a notice, for sending by hand or through a web form. Its Message-ID is the notice's own (set
 * here when it has none), so a copy sent by hand and one sent later by SMTP are recognisably the same.
 */
export async function exportNoticeEml(deps: NoticeDeps, id: number, from: string, choice: RenderChoice = {}): Promise<{ fileName: string; bytes: Buffer }> {
  const row = await requireNotice(deps, id);
  const rendered = await renderStoredNotice(row, deps.templates, deps.key, choice);
  let messageId = row.message_id;
  if (!messageId) {
    messageId = newMessageId(row, from, randomBytes(6).toString('hex'));
    messageId = await noticeRepos(deps).notices.setMessageIdIfNone(id, messageId);
  }
  const bytes = await composeEml(noticeMail(row, rendered, from, row.address, messageId));
  return { fileName: `${noticeReference(id)}-${row.recipient}.eml`, bytes };
}

