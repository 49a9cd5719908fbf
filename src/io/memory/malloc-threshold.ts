/**
 * Keeps the decoders' large scratch buffers in the C heap between images instead of giving them back to the
 * operating system after every image and faulting them in again.
 *
 * Why: glibc's malloc serves a block of 128 KiB or more with its own mmap and unmaps it when freed, and shrinks a
 * thread's heap once more than twice that is free at its top. libjpeg allocates a whole-image coefficient buffer for a
 * progressive JPEG (1600x1004 4:4:4: three blocks of 3.2 MB) and libvips a few more of a megabyte; so every image was
 * faulted in page by page (~800 page faults and 5-9 ms of system time per 1600x1004 photo, half the CPU of
 * decoding it). glibc raises both thresholds by itself the first time it frees a mapped block larger than the
 * current threshold, up to 32 MiB (mmap) and 64 MiB (trim): one such free at start-up puts them at the top, so that
 * blocks below 32 MiB are reused. Larger blocks (a 100-megapixel decode) are still mapped and given back at once,
 * and a thread's heap still shrinks past 64 MiB free: memory stays bounded.
 *
 * How, from JavaScript: an ArrayBuffer of just under 32 MiB (malloc'd by Node, never touched, so it costs no page)
 * is transferred into a message to a closed port; Node drops the message there and then, which frees the block.
 * Where the allocator is another one (musl, macOS) or GLIBC_TUNABLES fixes the thresholds, this changes nothing.
 */
import { MessageChannel } from 'node:worker_threads';

/** Just under glibc's DEFAULT_MMAP_THRESHOLD_MAX (32 MiB on 64-bit), so that freeing it raises the threshold. */
const BLOCK_BYTES = 32 * 2 ** 20 - 64 * 2 ** 10;

let raised = false;

/** Raises glibc's mmap and trim thresholds (the process's) to their dynamic maximum; does it once per thread. */
export function raiseMallocThresholds(): void {
  if (raised) return;
  raised = true;
  const block = new ArrayBuffer(BLOCK_BYTES);
  const { port1, port2 } = new MessageChannel();
  port2.close();
  port1.postMessage(null, [block]);
  port1.close();
}
