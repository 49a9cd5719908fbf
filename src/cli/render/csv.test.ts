import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('csvCell', () => {
  it('neutralises cells a spreadsheet would run as a formula (OWASP)', () => {
    for (const evil of ['=HYPERLINK("http://x","y")', '+31 6 1234', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      const cell = csvCell(evil);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      expect(unquoted).toBe(`'${evil}`);
    }
  });

  it('keeps numbers and ordinary text as they are, quotes commas and quotes', () => {
    expect(csvRow([-1, 0, 'case-1', 'a,b', 'say "hi"', null])).toBe('-1,0,case-1,"a,b","say ""hi""",');
  });
});
