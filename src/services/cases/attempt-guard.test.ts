/** Lockouts: free tries, doubling waits, a short cap, and bounded memory. */
import { describe, expect, it } from 'vitest';
import { AddressGuard, CreationLimiter, FREE_ATTEMPTS, lockMsAfter, MAX_LOCK_MS } from './attempt-guard.js';

describe('lockMsAfter', () => {
  it('allows a few tries, then doubles, never past the cap', () => {
    expect(lockMsAfter(FREE_ATTEMPTS - 1)).toBe(0);
    expect(lockMsAfter(FREE_ATTEMPTS + 1)).toBe(2 * lockMsAfter(FREE_ATTEMPTS));
    for (let n = 0; n < 1000; n++) expect(lockMsAfter(n)).toBeLessThanOrEqual(MAX_LOCK_MS);
  });
});

describe('AddressGuard', () => {
  it('locks an address after its free tries, for a short time, and forgets it after a success', () => {
    let now = 0;
    const g = new AddressGuard(() => now);
    for (let i = 0; i < FREE_ATTEMPTS; i++) g.fail('a');
    expect(g.waitMs('a')).toBeGreaterThan(0);
    expect(g.waitMs('b')).toBe(0);
    for (let i = 0; i < 100; i++) g.fail('a');
    expect(g.waitMs('a')).toBe(MAX_LOCK_MS);
    now += MAX_LOCK_MS;
    expect(g.waitMs('a')).toBe(0);
    g.succeed('a');
    g.fail('a');
    expect(g.waitMs('a')).toBe(0);
  });
});

describe('CreationLimiter', () => {
  it('allows max creations per window per address', () => {
    let now = 0;
    const l = new CreationLimiter(2, 1000, () => now);
    expect([l.allow('x'), l.allow('x'), l.allow('x'), l.allow('y')]).toEqual([true, true, false, true]);
    now = 1001;
    expect(l.allow('x')).toBe(true);
  });
});
