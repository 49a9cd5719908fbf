/**
 * Which stored posts an evidence package covers, and why each is in it: for a case, every post that matched the
 * case's bank; for a scan, the posts it stored that matched a bank, re-posted pictures, and posts that spread
 * a phone number or handle.
 */
import { UnexposeError } from '../../core/errors.js';
import type { FindingRepo, PostRef } from '../../io/db/repos/finding-repo.js';

export type EvidenceSubject = { caseBank: string } | { scanId: number };

export interface SubjectPosts {
  posts: PostRef[];
  reasons: Map<string, string[]>;
}

export const postKey = (p: PostRef): string => `${p.chatId}:${p.messageId}`;

/**
 * The posts of a subject with their reasons.
 * @example const { posts, reasons } = await subjectPosts(findings, { caseBank: 'case-2026-0012' })
 */
export async function subjectPosts(repo: FindingRepo, subject: EvidenceSubject): Promise<SubjectPosts> {
  const reasons = new Map<string, string[]>();
  const add = (p: PostRef, why: string) => {
    const list = reasons.get(postKey(p)) ?? [];
    if (!list.includes(why)) list.push(why);
    reasons.set(postKey(p), list);
  };
  if ('caseBank' in subject) {
    for (const g of await repo.entryMatches({ bank: subject.caseBank })) {
      for (const p of g.posts) add(p, g.display ? `identifier alert ${g.bank}: ${g.signalType} ${g.display}` : `bank match ${g.bank} (${g.signalType}, distance ${g.distance})`);
    }
    if (reasons.size === 0) throw new UnexposeError('not_found', `no match of bank ${subject.caseBank} in the store (scan an export first)`);
  } else {
    if (!(await repo.scanExists(subject.scanId))) throw new UnexposeError('not_found', `no scan ${subject.scanId} in the store`);
    const scope = { scanId: subject.scanId };
    for (const g of await repo.entryMatches({ scope })) for (const p of g.posts) add(p, g.display ? `identifier alert ${g.bank}: ${g.signalType} ${g.display}` : `bank match ${g.bank} (${g.signalType}, distance ${g.distance})`);
    for (const c of await repo.clusterGroups({ scope })) for (const p of c.posts) add(p, `picture posted ${c.posts.length} times`);
    for (const g of await repo.identifierGroups({ scope })) for (const p of g.posts) add(p, `${g.kind === 'phone' ? 'phone number' : `${g.platform ?? ''} handle`} ${g.display}`);
  }
  const posts = [...reasons.keys()].map((k) => {
    const [chatId, messageId] = k.split(':').map(Number);
    return { chatId, messageId };
  });
  return { posts, reasons };
}
