import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeTerminalText } from './terminal-text.js';

describe('safeTerminalText', () => {
  it('escapes ESC/BEL sequences, C1 controls and bidi overrides; keeps ordinary text and tabs', () => {
    expect(safeTerminalText('photos/\u001b]0;pwned\u0007x.jpg')).toBe('photos/\\u001b]0;pwned\\u0007x.jpg');
    expect(safeTerminalText('a\u009b2Jb')).toBe('a\\u009b2Jb');
    expect(safeTerminalText('evil\u202Egpj.exe')).toBe('evil\\u202egpj.exe');
    expect(safeTerminalText('line\nforged')).toBe('line\\u000aforged');
    expect(safeTerminalText('Groep Amsterdam 😀 ü\tok')).toBe('Groep Amsterdam 😀 ü\tok');
  });

  it('leaves no control or bidi character in anything', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      // eslint-disable-next-line no-control-regex
      expect(safeTerminalText(s)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }));
  });

  it('keeps a JSON line valid JSON with the same value', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const line = safeTerminalText(JSON.stringify({ path: s }));
      expect(JSON.parse(line)).toEqual({ path: s });
    }));
  });
});
