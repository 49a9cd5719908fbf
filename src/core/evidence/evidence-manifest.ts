/**
 * The evidence package's manifest (JSON beside the PDF): what was found, where, when and by whom, with a digest
 * of every export file and message it rests on, so that anyone holding the original export can check it with
 * `unexpose verify`. It holds names and texts in clear, read from the export at the moment it was made: it is
 * written only into the package, never into the store. No image: `originals` says where they are kept.
 */

export const EVIDENCE_FORMAT = 'unexpose-evidence/1';

export interface EvidenceFile {
  /** "/"-separated path inside the export. */
  path: string;
  bytes: number;
  sha256: string;
  md5?: string;
  role: 'messages' | 'media';
}

export interface EvidenceChat {
  key: string;
  source: string;
  id: string;
  type: string;
  title: string | null;
  markedId: string | null;
}

export interface EvidencePost {
  utc: string | null;
  unixTime: number | null;
  chat: string;
  messageId: number;
  link: string | null;
  sender: { id: string | null; name: string | null };
  forwardedFrom: string | null;
  text: string;
  textTruncated: boolean;
  media: { kind: string; file: string | null; pdq: string | null; md5: string | null; sha256: string | null } | null;
  /** SHA-256 of the message's bytes in its export file. */
  messageSha256: string;
  position: { file: string; index: number; offset: number };
  /** Why it is in the package: "bank match case-x (pdq, distance 3)", "re-posted picture", "phone number +31 6 •••• ••78". */
  reasons: string[];
  /** Whether the export's message still equals what the scan stored. */
  storedDigest: 'match' | 'mismatch';
}

export interface CustodyEntry {
  at: string;
  who: string;
  action: string;
  from: string;
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  tool: { name: string; version: string };
  createdAt: string;
  subject: { kind: 'case'; bank: string } | { kind: 'scan'; scanId: number };
  export: { label: string; sources: string[]; files: EvidenceFile[] };
  originals: string;
  chats: EvidenceChat[];
  timeline: EvidencePost[];
  /** Stored posts of the subject that this export does not hold. */
  notInExport: { chat: string; messageId: number }[];
  custody: CustodyEntry[];
  legal: string[];
}

/** At most this many characters of one message's text go into the package. */
export const MAX_EVIDENCE_TEXT = 4000;
/** At most this many posts go into one package (the rest are counted, and a narrower subject gets them). */
export const MAX_EVIDENCE_POSTS = 20_000;
