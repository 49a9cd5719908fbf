/**
 * Notice rendering: every Art. 16(2) element is in every built-in template in both languages, CSAM notices go
 * without the notifier, follow-ups cite the first notice, and no inserted value can smuggle controls or markup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NoticePayload } from './notice-payload.js';
import { RECIPIENTS } from './recipients.js';
import { escapeHeader, renderNotice, NOTICE_LANGUAGES, type NoticeLanguage } from './render-notice.js';
import { GROUND_OF_KIND } from './legal-grounds.js';

const root = join(import.meta.dirname, '../../../templates/notices');
const template = (name: string, lang: NoticeLanguage) => readFileSync(join(root, lang, `${name}.txt`), 'utf8');

function payload(over: Partial<NoticePayload> = {}): NoticePayload {
  const kind = over.kind ?? 'intimate_image';
  return {
    format: 1, reference: 'UNX-000042', kind, ground: GROUND_OF_KIND[kind], identifier: null,
    match: { bank: 'case-1', signalType: 'pdq', distance: 4 },
    locations: [{
      chat: { source: 'telegram_export', externalId: '1987654321', markedId: '-1001987654321', type: 'private_supergroup', title: 'Synthetische groep' },
      messageId: 17, link: 'https://t.me/c/1987654321/17', utc: '2025-03-01T10:00:00Z',
      media: { kind: 'photo', pdq: 'ab'.repeat(32), md5: 'cd'.repeat(16), sha256: 'ef'.repeat(32) },
    }],
    moreLocations: 0, notifier: { name: 'Helpline Test', email: 'notices@helpline.example', organisation: null }, followUp: null,
    createdAt: '2026-11-30T12:00:00.000Z', ...over,
  };
}

describe('renderNotice', () => {
  for (const lang of NOTICE_LANGUAGES) {
    it(`dsa-notice (${lang}) carries the legal ground, the exact location, the notifier and the good-faith statement`, () => {
      const { subject, body } = renderNotice(template('dsa-notice', lang), payload(), RECIPIENTS.telegram_abuse, lang, { format: 'text' });
      expect(subject).toContain('UNX-000042');
      expect(subject).toContain('Art. 139h');
      expect(body).toContain('Art. 139h Wetboek van Strafrecht');
      expect(body).toContain('https://t.me/c/1987654321/17');
      expect(body).toContain('1987654321');
      expect(body).toContain('-1001987654321');
      expect(body).toMatch(/\b17\b/);
      expect(body).toContain('2025-03-01T10:00:00Z');
      for (const h of ['ab'.repeat(32), 'cd'.repeat(16), 'ef'.repeat(32)]) expect(body).toContain(h);
      expect(body).toContain('Helpline Test');
      expect(body).toContain('notices@helpline.example');
      expect(body).toMatch(lang === 'en' ? /bona fide belief/ : /te goeder trouw/);
    });

    it(`a CSAM notice (${lang}) names no notifier and cites the Directive`, () => {
      const { body } = renderNotice(template('dsa-notice', lang), payload({ kind: 'csam', notifier: null, match: null }), RECIPIENTS.telegram_stopca, lang, { format: 'text' });
      expect(body).toContain('Art. 252');
      expect(body).toContain('Directive 2011/93/EU');
      expect(body).not.toContain('Helpline Test');
    });

    it(`a follow-up (${lang}) cites the first notice`, () => {
      const { subject, body } = renderNotice(template('dsa-notice', lang), payload({ followUp: { reference: 'UNX-000007', sentAt: '2026-01-02T00:00:00Z', removedAt: '2026-01-05T00:00:00Z' } }),
        RECIPIENTS.telegram_abuse, lang, { format: 'text' });
      expect(subject).toMatch(/^(Follow-up to|Vervolg op) UNX-000007: .* UNX-000042$/);
      expect(body).toContain('UNX-000007');
      expect(body).toContain('2026-01-05T00:00:00Z');
    });

    it(`platform-report (${lang}) shows the handle redacted unless she chose to include it`, () => {
      const p = payload({ kind: 'handle', match: null, identifier: { kind: 'handle', platform: 'instagram', display: 'ig:@e••••0' } });
      const redacted = renderNotice(template('platform-report', lang), p, RECIPIENTS.instagram, lang, { format: 'text' });
      expect(redacted.body).toContain('ig:@e••••0');
      expect(redacted.body).toContain('Art. 285d');
      const clear = renderNotice(template('platform-report', lang), p, RECIPIENTS.instagram, lang, { format: 'text', clearIdentifier: '@example.synth.0000' });
      expect(clear.body).toContain('@example.synth.0000');
    });
  }

  it('strips controls and bidi overrides from values, even through triple braces, and keeps the subject on one line', () => {
    const hostile = 'Groep\u001b[31m\u202e<script>x</script>\r\nBcc: someone@example.com';
    const p = payload();
    p.locations[0].chat.title = hostile;
    const t = 'Subject: {{{locations.0.chat.title}}} {{reference}}\n\n{{#locations}}{{{chat.title}}}|{{chat.title}}{{/locations}}\n';
    const text = renderNotice(t, p, RECIPIENTS.telegram_abuse, 'en', { format: 'text' });
    expect(text.subject).not.toMatch(/[\r\n\u001b\u202e]/);
    expect(text.body).not.toMatch(/[\u001b\u202e\r]/);
    const html = renderNotice(t, p, RECIPIENTS.telegram_abuse, 'en', { format: 'html' });
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('&#60;script&#62;');
  });

  it('refuses a template without a Subject line', () => {
    expect(() => renderNotice('Hello {{reference}}', payload(), RECIPIENTS.telegram_abuse, 'en', { format: 'text' })).toThrow(/Subject/);
  });

  it('escapeHeader never leaves a line break or control character (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(escapeHeader(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }));
  });
});
