// Adaptive throttling against the local server's per-project quota (RateLimit-Remaining on a
// 0–1000 scale, RateLimit-Reset in seconds, 429 when exhausted): the same export, paced by the
// quota headers and not, meets far fewer 429s and exports the same rows.
import assert from "node:assert/strict";
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import { startEmulator } from "../../lib/testing/mod.ts";

async function exportUnderQuota(adaptiveThrottling: boolean) {
  const server = await startEmulator({
    costProfile: {
      latencyMs: 2,
      jitterMs: 1,
      historyRowMicros: 0,
      projectQuota: { requests: 30, windowSeconds: 1 },
      storage: { firstByteMs: 0, bytesPerSecond: 1e9 },
    },
  });
  try {
    const rows = await Effect.runPromise(
      Effect.gen(function* () {
        const api = yield* Api;
        const runs = api.runs("acme/cifar10");
        return yield* Stream.runCount(
          api.scanHistories(runs, { mode: "graphql", pageSize: 50, format: "ndjson" }).pipe(
            Stream.flatMap((chunk) => Stream.fromIterable(chunk)),
            Stream.filter((byte) => byte === 10),
          ),
        );
      }).pipe(
        Effect.provide(
          Api.layer({ apiKey: server.apiKey, baseUrl: server.url, adaptiveThrottling }).pipe(
            Layer.provide(FetchHttpClient.layer),
          ),
        ),
      ),
    );
    const statuses = server.requests.map((r) => r.status);
    return { rows, requests: statuses.length, refused: statuses.filter((s) => s === 429).length };
  } finally {
    await server.close();
  }
}

Deno.test("adaptive throttling: a quota-bound export meets few 429s, and the same rows", async () => {
  const reactive = await exportUnderQuota(false);
  const adaptive = await exportUnderQuota(true);
  assert.equal(adaptive.rows, reactive.rows);
  assert.ok(reactive.requests > 60, `${reactive.requests} requests: the quota was never reached`);
  assert.ok(reactive.refused >= 10, `the reactive client met only ${reactive.refused} 429s`);
  assert.ok(
    adaptive.refused * 3 <= reactive.refused,
    `adaptive ${adaptive.refused} 429s vs reactive ${reactive.refused}`,
  );
});

Deno.test("adaptive throttling holds only the project whose quota is spent", async () => {
  const server = await startEmulator({
    costProfile: {
      latencyMs: 0,
      jitterMs: 0,
      historyRowMicros: 0,
      projectQuota: { requests: 5, windowSeconds: 3 },
      storage: { firstByteMs: 0, bytesPerSecond: 1e9 },
    },
  });
  try {
    const timings = await Effect.runPromise(
      Effect.gen(function* () {
        const api = yield* Api;
        // Spend acme/mnist's quota: 5 requests, the last answered with RateLimit-Remaining 0.
        for (let i = 0; i < 5; i++) yield* api.runCount("acme/mnist");
        const timed = (project: string) =>
          Effect.gen(function* () {
            const started = performance.now();
            yield* api.runCount(project);
            return performance.now() - started;
          });
        const other = yield* timed("acme/cifar10");
        const spent = yield* timed("acme/mnist");
        return { other, spent };
      }).pipe(
        Effect.provide(
          Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
            Layer.provide(FetchHttpClient.layer),
          ),
        ),
      ),
    );
    assert.ok(timings.other < 500, `another project waited ${timings.other} ms`);
    assert.ok(timings.spent >= 1000, `the spent project waited only ${timings.spent} ms`);
    assert.ok(!server.requests.some((r) => r.status === 429), "a request met a 429");
  } finally {
    await server.close();
  }
});
