/**
 * Benchmark server: a local W&B server with a project `acme/bench` of generated runs and
 * injected latency per request, its generated rows stored as JSON text and its Parquet exports
 * built before any timing starts (W&B stores rows and builds exports in the background too). Prints one JSON line `{ url, apiKey }`, then serves until
 * killed.
 *
 *     deno run --allow-net=127.0.0.1 bench/server.ts <runs> <steps> <metrics> <latencyMs | saas>
 *
 * `saas` charges what W&B's SaaS does (`saasCostProfile`: round trips with jitter, server time
 * per GraphQL history row, a per-project quota, object storage's first byte and bandwidth).
 */
import { saasCostProfile, startEmulator } from "../lib/testing/mod.ts";

const [runs, steps, metrics] = Deno.args.map(Number);
const saas = Deno.args[3] === "saas";
const server = await startEmulator({
  seed: { benchmark: { runs: runs!, steps: steps!, metrics: metrics! } },
  ...(saas ? { costProfile: saasCostProfile } : { latencyMs: Number(Deno.args[3]) }),
});
// W&B serves history rows from storage: store the generated rows, as JSON text, before timing.
const materializing = performance.now();
const benchRuns = server.store.runs.list("acme", "bench");
for (const run of benchRuns) server.store.history.materialize(run);
console.error(
  `bench server: ${runs! * steps!} rows stored in ${
    ((performance.now() - materializing) / 1000).toFixed(1)
  } s`,
);
for (const { name } of benchRuns) {
  await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`api:${server.apiKey}`)}` },
    body: JSON.stringify({
      query: `query { project(name: "bench", entityName: "acme") {
        run(name: "${name}") { parquetHistory(liveKeys: ["_step"]) { parquetUrls } } } }`,
    }),
  }).then((r) => r.text());
}
server.resetRequests();
console.log(JSON.stringify({ url: server.url, apiKey: server.apiKey }));
