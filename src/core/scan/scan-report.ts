/**
 * The shape of a scan's report: what `unexpose scan --json` writes and the HTML report shows. Counts, hashes,
 * redacted forms and message links only.
 */

/** Something about the input the user should know (the same shape as an ingest notice). */
export interface ReportNotice {
  level: 'warning' | 'error';
  code: string;
  file: string;
  message: string;
  offset?: number;
  count?: number;
}

/** Figures of one chat, counted over stored rows. */
export interface ChatFigures {
  chatId: number;
  messages: number;
  serviceMessages: number;
  photos: number;
  videos: number;
  otherMedia: number;
  participants: number;
  forwards: number;
  firstTime: number | null;
  lastTime: number | null;
  mediaNotDownloaded: number;
  mediaHashed: number;
  mediaFailed: number;
  phoneNumbers: number;
  handles: number;
  bankMatches: number;
  mediaClusters: number;
}

export interface ScanSummary {
  messages: number;
  serviceMessages: number;
  photos: number;
  videos: number;
  otherMedia: number;
  mediaNotDownloaded: number;
  participants: number;
  forwards: number;
  phoneNumbers: number;
  handles: number;
  mediaClusters: number;
  bankMatches: number;
}

export interface ChatReport extends Omit<ChatFigures, 'chatId'> {
  key: string;
  source: string;
  id: string;
  name: string | null;
  type: string;
}

export interface PostRef {
  chat: string;
  messageId: number;
  link: string | null;
}

export interface ClusterReport {
  id: number;
  mediaClass: string;
  representative: string;
  posts: number;
  chats: number;
  senders: number;
  firstSeen: string | null;
  lastSeen: string | null;
  bankMatches: number;
  messages: PostRef[];
}

export interface MatchReport extends PostRef {
  /** What matched: a photo or video of the message, or an identifier (phone number, handle) written in it. */
  kind: 'media' | 'identifier';
  /** photo | video for a media match, null for an identifier match. */
  mediaClass: string | null;
  bank: string;
  signalType: string;
  /** The redacted identifier ("+31 6 •••• ••78") of an identifier match. */
  identifier?: string;
  distance: number;
  sourceRef: string | null;
  labels: string[];
  /** `scan` when a scan found it; `retro` when a bank gained the entry after the message was stored. */
  foundBy: 'scan' | 'retro';
}

export interface DayReport {
  date: string;
  messages: number;
  media: number;
}

export interface ScanReport {
  scanId: number;
  generatedAt: string;
  summary: ScanSummary;
  run: { newMessages: number; mediaHashedThisRun: number; mediaHashed: number; mediaFailed: number; firstMessage: string | null; lastMessage: string | null };
  chats: ChatReport[];
  clusters: ClusterReport[];
  matches: MatchReport[];
  daily: DayReport[];
  notices: ReportNotice[];
}

