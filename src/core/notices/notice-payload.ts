/**
 * What a notice says, as stored with it (JSON in notice.payload): the item, its exact locations (message links,
 * chat and message ids, UTC times, media hashes), the legal ground and the notifier. No image, no message text,
 * no identifier in clear: a phone number or handle appears only in its redacted form.
 */
import type { LegalGroundId, NoticeItemKind } from './legal-grounds.js';

export interface NoticeChat {
  source: string;
  /** The chat's id in its export (Telegram: the bare channel id). */
  externalId: string;
  /** Telegram's Bot API id (-100… for supergroups and channels), when known. */
  markedId: string | null;
  type: string;
  /** Group or channel title, redacted; null for personal chats. */
  title: string | null;
}

export interface NoticeLocation {
  chat: NoticeChat;
  messageId: number;
  /** https://t.me/c/<chat>/<message>, when Telegram has a link for it. */
  link: string | null;
  /** ISO-8601 UTC, or null when the export had no usable time. */
  utc: string | null;
  media: { kind: string; pdq: string | null; md5: string | null; sha256: string | null } | null;
}

export interface NoticeNotifier {
  name: string;
  email: string;
  organisation: string | null;
}

export interface NoticePayload {
  format: 1;
  /** Quoted by the recipient and by follow-ups: "UNX-<id>". */
  reference: string;
  kind: NoticeItemKind;
  ground: LegalGroundId;
  identifier: { kind: 'phone' | 'handle'; platform: string | null; display: string } | null;
  /** The bank a media item matched (a victim's case), when it did. */
  match: { bank: string; signalType: string; distance: number } | null;
  locations: NoticeLocation[];
  /** Locations left out of the notice to keep it readable (they are in the outbox). */
  moreLocations: number;
  /** Null for child sexual abuse material: the DSA allows an anonymous notice (Art. 16(2)(c)). */
  notifier: NoticeNotifier | null;
  followUp: { reference: string; sentAt: string | null; removedAt: string | null } | null;
  createdAt: string;
}

/** At most this many locations are written into one notice. */
export const MAX_LOCATIONS_PER_NOTICE = 200;

/** "UNX-000123" */
export function noticeReference(id: number): string {
  return `UNX-${String(id).padStart(6, '0')}`;
}
