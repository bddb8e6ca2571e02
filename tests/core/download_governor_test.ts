// The download governor's rules, alone: connections grown while first bytes keep their time,
// halved on trouble, bounded; parts sized from what storage was measured to do.
import assert from "node:assert/strict";
import { Effect } from "effect";
import {
  AdaptiveLimit,
  apiAnswered,
  heldRounds,
  LinkMeter,
  makeDownloadGovernor,
  maxPartBytes,
  minPartBytes,
  partBytesFor,
} from "../../lib/core/_download_governor.ts";

const MiB = 1024 * 1024;

/**
 * Feeds `limit` the answers of storage that waits `firstByteMillis` before each (latency-bound:
 * answers a ms = connections / wait) up to `capacity` answers a ms; returns the limits it took.
 */
function drive(limit: AdaptiveLimit, answers: number, firstByteMillis: number, capacity: number) {
  const seen = [limit.current];
  let now = 0;
  for (let i = 0; i < answers; i++) {
    now += 1 / Math.min(capacity, limit.current / firstByteMillis);
    if (limit.answered(now)) seen.push(limit.current);
  }
  return seen;
}

Deno.test("connections grow by half a round at a time while answers come faster for it", () => {
  // W&B-like storage, 180 ms to each first byte, and room for far more: up to the most.
  const limit = new AdaptiveLimit({ initial: 32, least: 4, most: 100 });
  assert.deepEqual(drive(limit, 600, 180, 10), [32, 48, 72, 100]);
});

Deno.test("the first answers, which come in a burst, are not taken for the rate of the link", () => {
  const limit = new AdaptiveLimit({ initial: 32, least: 4, most: 100 });
  // All 32 set out at once: their answers land within 5 ms; then one every 180/32 ms.
  for (let i = 0; i < 32; i++) limit.answered(i * 0.15);
  let now = 5;
  const seen = [limit.current];
  for (let i = 0; i < 600; i++) {
    now += 180 / limit.current;
    if (limit.answered(now)) seen.push(limit.current);
  }
  assert.deepEqual(seen, [32, 48, 72, 100]);
});

Deno.test("a growth that brings no more answers is taken back, held four rounds, and tried again", () => {
  // Full at 0.3 answers a ms (54 connections' worth): 32 → 48 pays, 72 does not, back to 48;
  // after four rounds at 48 it looks again (a round of large files can hide a growth that paid).
  const limit = new AdaptiveLimit({ initial: 32, least: 4, most: 256 });
  const changes: Array<{ readonly answer: number; readonly limit: number }> = [];
  let now = 0;
  for (let answer = 0; answer < 2000; answer++) {
    now += 1 / Math.min(0.3, limit.current / 180);
    if (limit.answered(now)) changes.push({ answer, limit: limit.current });
  }
  assert.deepEqual(changes.slice(0, 5).map((c) => c.limit), [48, 72, 48, 72, 48]);
  assert.ok(changes.every((c) => c.limit === 48 || c.limit === 72), JSON.stringify(changes));
  const [, , back, again] = changes;
  // The round at 72 that showed it, then four of 48 answers: 4 x 48 answers held.
  assert.equal(again!.answer - back!.answer, heldRounds * 48);
  // A machine that is full at the start (loopback, both cores busy) stays where it started,
  // but for one round in five.
  const full = new AdaptiveLimit({ initial: 32, least: 4, most: 256 });
  assert.deepEqual(drive(full, 2000, 2, 1).slice(0, 5), [32, 48, 32, 48, 32]);
});

Deno.test("trouble halves the connections, never below the least, and growth looks again", () => {
  const limit = new AdaptiveLimit({ initial: 32, least: 4, most: 256 });
  drive(limit, 200, 2, 1); // settled at 32
  assert.equal(limit.current, 32);
  assert.equal(limit.trouble(), true);
  assert.equal(limit.current, 16);
  for (let i = 0; i < 5; i++) limit.trouble();
  assert.equal(limit.current, 4);
  assert.equal(limit.trouble(), false);
  // Once the trouble is over, a latency-bound link lets it grow again.
  assert.deepEqual(drive(limit, 200, 180, 10).slice(0, 3), [4, 6, 9]);
});

Deno.test("parts: 8 MiB before storage is measured; after, sized by first-byte waits", () => {
  assert.equal(partBytesFor(10 * MiB, undefined, 8), undefined);
  assert.equal(partBytesFor(16 * MiB, undefined, 8), minPartBytes);
  const saas = { firstByteMillis: 180, bytesPerSecond: 40e6 };
  // 64 MB over one connection is 1.6 s, 9 first-byte waits: parts, one per connection of 8.
  assert.equal(partBytesFor(64e6, saas, 8), minPartBytes);
  // 2 GB: parts of ~4 first-byte waits of transfer (28.8 MB), in whole MiB.
  assert.equal(partBytesFor(2 ** 31, saas, 8), 28 * MiB);
  // A link so fast that one connection takes fewer than 8 first-byte waits: one stream.
  assert.equal(partBytesFor(20 * MiB, { firstByteMillis: 100, bytesPerSecond: 1e9 }, 8), undefined);
  // Slow first bytes on a fast link: parts as large as allowed.
  assert.equal(
    partBytesFor(2 ** 33, { firstByteMillis: 500, bytesPerSecond: 1e8 }, 8),
    maxPartBytes,
  );
  // Near storage (the same machine or network): one stream, whatever the size.
  assert.equal(
    partBytesFor(2 ** 31, { firstByteMillis: 2, bytesPerSecond: undefined }, 8),
    undefined,
  );
  // A connection faster than one core's MD5: parts would not make it any faster.
  assert.equal(partBytesFor(2 ** 31, { firstByteMillis: 50, bytesPerSecond: 5e8 }, 8), undefined);
  // A rate not measured yet (only small bodies so far): the unmeasured size.
  assert.equal(
    partBytesFor(64 * MiB, { firstByteMillis: 50, bytesPerSecond: undefined }, 8),
    minPartBytes,
  );
});

Deno.test("the meter averages first bytes and the rate of bodies of 1 MiB or more", () => {
  const meter = new LinkMeter();
  const estimate = () => meter.estimate(); // read anew each time (not narrowed by the first)
  assert.equal(estimate(), undefined);
  meter.firstByteAfter(100);
  meter.firstByteAfter(200);
  meter.bodyRead(1000, 1); // too small to say anything of the rate
  assert.deepEqual(estimate(), { firstByteMillis: 120, bytesPerSecond: undefined });
  // Before storage answers, the API's round trips stand in for its first bytes.
  const config = {};
  apiAnswered(config, 3);
  assert.equal(new LinkMeter().estimate(config)!.firstByteMillis, 3);
  meter.bodyRead(4 * MiB, 100);
  assert.equal(Math.round(estimate()!.bytesPerSecond!), Math.round(4 * MiB * 10));
});

Deno.test("a governor's most follows its memory budget; a caller's concurrency is kept", async () => {
  const client = {};
  const budgeted = makeDownloadGovernor(client, {
    initial: 32,
    fixed: false,
    memoryBudget: 64 * MiB,
    bufferBytes: 64 * 1024,
  });
  assert.equal(budgeted.most, 64); // 1 MiB a connection: two 64 KiB buffers and the runtime's
  const fixed = makeDownloadGovernor(client, {
    initial: 3,
    fixed: true,
    memoryBudget: 64 * MiB,
    bufferBytes: 64 * 1024,
  });
  await Effect.runPromise(Effect.gen(function* () {
    for (let i = 0; i < 50; i++) yield* fixed.firstByteAfter(5);
    yield* fixed.trouble;
  }));
  assert.equal(fixed.most, 3);
  assert.equal(fixed.current(), 3);
  // Both measured into the same client's meter.
  assert.ok(budgeted.meter === fixed.meter && fixed.meter.estimate()!.firstByteMillis === 5);
});
