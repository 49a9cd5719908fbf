/** The outbox's state machine: the path a notice takes, and the moves that are refused. */
import { describe, expect, it } from 'vitest';
import { canMove, checkMove, NOTICE_STATES } from './notice-state.js';

describe('notice states', () => {
  it('allows draft → sending → sent → acknowledged → removed, and a late answer after no_answer', () => {
    for (const [a, b] of [['draft', 'sending'], ['sending', 'sent'], ['sent', 'acknowledged'], ['acknowledged', 'removed'], ['sent', 'no_answer'], ['no_answer', 'removed'], ['draft', 'sent']] as const) {
      expect(canMove(a, b), `${a} -> ${b}`).toBe(true);
    }
  });

  it('never leaves removed, and never goes back to draft once sent', () => {
    for (const s of NOTICE_STATES) expect(canMove('removed', s)).toBe(false);
    for (const s of ['sent', 'acknowledged', 'refused', 'no_answer'] as const) expect(canMove(s, 'draft')).toBe(false);
    expect(() => checkMove('removed', 'sent')).toThrow(/cannot become sent/);
    expect(() => checkMove('sent', 'gone')).toThrow(/not a notice state/);
  });
});
