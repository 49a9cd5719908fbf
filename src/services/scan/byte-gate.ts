/**
 * A gate on bytes in flight: media of a batch wait here before they are read, so that however many messages
 * point at large files (one 25 MB zip entry referenced by a hundred messages, or a hundred such entries), at most
 * `capacity` bytes are read but not yet hashed at any time. Waiters are served first come, first served; an item
 * larger than the whole capacity counts as the whole capacity (it goes alone).
 */

export class ByteGate {
  private used = 0;
  private readonly queue: { bytes: number; admit: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`byte gate capacity must be > 0 (got ${capacity})`);
  }

  /** Bytes admitted and not yet released. */
  get inFlight(): number {
    return this.used;
  }

  /**
   * Waits until `bytes` fit, then holds them until the returned release function is called (once).
   * @example const release = await gate.acquire(size); try { await hash(await read()) } finally { release() }
   */
  async acquire(bytes: number): Promise<() => void> {
    const need = Math.min(Math.max(0, bytes), this.capacity);
    if (this.queue.length > 0 || this.used + need > this.capacity) {
      await new Promise<void>((admit) => this.queue.push({ bytes: need, admit }));
    } else {
      this.used += need;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= need;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    while (this.queue.length > 0 && this.used + this.queue[0].bytes <= this.capacity) {
      const next = this.queue.shift()!;
      this.used += next.bytes;
      next.admit();
    }
  }
}
