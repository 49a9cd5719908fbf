import { describe, expect, it } from 'vitest';
import { describeSignalType } from '../signal-type.case.js';
import { signalTypes } from '../registry.js';
import { regionMagSignal } from './region-mag-signal.js';

describeSignalType(regionMagSignal);

describe('region_mag in the registry', () => {
  it('is listed once, for photos, served by the Hamming index', () => {
    expect(signalTypes.require('region_mag')).toBe(regionMagSignal);
    expect(signalTypes.forContent('photo').map((t) => t.name)).toContain('region_mag');
  });
  it('takes the banked values (not the looked-up forms) from a photo hash result', () => {
    const r = {
      path: 'x.jpg', kind: 'photo' as const, pdq: '0'.repeat(64), quality: 90, sha256: 'a'.repeat(64), md5: 'b'.repeat(32),
      regionMag: [{ value: '1'.repeat(64), quality: 80 }], regionMagQuery: [{ value: '2'.repeat(64), quality: 70 }],
    };
    expect(regionMagSignal.fromMedia!(r)).toEqual([{ type: 'region_mag', value: '1'.repeat(64), quality: 80 }]);
  });
});
