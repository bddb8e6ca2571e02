/**
 * The library demo: start the local W&B server with seeded data, export a project's runs table
 * to CSV and NDJSON in ./export/, and print where the files are. (`deno task demo` runs the
 * export command instead.)
 *
 *     deno task demo:library
 *
 * Point the same program at real W&B by providing `Api.layerFromEnv` instead of the test layer.
 */
import { Console, Effect, Stream } from "effect";
import { Api, runsTableRow, writeCsv, writeNdjson } from "../mod.ts";
import { testApiLayer } from "../lib/testing/mod.ts";

const project = "acme/mnist";
const outDir = "export";

const program = Effect.gen(function* () {
  const api = yield* Api;
  yield* Effect.promise(() => Deno.mkdir(outDir, { recursive: true }));
  // One lazy stream of runs, with config and summary, flattened to runs-table rows.
  const rows = api.runs(project, { full: true, perPage: 50 }).pipe(Stream.map(runsTableRow));
  const csvPath = `${outDir}/runs.csv`;
  const ndjsonPath = `${outDir}/runs.ndjson`;
  const csvRows = yield* writeCsv(csvPath, rows);
  const ndjsonRows = yield* writeNdjson(ndjsonPath, rows);
  yield* Console.log(`Exported ${csvRows} runs of ${project} from the local W&B server:`);
  yield* Console.log(`  ${Deno.realPathSync(csvPath)}`);
  yield* Console.log(`  ${Deno.realPathSync(ndjsonPath)} (${ndjsonRows} lines)`);
});

await Effect.runPromise(program.pipe(Effect.provide(testApiLayer())));
