/**
 * Tables of the takedown outbox (migration 202611301310-create-notice) as Kysely sees them. A notice's payload
 * holds what its template needs (links, ids, UTC times, media hashes, redacted identifiers), never a victim's
 * identifier in clear: a clear value she chose to include is given at send or export time and not stored.
 */
import type { Generated } from 'kysely';

export interface NoticeTable {
  id: Generated<number>;
  /** What the notice is about: "entry:<bank>/<type>/<key>", "cluster:<hash>", "media:<hash>", "identifier:<hmac>". */
  item_key: string;
  /** intimate_image | csam | phone | handle */
  item_kind: string;
  /** A recipient id from core/notices/recipients (telegram_abuse, hosting_dsa, instagram, ...). */
  recipient: string;
  /** The address it goes to, when it is e-mailed (an operator may set one for a web-form recipient). */
  address: string | null;
  /** en | nl */
  language: string;
  /** draft | sending | sent | acknowledged | removed | refused | no_answer */
  state: string;
  /** JSON NoticePayload. */
  payload: string;
  /** The notice this one follows up (the same item came back after it was removed). */
  follow_up_of: number | null;
  /** 0 for a first notice, n for the n-th follow-up of the same item to the same recipient. */
  round: number;
  /** Message-ID given before the first attempt and kept for every retry, so a resend can be recognised. */
  message_id: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  sending_at: string | null;
  sent_at: string | null;
  acknowledged_at: string | null;
  /** When it reached removed, refused or no_answer. */
  closed_at: string | null;
}

/** The messages a notice cites. */
export interface NoticeLocationTable {
  notice_id: number;
  chat_id: number;
  message_id: number | string;
}

/** Every state change of a notice, with its time (the outbox's history). */
export interface NoticeEventTable {
  id: Generated<number>;
  notice_id: number;
  at: string;
  from_state: string | null;
  to_state: string;
  note: string | null;
}

/** A post of an item found after the item was marked removed. */
export interface ReappearanceTable {
  id: Generated<number>;
  /** The removed notice whose item came back. */
  notice_id: number;
  chat_id: number;
  message_id: number | string;
  unix_time: number | string | null;
  found_at: string;
  /** The follow-up notice drafted for it. */
  follow_up_id: number | null;
}
