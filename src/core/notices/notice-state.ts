/**
 * The outbox's states and which changes are allowed. draft → sending → sent → acknowledged → removed / refused /
 * no_answer. 'sending' is held while the SMTP conversation runs, with the Message-ID already chosen: a notice
 * left in 'sending' by a crash is never resent blindly (see services/notices/send-notices).
 */
import { UnexposeError } from '../errors.js';

export const NOTICE_STATES = ['draft', 'sending', 'sent', 'acknowledged', 'removed', 'refused', 'no_answer'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

/** States an operator may set by hand (`notices mark`). */
export const MARKABLE_STATES = ['sent', 'acknowledged', 'removed', 'refused', 'no_answer'] as const;
export type MarkableState = (typeof MARKABLE_STATES)[number];

const NEXT: Record<NoticeState, readonly NoticeState[]> = {
  draft: ['sending', 'sent'],
  // 'sent' by hand after checking the mailbox; back to 'draft' when the attempt failed for sure.
  sending: ['sent', 'draft'],
  sent: ['acknowledged', 'removed', 'refused', 'no_answer'],
  acknowledged: ['removed', 'refused', 'no_answer'],
  // An answer that comes late still counts.
  no_answer: ['acknowledged', 'removed', 'refused'],
  removed: [],
  refused: ['removed'],
};

/** True when `to` may follow `from`. */
export function canMove(from: NoticeState, to: NoticeState): boolean {
  return NEXT[from]?.includes(to) ?? false;
}

/**
 * Checks a change of state, throwing a clear error when it is not allowed.
 * @example checkMove('sent', 'removed') // ok; checkMove('removed', 'draft') throws
 */
export function checkMove(from: string, to: string): void {
  if (!(NOTICE_STATES as readonly string[]).includes(to)) throw new UnexposeError('usage', `not a notice state: ${to} (use ${NOTICE_STATES.join(', ')})`);
  if (!canMove(from as NoticeState, to as NoticeState)) {
    throw new UnexposeError('conflict', `a notice in state ${from} cannot become ${to}${NEXT[from as NoticeState]?.length ? ` (next: ${NEXT[from as NoticeState].join(', ')})` : ''}`);
  }
}
