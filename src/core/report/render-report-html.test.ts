import { describe, expect, it } from 'vitest';
import { renderReportHtml } from './render-report-html.js';
import type { ScanReport } from '../scan/scan-report.js';

function report(overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    scanId: 1, generatedAt: '2026-11-28T12:00:00.000Z',
    summary: { messages: 1234, serviceMessages: 5, photos: 40, videos: 7, otherMedia: 3, mediaNotDownloaded: 9, participants: 12, forwards: 4, phoneNumbers: 2, handles: 1, mediaClusters: 3, bankMatches: 1 },
    run: { newMessages: 1234, mediaHashedThisRun: 40, mediaHashed: 40, mediaFailed: 0, firstMessage: '2025-03-01T00:00:00.000Z', lastMessage: '2025-03-02T00:00:00.000Z' },
    chats: [{ key: 'telegram_export:42', source: 'telegram_export', id: '42', name: '<script>alert(1)</script> "Expose"', type: 'private_supergroup',
      messages: 1234, serviceMessages: 5, photos: 40, videos: 7, otherMedia: 3, participants: 12, forwards: 4, firstTime: 1, lastTime: 2,
      mediaNotDownloaded: 9, mediaHashed: 40, mediaFailed: 0, phoneNumbers: 2, handles: 1, bankMatches: 1, mediaClusters: 3 }],
    clusters: [{ id: 1, mediaClass: 'photo', representative: 'ab'.repeat(32), posts: 3, chats: 1, senders: 2, firstSeen: '2025-03-01T00:00:00.000Z',
      lastSeen: '2025-03-02T00:00:00.000Z', bankMatches: 1, messages: [{ chat: 'telegram_export:42', messageId: 7, link: 'https://t.me/c/42/7' }] }],
    matches: [{ chat: 'telegram_export:42', messageId: 7, link: 'javascript:alert(1)', kind: 'media', mediaClass: 'photo', bank: 'case-1', signalType: 'pdq', distance: 3, sourceRef: null, labels: ['ncii'], foundBy: 'scan' }],
    daily: [{ date: '2025-03-01', messages: 600, media: 20 }, { date: '2025-03-02', messages: 634, media: 27 }],
    notices: [{ level: 'warning', code: 'truncated', file: 'x/result.json', message: 'stopped at <byte> 10' }],
    ...overrides,
  };
}

describe('HTML report', () => {
  it('is self-contained: no script, no external resource, a CSP that forbids them', () => {
    const html = renderReportHtml(report());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(?!https:\/\/t\.me\/)[a-z]+:/i);
    expect(html).not.toMatch(/<img|<link|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes untrusted chat names, notices and links', () => {
    const html = renderReportHtml(report());
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;Expose&quot;');
    expect(html).toContain('stopped at &lt;byte&gt; 10');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://t.me/c/42/7">');
  });

  it('shows the figures and the charts a journalist needs', () => {
    const html = renderReportHtml(report());
    expect(html).toContain('<b>1,234</b>messages');
    for (const title of ['Messages per day', 'Photos and videos per day', 'Most re-posted media', 'Identifiers spread per chat']) {
      expect(html).toContain(`aria-label="${title}`);
    }
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(2 + 2 + 2 + 2);
  });

  it('says so when there is nothing to chart', () => {
    const html = renderReportHtml(report({ daily: [], clusters: [], matches: [] }));
    expect(html).toContain('no data');
    expect(html).toContain('no media was posted more than once');
    expect(html).toContain('no matches');
  });
});
