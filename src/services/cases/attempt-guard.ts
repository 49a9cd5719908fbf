/**
 * Lockout after failed case-number + PIN attempts, per case and per client address: a few free tries, then a wait
 * that doubles with each failure and is capped short, so that a stranger cannot lock the victim out for long while
 * guessing an 8-digit PIN stays hopeless (at most a few tries a minute per case, whatever the number of addresses).
 */

/** Failures allowed before any wait. */
export const FREE_ATTEMPTS = 5;
/** The first wait, in ms; it doubles with each further failure. */
export const FIRST_LOCK_MS = 2_000;
/** The longest wait, in ms: the most a stranger can hold her out. */
export const MAX_LOCK_MS = 60_000;
/** Addresses remembered at once (oldest dropped first): memory stays bounded under a flood. */
export const MAX_TRACKED_ADDRESSES = 50_000;

/**
 * How long to lock after this many consecutive failures (0: no lock).
 * @example lockMsAfter(6) // 4000
 */
export function lockMsAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS));
}

interface AddressState {
  failures: number;
  lockedUntil: number;
}

/** Failures per client address, in memory (a restart forgives them; per-case failures are in the database). */
export class AddressGuard {
  private readonly byAddress = new Map<string, AddressState>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this address must still wait (0: may try). */
  waitMs(address: string): number {
    const s = this.byAddress.get(address);
    return s ? Math.max(0, s.lockedUntil - this.now()) : 0;
  }

  fail(address: string): void {
    const s = this.byAddress.get(address) ?? { failures: 0, lockedUntil: 0 };
    s.failures += 1;
    s.lockedUntil = this.now() + lockMsAfter(s.failures);
    this.byAddress.delete(address);
    this.byAddress.set(address, s);
    if (this.byAddress.size > MAX_TRACKED_ADDRESSES) this.byAddress.delete(this.byAddress.keys().next().value!);
  }

  succeed(address: string): void {
    this.byAddress.delete(address);
  }
}

/** Case creations per address in a sliding window: a page, not a bulk API. */
export class CreationLimiter {
  private readonly times = new Map<string, number[]>();
  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** True when this address may create one more case now (and counts it). */
  allow(address: string): boolean {
    const t = this.now();
    const recent = (this.times.get(address) ?? []).filter((x) => t - x < this.windowMs);
    if (recent.length >= this.max) return false;
    recent.push(t);
    this.times.delete(address);
    this.times.set(address, recent);
    if (this.times.size > MAX_TRACKED_ADDRESSES) this.times.delete(this.times.keys().next().value!);
    return true;
  }
}
