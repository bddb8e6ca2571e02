/**
 * A history export: start the local W&B server with seeded data, then write every history row of
 * a project's runs to NDJSON (tagged with its run), and two metrics of one run to Parquet, in
 * ./export/.
 *
 *     deno task demo:history
 *
 * Point the same program at real W&B by providing `Api.layerFromEnv` instead of the test layer.
 */
import { Console, Effect, Stream } from "effect";
import { Api, writeBytes, writeParquet } from "../mod.ts";
import { testApiLayer } from "../lib/testing/mod.ts";

const project = "acme/mnist";
const outDir = "export";

const program = Effect.gen(function* () {
  const api = yield* Api;
  yield* Effect.promise(() => Deno.mkdir(outDir, { recursive: true }));
  // Every row of every run, each run's rows in step order, with the default settings (which are
  // the fast ones). Parquet exports are used where the server has them, GraphQL pages elsewhere.
  // The rows go from the answers' bytes to the file's; the chunks' pooled buffers are written
  // and handed out again.
  const historyPath = `${outDir}/history.ndjson`;
  const bytes = yield* writeBytes(
    historyPath,
    api.scanHistories(api.runs(project), { format: "ndjson" }),
  );
  // One run, only the steps that logged both keys, as typed columns.
  const first = yield* Stream.runHead(api.runs(project, { order: "+created_at" }));
  const lossesPath = `${outDir}/losses.parquet`;
  if (first._tag === "Some") {
    yield* writeParquet(
      lossesPath,
      api.scanHistory(first.value, { keys: ["loss", "val/loss"] }),
    );
  }
  yield* Console.log(`Exported the history of ${project} from the local W&B server:`);
  yield* Console.log(`  ${Deno.realPathSync(historyPath)} (${bytes} bytes)`);
  yield* Console.log(`  ${Deno.realPathSync(lossesPath)}`);
});

await Effect.runPromise(program.pipe(Effect.provide(testApiLayer())));
