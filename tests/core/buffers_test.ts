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
  // `a` was dropped for the larger `c`, `huge` was never kept.
  const kept = [pool.take(1), pool.take(1)].map((x) => x.buffer);
  assert.deepEqual(new Set(kept), new Set([b.buffer, c.buffer]));
  assert.notEqual(pool.take(1).buffer, huge.buffer);
  // A buffer given twice is held once.
  pool.give(b.buffer);
  pool.give(b.buffer);
  assert.equal(pool.take(1).buffer, b.buffer);
  assert.notEqual(pool.take(1).buffer, b.buffer);
});
