import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { frameSocketSupported, openFrameSocket } from './frame-socket.js';

describe.skipIf(!frameSocketSupported)('the frame socket (ffmpeg stdout read straight into the frame buffer)', () => {
  it('puts every byte written to the peer into the buffers it is given, frame by frame, never past a frame end', async () => {
    const frameBytes = 100_003; // not a multiple of any read size
    const frame = new Uint8Array(frameBytes);
    const got: Uint8Array[] = [];
    let filled = 0;
    let biggestRead = 0;
    let resume = () => {};
    const socket = await openFrameSocket(
      () => frame.subarray(filled === frameBytes ? 0 : filled),
      (n) => {
        biggestRead = Math.max(biggestRead, n);
        filled += n;
        if (filled < frameBytes) return true;
        got.push(frame.slice());
        filled = 0;
        setImmediate(() => resume()); // a consumer that takes its time before asking for the next frame
        return false;
      },
    );
    if (!socket) throw new Error('no frame socket on Linux');
    resume = () => socket.reader.resume();
    const closed = new Promise((resolve) => socket.reader.once('close', resolve));
    const data = randomBytes(frameBytes * 3 + 17);
    // Written in odd pieces, as ffmpeg's writes would come.
    for (let off = 0; off < data.length; off += 65_521) socket.peer.write(data.subarray(off, off + 65_521));
    socket.peer.end();
    await closed;
    expect(got).toHaveLength(3);
    for (let k = 0; k < 3; k++) expect(Buffer.from(got[k]).equals(data.subarray(k * frameBytes, (k + 1) * frameBytes))).toBe(true);
    expect(filled).toBe(17); // the tail of a cut-off frame stays counted, for the caller to report
    expect(biggestRead).toBeLessThanOrEqual(frameBytes);
  });
});
