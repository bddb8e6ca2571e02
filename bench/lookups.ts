/**
 * `deno task bench:lookups`: 100 `api.run(path)` lookups at 20 ms per request, one by one (the
 * Python client's loop over `api.run`) against in flight together (batched into aliased
 * `RunsBatch` requests of 25), as a ratio measured in the same run.
 *
 *     deno task bench:lookups
 */
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";
import { startEmulator } from "../lib/testing/mod.ts";

const server = await startEmulator({ seed: false, latencyMs: 20 });
server.store.users.createEntity("acme", true, ["alice"]);
server.store.projects.create("acme", "bench");
const paths = Array.from({ length: 100 }, (_, i) => {
  server.store.runs.insert("acme", "bench", { name: `run${i}`, state: "finished" });
  return `acme/bench/run${i}`;
});
const layer = Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
  Layer.provide(FetchHttpClient.layer),
);
const timed = async (name: string, lookups: Effect.Effect<unknown, unknown, Api>) => {
  server.resetRequests();
  const started = performance.now();
  await Effect.runPromise(lookups.pipe(Effect.provide(layer)));
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${name.padEnd(12)} ${seconds.toFixed(2)} s, ${server.requests.length} requests`);
  return seconds;
};
console.log("100 api.run() lookups, 20 ms per request:");
const oneByOne = await timed(
  "one by one",
  Effect.gen(function* () {
    const api = yield* Api;
    return yield* Effect.forEach(paths, (p) => api.run(p));
  }),
);
const batched = await timed(
  "batched",
  Effect.gen(function* () {
    const api = yield* Api;
    return yield* Effect.forEach(paths, (p) => api.run(p), { concurrency: "unbounded" });
  }),
);
console.log(`batched / one by one: ${(oneByOne / batched).toFixed(1)}x faster`);
await server.close();
