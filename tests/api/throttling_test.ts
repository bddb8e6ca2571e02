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
          api.scanHistoriesNdjson(runs, { mode: "graphql", pageSize: 50 }).pipe(
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
