import { describe, expect, it } from 'vitest';
import { glibcAdvisesHugePages, hugePagesHere, thpMode } from './huge-pages.js';

describe('huge pages for the match indexes', () => {
  it('reads the kernel mode in brackets', () => {
    expect(thpMode('always [madvise] never\n')).toBe('madvise');
    expect(thpMode('[always] madvise never')).toBe('always');
    expect(thpMode('garbage')).toBeUndefined();
  });

  it('sees glibc advice among other tunables only when hugetlb is 1 or 2', () => {
    expect(glibcAdvisesHugePages('glibc.malloc.hugetlb=1')).toBe(true);
    expect(glibcAdvisesHugePages('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2')).toBe(true);
    expect(glibcAdvisesHugePages('glibc.malloc.hugetlb=0')).toBe(false);
    expect(glibcAdvisesHugePages('glibc.malloc.hugetlb=10')).toBe(false);
    expect(glibcAdvisesHugePages(undefined)).toBe(false);
  });

  it('combines both: madvise needs the advice, always does not, never refuses', () => {
    expect(hugePagesHere(() => 'always [madvise] never', 'glibc.malloc.hugetlb=1')).toBe('advised');
    expect(hugePagesHere(() => 'always [madvise] never', undefined)).toBe('off');
    expect(hugePagesHere(() => '[always] madvise never', undefined)).toBe('always');
    expect(hugePagesHere(() => 'always madvise [never]', 'glibc.malloc.hugetlb=1')).toBe('off');
    expect(hugePagesHere(() => { throw new Error('ENOENT'); }, 'glibc.malloc.hugetlb=1')).toBe('unknown');
  });
});
