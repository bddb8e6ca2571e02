/**
 * `deno task bench:listing`: a project's 2,000 runs listed with their config and summary under
 * the SaaS cost profile (`saasCostProfile`: ~100 ms round trips, server time per run by the
 * fields it carries), ours with default options against the official client at its fastest
 * (`lazy=False, include_sweeps=False`, its default 50 runs a page and 1,000), as ratios measured
 * in the same run. The server and each client are processes of their own.
 *
 *     [WANDB_PYTHON=/path/to/python] deno task bench:listing
 */
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";
import { saasCostProfile, startEmulator } from "../lib/testing/mod.ts";
import { spawnServer } from "./_processes.ts";

const runs = 2000;
if (Deno.args[0] === "--serve") {
  // The server's role: a process of its own, as W&B's CPU is not the client's.
  const server = await startEmulator({ seed: false, costProfile: saasCostProfile });
  server.store.users.createEntity("acme", true, ["alice"]);
  server.store.projects.create("acme", "bench");
  for (let i = 0; i < runs; i++) {
    server.store.runs.insert("acme", "bench", {
      name: `run${String(i).padStart(5, "0")}`,
      state: "finished",
      username: "alice",
      config: Object.fromEntries(
        Array.from({ length: 20 }, (_, k) => [`param_${k}`, i / 1000 + k]),
      ),
      summary: Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`metric_${k}`, i + k / 7])),
    });
  }
  console.log(JSON.stringify({ url: server.url, apiKey: server.apiKey }));
  await new Promise(() => {});
}
const python = Deno.env.get("WANDB_PYTHON");
const server = await spawnServer([
  "run",
  "--allow-net=127.0.0.1",
  new URL(import.meta.url).pathname,
  "--serve",
]);

interface Result {
  readonly mode: string;
  readonly runs: number;
  readonly seconds: number;
}
const ours = async (mode: string, options: Record<string, unknown>): Promise<Result> => {
  const started = performance.now();
  const listed = await Effect.runPromise(
    Effect.flatMap(Api, (api) => Stream.runCount(api.runs("acme/bench", options))).pipe(
      Effect.provide(
        Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
          Layer.provide(FetchHttpClient.layer),
        ),
      ),
    ),
  );
  return { mode, runs: listed, seconds: (performance.now() - started) / 1000 };
};
const official = async (perPage: number): Promise<Result> => {
  const result = await new Deno.Command(python!, {
    args: [
      new URL("./python/list_runs.py", import.meta.url).pathname,
      server.url,
      server.apiKey,
      "acme/bench",
      String(perPage),
    ],
    stderr: "inherit",
  }).output();
  if (!result.success) throw new Error("the official client failed");
  return JSON.parse(new TextDecoder().decode(result.stdout).trim().split("\n").pop()!);
};

console.log(`${runs} runs with config and summary, SaaS cost profile:`);
const results: Array<Result> = [];
const report = (r: Result) => {
  results.push(r);
  console.log(`  ${r.mode.padEnd(44)} ${r.runs} runs in ${r.seconds.toFixed(2)} s`);
};
report(await ours('ours, fields: ["config", "summary"]', { fields: ["config", "summary"] }));
report(await ours("ours, full: true", { full: true }));
if (python !== undefined) {
  report(await official(50));
  report(await official(1000));
  const baseline = Math.min(
    ...results.filter((r) => r.mode.startsWith("python")).map((r) => r.seconds),
  );
  for (const r of results.filter((r) => r.mode.startsWith("ours"))) {
    console.log(`  ${r.mode}: ${(baseline / r.seconds).toFixed(1)}x the official client's fastest`);
  }
}
await Deno.writeTextFile(
  new URL("./out/listing.json", import.meta.url),
  JSON.stringify(results, null, 2),
);
await server.stop();
