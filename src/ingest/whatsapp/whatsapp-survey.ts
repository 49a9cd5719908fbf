/**
 * What a WhatsApp chat file is, read from its headers before any message is delivered: the header format the
 * file uses (the most common shape: brackets, date separator, what ends the header), whether days come before
 * months (a number above 12 decides; when none does, the reading with fewer steps back in time wins and the
 * result is flagged as ambiguous), and whether it is a group (a group event, or more than two authors).
 * Feed it lines (the head of the file to detect, the whole file to stream); it keeps only counters.
 */
import { dayMonthPair, headerWallSeconds, isGroupEvent, isSystemText, looksLikeHeader, parseHeaderLine, splitAuthor, type HeaderLine } from './whatsapp-line.js';
import { mediaFromLine } from './whatsapp-media.js';

interface ShapeStats {
  headers: number;
  withAuthor: number;
  dayFirstVotes: number;
  monthFirstVotes: number;
  yearFirst: number;
  prevDf: number | null;
  prevMf: number | null;
  backDf: number;
  backMf: number;
}

export interface SurveyResult {
  /** The file's header shape; null when no line parses as a header. */
  shape: string | null;
  /** Headers in that shape, and how many of them name an author. */
  headers: number;
  withAuthor: number;
  /** Lines that start like a header (a date and a time). */
  headerLike: number;
  dayFirst: boolean;
  /** No date in the file settles the order (all day and month numbers are 12 or less). */
  ambiguous: boolean;
  /** Some dates read only day-first and others only month-first. */
  conflicting: boolean;
  group: boolean;
}

/** Distinct authors remembered before a chat counts as a group (a personal chat has two). */
const GROUP_AUTHORS = 3;

export class ChatSurvey {
  private shapes = new Map<string, ShapeStats>();
  private headerLike = 0;
  private groupEvent = false;
  private authors = new Set<string>();

  /** Adds one line of the file (without its line break). */
  add(line: string): void {
    const h = parseHeaderLine(line);
    if (!h) {
      if (looksLikeHeader(line)) this.headerLike++;
      return;
    }
    this.headerLike++;
    this.addHeader(h);
  }

  private addHeader(h: HeaderLine): void {
    let s = this.shapes.get(h.shape);
    if (!s) {
      s = { headers: 0, withAuthor: 0, dayFirstVotes: 0, monthFirstVotes: 0, yearFirst: 0, prevDf: null, prevMf: null, backDf: 0, backMf: 0 };
      this.shapes.set(h.shape, s);
    }
    s.headers++;
    const [p, q] = dayMonthPair(h);
    if (p > 12 && q <= 12) s.dayFirstVotes++;
    else if (q > 12 && p <= 12) s.monthFirstVotes++;
    if (h.digits[0] >= 3) s.yearFirst++;
    const df = headerWallSeconds(h, { dayFirst: true });
    const mf = headerWallSeconds(h, { dayFirst: false });
    if (df !== null) { if (s.prevDf !== null && df < s.prevDf) s.backDf++; s.prevDf = df; }
    if (mf !== null) { if (s.prevMf !== null && mf < s.prevMf) s.backMf++; s.prevMf = mf; }
    const { author, text, marked } = splitAuthor(h.rest);
    const media = author !== null ? mediaFromLine(text) : null;
    const system = author === null || (marked && !media) || (!media && isSystemText(text, author));
    if (system) {
      if (isGroupEvent(text)) this.groupEvent = true;
      return;
    }
    s.withAuthor++;
    if (this.authors.size < GROUP_AUTHORS) this.authors.add(author);
  }

  result(): SurveyResult {
    let best: [string, ShapeStats] | null = null;
    for (const e of this.shapes) if (!best || e[1].headers > best[1].headers) best = e;
    if (!best) {
      return { shape: null, headers: 0, withAuthor: 0, headerLike: this.headerLike, dayFirst: true, ambiguous: false, conflicting: false, group: this.groupEvent };
    }
    const [shape, s] = best;
    const decided = s.dayFirstVotes > 0 || s.monthFirstVotes > 0;
    let dayFirst: boolean;
    if (decided) dayFirst = s.dayFirstVotes >= s.monthFirstVotes;
    else if (s.backDf !== s.backMf) dayFirst = s.backDf < s.backMf;
    else dayFirst = s.yearFirst * 2 < s.headers; // year first (2018/06/13) is ISO-like: month first
    return {
      shape, headers: s.headers, withAuthor: s.withAuthor, headerLike: this.headerLike, dayFirst,
      ambiguous: !decided && s.headers > 1, conflicting: s.dayFirstVotes > 0 && s.monthFirstVotes > 0,
      group: this.groupEvent || this.authors.size >= GROUP_AUTHORS,
    };
  }
}

/**
 * Whether a file's head reads as a WhatsApp chat: at least one message header with an author in one format, and
 * that format holds at least half of the lines that start like a header. A format whose header ends in a bare
 * space (Croatian `13. 6. 2018. 21:25:15 a: m`) is easy to meet by chance, so it needs two.
 */
export function isWhatsAppHead(r: SurveyResult): boolean {
  if (!r.shape || r.withAuthor < 1) return false;
  if (r.shape.endsWith(' ') && r.withAuthor < 2) return false;
  return r.headers * 2 >= r.headerLike;
}
