/**
 * Flood quarantine: a safety switch for long-running matching (server, bot) against a bank entry that suddenly
 * matches far more than the others (a blank or very common image slipped into a bank). No verdict is given
 * before the run has answered FLOOD_MIN_SAMPLE queries; after that, an entry is flagged once it has matched at
 * least FLOOD_MIN_MATCHES queries AND more than FLOOD_RATIO times the median match count of the other entries
 * that matched (at least 1). A flagged entry is quarantined: it stops matching until someone releases it.
 * One-off runs (`unexpose match`, `scan`) never judge: a folder holding one picture fifty times is not a flood.
 */

export const FLOOD_MIN_SAMPLE = 1000;
export const FLOOD_MIN_MATCHES = 50;
export const FLOOD_RATIO = 10;

export interface FloodGuardOptions {
  /** Queries answered before any verdict (default FLOOD_MIN_SAMPLE). */
  minSample?: number;
  minMatches?: number;
  ratio?: number;
}

/**
 * Counts matches per entry and says which entries just crossed the line.
 * @example const guard = new FloodGuard(); guard.record([7]) // [] until entry 7 floods
 */
export class FloodGuard {
  private readonly counts = new Map<number, number>();
  private readonly flagged = new Set<number>();
  private readonly minMatches: number;
  private readonly ratio: number;
  private readonly minSample: number;
  private queries = 0;

  constructor(opts: FloodGuardOptions = {}) {
    this.minSample = opts.minSample ?? FLOOD_MIN_SAMPLE;
    this.minMatches = opts.minMatches ?? FLOOD_MIN_MATCHES;
    this.ratio = opts.ratio ?? FLOOD_RATIO;
  }

  /** Records one query's matched entry ids; returns the ids that are flooding now (each id once per guard). */
  record(entryIds: readonly number[]): number[] {
    this.queries++;
    for (const id of new Set(entryIds)) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
    const out: number[] = [];
    if (this.queries < this.minSample) return out;
    for (const id of new Set(entryIds)) {
      if (this.flagged.has(id)) continue;
      const n = this.counts.get(id)!;
      if (n >= this.minMatches && n > this.ratio * this.medianOfOthers(id)) {
        this.flagged.add(id);
        out.push(id);
      }
    }
    return out;
  }

  /** Matches of an entry so far in this run. */
  count(id: number): number {
    return this.counts.get(id) ?? 0;
  }

  private medianOfOthers(id: number): number {
    const others = [...this.counts].filter(([k]) => k !== id && !this.flagged.has(k)).map(([, v]) => v).sort((a, b) => a - b);
    if (others.length === 0) return 1;
    return Math.max(1, others[Math.floor(others.length / 2)]);
  }
}
