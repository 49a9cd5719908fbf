/**
 * Where notices go. Telegram takes DSA notices through a web form and takedown requests by e-mail (abuse@, and
 * stopCA@ for child sexual abuse material); any other hosting service gets the generic Art. 16 notice at the
 * address the operator gives; Instagram, Snapchat and TikTok get a report about a doxxed handle through their
 * own forms. Sources: shared/reference/reporting.md §(b). Ids are storage keys: never rename.
 */
import type { NoticeItemKind } from './legal-grounds.js';

export type RecipientId = 'telegram_abuse' | 'telegram_stopca' | 'telegram_dsa' | 'hosting_dsa' | 'instagram' | 'snapchat' | 'tiktok';

export interface Recipient {
  id: RecipientId;
  name: string;
  /** e-mail: sent by SMTP; web_form: exported (.eml / text) and pasted into the form, then marked sent by hand. */
  channel: 'email' | 'web_form';
  /** Default address for e-mail recipients; the operator may set one for any recipient. */
  address: string | null;
  formUrl: string | null;
  /** Which template it gets. */
  template: 'dsa-notice' | 'platform-report';
  /** The service the content is on, for the template's wording. */
  service: string;
  kinds: readonly NoticeItemKind[];
}

export const RECIPIENTS: Record<RecipientId, Recipient> = {
  telegram_abuse: {
    id: 'telegram_abuse', name: 'Telegram (abuse@telegram.org)', channel: 'email', address: 'abuse@telegram.org', formUrl: null,
    template: 'dsa-notice', service: 'Telegram', kinds: ['intimate_image', 'csam', 'phone', 'handle'],
  },
  telegram_stopca: {
    id: 'telegram_stopca', name: 'Telegram (stopCA@telegram.org)', channel: 'email', address: 'stopCA@telegram.org', formUrl: null,
    template: 'dsa-notice', service: 'Telegram', kinds: ['csam'],
  },
  telegram_dsa: {
    id: 'telegram_dsa', name: 'Telegram DSA notice form', channel: 'web_form', address: null, formUrl: 'https://telegram.org/dsa-report',
    template: 'dsa-notice', service: 'Telegram', kinds: ['intimate_image', 'csam', 'phone', 'handle'],
  },
  hosting_dsa: {
    id: 'hosting_dsa', name: 'Hosting service (DSA Art. 16 notice)', channel: 'email', address: null, formUrl: null,
    template: 'dsa-notice', service: 'your service', kinds: ['intimate_image', 'csam', 'phone', 'handle'],
  },
  instagram: {
    id: 'instagram', name: 'Instagram', channel: 'web_form', address: null, formUrl: 'https://help.instagram.com/',
    template: 'platform-report', service: 'Instagram', kinds: ['handle'],
  },
  snapchat: {
    id: 'snapchat', name: 'Snapchat', channel: 'web_form', address: null, formUrl: 'https://help.snapchat.com/',
    template: 'platform-report', service: 'Snapchat', kinds: ['handle'],
  },
  tiktok: {
    id: 'tiktok', name: 'TikTok', channel: 'web_form', address: null, formUrl: 'https://www.tiktok.com/legal/report',
    template: 'platform-report', service: 'TikTok', kinds: ['handle'],
  },
};

export const RECIPIENT_IDS = Object.keys(RECIPIENTS) as RecipientId[];

/** Recipients on the platform of a doxxed handle. */
const HANDLE_PLATFORM: Record<string, RecipientId> = { instagram: 'instagram', snapchat: 'snapchat', tiktok: 'tiktok' };

/**
 * The recipients an item gets when the operator names none: Telegram's channels for content in a Telegram
 * chat (stopCA@ too for CSAM), the generic hosting notice otherwise, and the handle's own platform for a handle.
 * @example defaultRecipients('handle', 'telegram_export', 'instagram') // ['telegram_abuse', 'telegram_dsa', 'instagram']
 */
export function defaultRecipients(kind: NoticeItemKind, source: string, handlePlatform: string | null): RecipientId[] {
  const out: RecipientId[] = source === 'telegram_export'
    ? (kind === 'csam' ? ['telegram_stopca', 'telegram_abuse', 'telegram_dsa'] : ['telegram_abuse', 'telegram_dsa'])
    : ['hosting_dsa'];
  if (kind === 'handle' && handlePlatform && HANDLE_PLATFORM[handlePlatform]) out.push(HANDLE_PLATFORM[handlePlatform]);
  return out;
}

/** True when a recipient takes notices about this kind of item. */
export function recipientTakes(id: RecipientId, kind: NoticeItemKind): boolean {
  return RECIPIENTS[id].kinds.includes(kind);
}
