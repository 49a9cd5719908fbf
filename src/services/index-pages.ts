/**
 * Which pages a loaded match index sits on, for the server's log: past ~1 GiB of index, lookups on 4 KiB pages spend
 * much of their time walking page tables (docs/deploy.md, GLIBC_TUNABLES).
 */
import { hugePagesHere, type HugePages } from '../io/memory/huge-pages.js';

/** Index bytes past which 4 KiB pages are worth a warning. */
export const SMALL_PAGES_WARN_BYTES = 2 ** 30;

/** The page kind large blocks get here, and whether an index of `bytes` is large enough on 4 KiB pages to warn. */
export function indexPages(bytes: number, here: () => HugePages = hugePagesHere): { hugePages: HugePages; warn: boolean } {
  const hugePages = here();
  return { hugePages, warn: hugePages === 'off' && bytes > SMALL_PAGES_WARN_BYTES };
}
