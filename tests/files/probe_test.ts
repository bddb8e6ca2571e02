// A large file on far storage whose rate is not known yet: its first bytes come alone and are
// timed, then the rest comes over the same connection (a fast link) or in parts (a slow one),
// over real HTTP against the local server. Either way the same verified bytes.
import assert from "node:assert/strict";
import { Effect } from "effect";
import { Api } from "../../mod.ts";
import { type CostProfile, LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const MiB = 1024 * 1024;
const size = 260 * MiB; // past the 256 MiB from which a file is probed

/** Storage 30 ms away (first byte, and every API request), at `bytesPerSecond` a connection. */
const storageAt = (bytesPerSecond: number): CostProfile => ({
  latencyMs: 30,
  jitterMs: 0,
  historyRowMicros: 0,
  storage: { firstByteMs: 30, bytesPerSecond },
});

async function download(bytesPerSecond: number | undefined) {
  const dir = await Deno.makeTempDir();
  try {
    return await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const run = server.store.runs.insert("acme", "mnist", {
          name: "probed",
          state: "finished",
        });
        const stored = server.store.files.put(run.seq, "weights.bin", { seed: 7, size });
        const md5 = server.store.files.md5(stored);
        const file = yield* api.file("acme/mnist/probed", "weights.bin");
        server.resetRequests();
        const done = yield* api.downloadFile(file, { root: dir });
        const ranges = server.requests.filter((r) => r.path.startsWith("/_storage/"))
          .map((r) => r.range);
        const left = yield* Effect.promise(() => Array.fromAsync(Deno.readDir(dir), (e) => e.name));
        return { done, md5, ranges, left };
      }),
      {
        // Without a rate: 30 ms to every answer, then bytes as fast as this machine sends them.
        server: bytesPerSecond === undefined
          ? { latencyMs: 30, seed: { mnistRuns: 1 } }
          : { costProfile: storageAt(bytesPerSecond), seed: { mnistRuns: 1 } },
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a slow link: the probe's 4 MiB, then the rest in parts; the same verified bytes", async () => {
  const slow = await download(60 * MiB);
  assert.equal(slow.done.md5, slow.md5);
  assert.equal(slow.done.size, size);
  assert.deepEqual(slow.left, ["weights.bin"]);
  assert.equal(slow.ranges[0], `bytes=0-${4 * MiB - 1}`);
  // Then parts of 8 MiB or more (as many first-byte waits as the probe measured), bounded
  // ranges that cover the rest once.
  const parts = slow.ranges.slice(1).map((r) => /^bytes=(\d+)-(\d+)$/.exec(r ?? "")!)
    .map((m) => [Number(m[1]), Number(m[2]) + 1]).sort((a, b) => a[0]! - b[0]!);
  assert.ok(parts.length > 2);
  assert.ok(parts.slice(0, -1).every(([from, to]) => to! - from! >= 4 * MiB));
  let covered = 4 * MiB;
  for (const [from, to] of parts) {
    assert.equal(from, covered);
    covered = to!;
  }
  assert.equal(covered, size);
});

Deno.test("a fast link: the probe's 4 MiB, then the rest over the same connection", async () => {
  const fast = await download(undefined);
  assert.equal(fast.done.md5, fast.md5);
  assert.deepEqual(fast.left, ["weights.bin"]);
  assert.deepEqual(fast.ranges, [`bytes=0-${4 * MiB - 1}`, `bytes=${4 * MiB}-`]);
});
