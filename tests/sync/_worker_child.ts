// One worker of a shared export, in a process of its own, for the leases test to run three of
// and kill one: prints "commit <run> <step>" after each commit, then its report as JSON.
//   deno run … _worker_child.ts <baseUrl> <apiKey> <project> <outDir> <kvPath> <worker>
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import { exportWithLeases } from "../../lib/sync/mod.ts";

const [baseUrl, apiKey, project, out, kvPath, worker] = Deno.args as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const kv = await Deno.openKv(kvPath);
const report = await Effect.runPromise(
  exportWithLeases({
    project,
    out,
    kv,
    worker,
    leaseMillis: 1500,
    // Pages of 500 steps: a run is six commits, so a worker dies mid-run.
    scan: { mode: "graphql", pageSize: 500 },
    onCommit: (run, step) => console.log(`commit ${run} ${step}`),
  }).pipe(
    Effect.provide(Api.layer({ apiKey, baseUrl }).pipe(Layer.provide(FetchHttpClient.layer))),
  ),
);
kv.close();
console.log(JSON.stringify(report));
