/**
 * Reused byte buffers. A history export reads and writes hundreds of MB a page at a time; with
 * a fresh buffer per page, V8 lets dead buffers pile up (it collects them only once external
 * memory has grown by tens of MB), and a process that could run in a few MB of live pages
 * holds hundreds. A pool hands the same few buffers out again.
 *
 * @module
 */

/** The size a new buffer gets: some room above `size`, in 64 KiB steps, for similar pages. */
const capacityFor = (size: number): number =>
  Math.max(64 * 1024, Math.ceil((size * 1.25) / 65536) * 65536);

/**
 * Frees `buffer`'s memory now: a buffer nothing will read again (a run's Parquet export once
 * decoded, one a pool does not keep) would otherwise wait for a full collection, which V8 runs
 * only once tens of MB of them have piled up. Detaches it (`transfer(0)` hands its bytes to an
 * empty buffer): a view of it that is read afterwards reads nothing.
 */
export function releaseMemory(buffer: ArrayBufferLike): void {
  // Runtimes without `transfer` (ES2024: Node before 21) leave it to the collector.
  if (
    buffer instanceof ArrayBuffer && !buffer.detached && buffer.byteLength > 0 &&
    typeof buffer.transfer === "function"
  ) {
    buffer.transfer(0);
  }
}

/** The pool each buffer was taken from, so a sink can give it back without being told. */
const origins = new WeakMap<ArrayBuffer, BufferPool>();

/**
 * A bounded set of free buffers. `take` gives a buffer of at least the size asked for (a free
 * one when one is large enough); `give` returns a buffer nothing uses any more. At most `keep`
 * buffers wait, none larger than `largest` bytes: the pool never holds more than
 * `keep * largest` bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferPool } from "@effect-wandb/api";
 * const pool = new BufferPool(4);
 * const first = pool.take(100_000);
 * pool.give(first.buffer);
 * assert.ok(pool.take(90_000).buffer === first.buffer); // reused
 * ```
 */
export class BufferPool {
  private readonly free: Array<ArrayBuffer> = [];

  /**
   * @param keep How many free buffers to hold at most: for an NDJSON scan, twice the pages in
   * flight (a page's bytes, and its rows' ends and steps).
   * @param largest The largest buffer worth keeping, in bytes.
   */
  constructor(
    private readonly keep: number,
    private readonly largest: number = 16 * 1024 * 1024,
  ) {}

  /** A buffer of at least `size` bytes: the whole buffer, not just `size` of it. */
  take(size: number): Uint8Array<ArrayBuffer> {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const length = this.free[i]!.byteLength;
      if (length >= size && (best < 0 || length < this.free[best]!.byteLength)) best = i;
    }
    if (best < 0) {
      const fresh = new Uint8Array(capacityFor(size));
      origins.set(fresh.buffer, this);
      return fresh;
    }
    const [buffer] = this.free.splice(best, 1);
    return new Uint8Array(buffer!);
  }

  /**
   * Gives `buffer` back to the pool it was taken from, if it came from one; says whether it
   * did. Sinks that consume a chunk whole (`writeBytes`) call this once it is written.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferPool } from "@effect-wandb/api";
   * const pool = new BufferPool(2);
   * const chunk = pool.take(10);
   * assert.ok(BufferPool.giveBack(chunk.buffer) && pool.take(10).buffer === chunk.buffer);
   * assert.ok(!BufferPool.giveBack(new ArrayBuffer(8)));
   * ```
   */
  static giveBack(buffer: ArrayBufferLike): boolean {
    const pool = buffer instanceof ArrayBuffer ? origins.get(buffer) : undefined;
    pool?.give(buffer);
    return pool !== undefined;
  }

  /**
   * Takes a buffer back. Whoever gives it must not read or write it afterwards: one the pool does
   * not keep (too large, or smaller than all it keeps when full) is freed at once.
   */
  give(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0 || this.free.includes(buffer)) {
      return;
    }
    // A buffer the pool does not keep is freed at once rather than left to the collector.
    if (buffer.byteLength > this.largest) return releaseMemory(buffer);
    if (this.free.length >= this.keep) {
      // Keep the larger buffers: they serve every request a smaller one would.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) {
        if (this.free[i]!.byteLength < this.free[smallest]!.byteLength) smallest = i;
      }
      if (this.free[smallest]!.byteLength >= buffer.byteLength) return releaseMemory(buffer);
      releaseMemory(this.free.splice(smallest, 1)[0]!);
    }
    this.free.push(buffer);
  }
}
