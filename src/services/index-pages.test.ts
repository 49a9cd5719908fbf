import { describe, expect, it } from 'vitest';
import { indexPages, SMALL_PAGES_WARN_BYTES } from './index-pages.js';

describe('indexPages', () => {
  it('warns only for a large index on 4 KiB pages', () => {
    expect(indexPages(SMALL_PAGES_WARN_BYTES + 1, () => 'off')).toEqual({ hugePages: 'off', warn: true });
    expect(indexPages(SMALL_PAGES_WARN_BYTES, () => 'off').warn).toBe(false);
    expect(indexPages(10 * SMALL_PAGES_WARN_BYTES, () => 'advised').warn).toBe(false);
    expect(indexPages(10 * SMALL_PAGES_WARN_BYTES, () => 'always').warn).toBe(false);
    expect(indexPages(10 * SMALL_PAGES_WARN_BYTES, () => 'unknown').warn).toBe(false);
  });
});
