import assert from "node:assert/strict";
import { BufferPool } from "../../mod.ts";

Deno.test("BufferPool hands buffers out again, the smallest that fits first", () => {
  const pool = new BufferPool(3);
  const small = pool.take(100_000);
  const large = pool.take(1_000_000);
  assert.ok(small.length >= 100_000 && large.length >= 1_000_000);
  pool.give(large.buffer);
  pool.give(small.buffer);
  assert.equal(pool.take(50_000).buffer, small.buffer);
  assert.equal(pool.take(50_000).buffer, large.buffer);
  // Nothing free fits: a new buffer.
  const fresh = pool.take(50_000);
  assert.notEqual(fresh.buffer, small.buffer);
  assert.notEqual(fresh.buffer, large.buffer);
});

Deno.test("BufferPool keeps at most `keep` buffers, the largest, and none over `largest`", () => {
  const pool = new BufferPool(2, 1_000_000);
  const [a, b, c] = [pool.take(100_000), pool.take(200_000), pool.take(300_000)];
  const huge = pool.take(2_000_000);
  for (const buffer of [a, b, c, huge]) pool.give(buffer.buffer);
  // `a` was dropped for the larger `c`, `huge` was never kept: both are freed at once (their
  // memory goes back now, not at the next full collection), the kept ones are whole.
  assert.ok(a.buffer.detached && huge.buffer.detached);
  assert.ok(!b.buffer.detached && !c.buffer.detached);
  const kept = [pool.take(1), pool.take(1)].map((x) => x.buffer);
  assert.deepEqual(new Set(kept), new Set([b.buffer, c.buffer]));
  assert.notEqual(pool.take(1).buffer, huge.buffer);
  // A buffer given twice is held once.
  pool.give(b.buffer);
  pool.give(b.buffer);
  assert.equal(pool.take(1).buffer, b.buffer);
  assert.notEqual(pool.take(1).buffer, b.buffer);
});

Deno.test("BufferPool frees a buffer it does not keep, and never one it hands out", () => {
  const pool = new BufferPool(1);
  const [first, second] = [pool.take(100_000), pool.take(100_000)];
  first.fill(1);
  pool.give(first.buffer);
  // The pool is full with a buffer as large: `second` is freed, `first` stays usable.
  pool.give(second.buffer);
  assert.equal(second.byteLength, 0);
  const again = pool.take(100_000);
  assert.equal(again.buffer, first.buffer);
  assert.equal(again[0], 1);
  // A buffer that is not an ArrayBuffer of the pool's kind is left alone.
  const shared = new SharedArrayBuffer(16);
  pool.give(shared);
  assert.equal(shared.byteLength, 16);
});
