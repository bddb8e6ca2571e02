/**
 * Benchmark server: a local W&B server with a project `acme/bench` of generated runs and
 * injected latency per request, with its Parquet exports built before any timing starts (W&B
 * builds them in the background too). Prints one JSON line `{ url, apiKey }`, then serves until
 * killed.
 *
 *     deno run --allow-net=127.0.0.1 bench/server.ts <runs> <steps> <metrics> <latencyMs>
 */
import { startEmulator } from "../lib/testing/mod.ts";

const [runs, steps, metrics, latencyMs] = Deno.args.map(Number);
const server = await startEmulator({
  seed: { benchmark: { runs: runs!, steps: steps!, metrics: metrics! } },
  latencyMs,
});
const names = server.seed.runs.filter((r) => r.project === "bench").map((r) => r.name);
for (const name of names) {
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
