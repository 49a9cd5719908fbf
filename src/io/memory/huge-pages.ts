/**
 * Whether this process's large blocks (the match indexes' arrays) can be on transparent huge pages: the kernel's
 * THP mode, and whether glibc was told to advise them (GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which the Docker image
 * sets). A lookup at 10M banked pictures makes ~20,000 random reads in ~9 GiB; on 4 KiB pages it took 2.69 ms against
 * 1.93 ms on huge pages (docs/deploy.md). The server logs it once the index is loaded, so an operator sees why.
 */
import { readFileSync } from 'node:fs';

export type HugePages = 'always' | 'advised' | 'off' | 'unknown';

const THP_MODE = '/sys/kernel/mm/transparent_hugepage/enabled';

/** The bracketed mode of the kernel's THP setting ("always [madvise] never" -> "madvise"), or undefined. */
export function thpMode(text: string): string | undefined {
  return /\[(\w+)\]/.exec(text)?.[1];
}

/** True when GLIBC_TUNABLES asks malloc to advise huge pages (glibc.malloc.hugetlb=1 or 2). */
export function glibcAdvisesHugePages(tunables: string | undefined): boolean {
  return (tunables ?? '').split(':').some((t) => /^glibc\.malloc\.hugetlb=[12]$/.test(t.trim()));
}

/** What large blocks get here: always huge pages, huge pages because glibc advises them, 4 KiB pages, or unknown. */
export function hugePagesHere(readMode: () => string = () => readFileSync(THP_MODE, 'utf8'), tunables = process.env.GLIBC_TUNABLES): HugePages {
  let mode: string | undefined;
  try {
    mode = thpMode(readMode());
  } catch {
    return 'unknown';
  }
  if (mode === 'always') return 'always';
  if (mode === 'madvise' && glibcAdvisesHugePages(tunables)) return 'advised';
  return mode === undefined ? 'unknown' : 'off';
}
