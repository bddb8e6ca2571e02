import assert from "node:assert/strict";
import { Effect } from "effect";
import { Api, runField } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

Deno.test("api.run() lookups in flight together go out as batches of 25 aliased fields", async () => {
  const { batched, alone, operations, missing } = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const readable = server.seed.runs.filter((r) => r.entity === "acme");
      const paths = readable.map((r) => `${r.entity}/${r.project}/${r.name}`);
      const bobs = server.seed.runs.find((r) => r.entity === "bob")!;
      // Alone, one by one: the official client's `Run` request each.
      const alone = yield* Effect.forEach(paths.slice(0, 3), (p) => api.run(p));
      server.resetRequests();
      const batched = yield* Effect.forEach(paths, (p) => api.run(p), { concurrency: "unbounded" });
      const operations = server.requests.map((r) => r.operationName);
      // A missing run, and a run of an entity the key may not read, fail their own lookups only.
      const [ok, gone, forbidden] = yield* Effect.all([
        api.run(paths[0]!),
        Effect.flip(api.run("acme/mnist/no-such-run")),
        Effect.flip(api.run(`bob/${bobs.project}/${bobs.name}`)),
      ], { concurrency: "unbounded" });
      return {
        batched,
        alone,
        operations,
        missing: { ok: ok.path, gone: gone._tag, forbidden: forbidden._tag, paths },
      };
    }),
  );
  assert.equal(missing.ok, missing.paths[0]);
  assert.equal(missing.gone, "NotFoundError");
  assert.equal(missing.forbidden, "PermissionError");
  assert.deepEqual(batched.map((r) => r.path), missing.paths);
  assert.deepEqual(batched.slice(0, 3), alone);
  assert.ok(missing.paths.length > 25, `${missing.paths.length} seeded runs`);
  assert.deepEqual(operations, Array(Math.ceil(missing.paths.length / 25)).fill("RunsBatch"));
});

Deno.test("api.runCount() counts in flight together share one RunCountsBatch request", async () => {
  const { counts, alone, operations } = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const asked = [
        ["acme/mnist", undefined],
        ["acme/mnist", runField.state.eq("finished")],
        ["acme/cifar10", undefined],
      ] as const;
      const alone = yield* Effect.forEach(asked, ([p, filters]) => api.runCount(p, { filters }));
      server.resetRequests();
      const counts = yield* Effect.forEach(
        asked,
        ([p, filters]) => api.runCount(p, { filters }),
        { concurrency: "unbounded" },
      );
      return { counts, alone, operations: server.requests.map((r) => r.operationName) };
    }),
  );
  assert.deepEqual(counts, alone);
  assert.ok(counts[0]! > counts[1]! && counts[1]! > 0);
  assert.deepEqual(operations, ["RunCountsBatch"]);
});
