import { describe, expect, it } from 'vitest';
import { ByteGate } from './byte-gate.js';

describe('ByteGate', () => {
  it('never admits more than its capacity, in arrival order, and lets an oversized item go alone', async () => {
    const gate = new ByteGate(100);
    let peak = 0;
    const order: number[] = [];
    const sizes = [60, 30, 50, 500, 10, 90, 40];
    await Promise.all(sizes.map(async (size, i) => {
      const release = await gate.acquire(size);
      order.push(i);
      peak = Math.max(peak, gate.inFlight);
      await new Promise((r) => setTimeout(r, 5));
      release();
      release(); // a second call does nothing
    }));
    expect(peak).toBeLessThanOrEqual(100);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(gate.inFlight).toBe(0);
  });
});
