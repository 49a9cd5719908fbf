/** The scan's closing paragraph, and whether a scan read nothing at all (exit 3), from its report. */
import type { ScanReport } from '../../core/scan/scan-report.js';

/** The one-paragraph summary printed at the end. */
export function summaryParagraph(r: ScanReport): string {
  const s = r.summary;
  const period = r.run.firstMessage ? ` between ${r.run.firstMessage.slice(0, 10)} and ${r.run.lastMessage?.slice(0, 10)}` : '';
  return `Scanned ${r.chats.length} chat(s)${period}: ${s.messages.toLocaleString('en-GB')} messages `
    + `(${s.serviceMessages} service messages, ${s.forwards} forwards) from ${s.participants} senders, with ${s.photos} photos, `
    + `${s.videos} videos and ${s.otherMedia} other media (${s.mediaNotDownloaded} not downloaded in the export). `
    + `${r.run.mediaHashed} media files were hashed${r.run.mediaFailed ? ` and ${r.run.mediaFailed} could not be` : ''}; `
    + `${s.mediaClusters} picture(s) or video(s) were posted more than once, and ${s.bankMatches} matched a bank. `
    + `${s.phoneNumbers} distinct phone numbers and ${s.handles} social-media handles were spread. `
    + `This run added ${r.run.newMessages.toLocaleString('en-GB')} new messages.`;
}

/** True when not one message could be read from any input and the input was refused with an error. */
export function nothingRead(r: ScanReport): boolean {
  return r.summary.messages === 0 && r.notices.some((n) => n.level === 'error');
}
