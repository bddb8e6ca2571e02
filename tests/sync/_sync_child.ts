// A sync in a process of its own, for the crash test to kill:
//   deno run … _sync_child.ts <baseUrl> <apiKey> <project> <outDir>
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import { Checkpoints, syncProject } from "../../lib/sync/mod.ts";

const [baseUrl, apiKey, project, out] = Deno.args as [string, string, string, string];
const layer = Layer.merge(
  Api.layer({ apiKey, baseUrl }).pipe(Layer.provide(FetchHttpClient.layer)),
  Checkpoints.file(`${out}/.checkpoint.json`),
);
const report = await Effect.runPromise(
  syncProject({ project, out, runConcurrency: 2 }).pipe(Effect.provide(layer)),
);
console.log(JSON.stringify(report));
