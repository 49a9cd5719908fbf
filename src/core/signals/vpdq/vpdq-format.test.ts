import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatPytxVpdq, formatPython3Significant, formatVpdqHashFile, parsePytxVpdq, parseVpdqHashFile } from './vpdq-format.js';

const H1 = 'e42926b9cb58d261383b699f0ff2e1076fe6183dff4986d82ca36da48034fc54';
const H2 = '4ce949b11f1035e2f2eb0a5e76f68716870e70f97bd91d1049a3dbe1d164b454';

describe('reference hash files (frame,quality,hex,timestamp)', () => {
  it('parses lines as vpdq-hash-video writes them', () => {
    expect(parseVpdqHashFile(`0,100,${H1},0.000\n1,49,${H2.toUpperCase()},0.033\n\n`)).toEqual([
      { frame: 0, quality: 100, pdq: H1, timestamp: 0 },
      { frame: 1, quality: 49, pdq: H2, timestamp: 0.033 },
    ]);
  });

  it('names the file and line of a bad line', () => {
    expect(() => parseVpdqHashFile(`0,100,${H1},0.000\n1,100,nothex,0.033\n`, 'b.txt')).toThrow(/b\.txt line 2: "nothex" is not a PDQ hash/);
    expect(() => parseVpdqHashFile(`0,100,${H1}\n`, 'b.txt')).toThrow(/b\.txt line 1: expected "frame,quality,hex,timestamp"/);
    expect(() => parseVpdqHashFile(`0,101,${H1},0\n`, 'b.txt')).toThrow(/quality "101"/);
  });

  it('round-trips frames, printing timestamps with 3 decimals', () => {
    const text = formatVpdqHashFile([{ frame: 1, quality: 100, pdq: H1, timestamp: 1 / 30 }]);
    expect(text).toBe(`1,100,${H1},0.033\n`);
    expect(parseVpdqHashFile(text)[0]).toEqual({ frame: 1, quality: 100, pdq: H1, timestamp: 0.033 });
  });
});

describe("python-threatexchange's signal string", () => {
  it("accepts the :.3 timestamps python writes, exponents included", () => {
    const frames = parsePytxVpdq(JSON.stringify([`${H1},100,0.0`, `${H2},90,12.3`, `${H1},80,1e+02`, `${H2},70,1.23e+03`]));
    expect(frames.map((f) => f.timestamp)).toEqual([0, 12.3, 100, 1230]);
    expect(frames.map((f) => f.frame)).toEqual([0, 1, 2, 3]);
    expect(frames[1]).toMatchObject({ pdq: H2, quality: 90 });
  });

  it('says what is wrong with a bad signal string', () => {
    expect(() => parsePytxVpdq('not json')).toThrow(/not a JSON list/);
    expect(() => parsePytxVpdq('[1]')).toThrow(/item 0: not a "hex,quality,timestamp" string/);
    expect(() => parsePytxVpdq(JSON.stringify([`${H1},100`]))).toThrow(/item 0: expected "hex,quality,timestamp"/);
  });

  it("formats timestamps as Python's format(x, '.3') does", () => {
    const cases: [number, string][] = [
      [0, '0.0'], [1, '1.0'], [0.5, '0.5'], [20, '20.0'], [12.345, '12.3'], [100, '1e+02'], [1234.5, '1.23e+03'],
      [0.0333, '0.0333'], [0.0001, '0.0001'], [0.00001, '1e-05'], [99.96, '1e+02'], [1.125, '1.12'], [2.675, '2.67'],
      [0.125, '0.125'], [1005, '1e+03'], [1 / 3, '0.333'], [61.5, '61.5'], [999.4, '9.99e+02'],
    ];
    for (const [x, s] of cases) expect([x, formatPython3Significant(x)]).toEqual([x, s]);
  });

  it('round-trips hashes and qualities, timestamps to 3 significant digits', () => {
    const hex = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map((v) => v.toString(16).padStart(64, '0'));
    const frame = fc.record({ pdq: hex, quality: fc.integer({ min: 0, max: 100 }), timestamp: fc.double({ min: 0.001, max: 100000, noNaN: true }) });
    fc.assert(fc.property(fc.array(frame, { maxLength: 8 }), (xs) => {
      const frames = xs.map((x, i) => ({ ...x, frame: i }));
      const back = parsePytxVpdq(formatPytxVpdq(frames));
      expect(back.map((f) => [f.pdq, f.quality])).toEqual(frames.map((f) => [f.pdq, f.quality]));
      back.forEach((f, i) => expect(Math.abs(f.timestamp - frames[i].timestamp)).toBeLessThanOrEqual(frames[i].timestamp * 0.005));
    }));
  });
});
