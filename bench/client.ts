/**
 * Benchmark client: exports every run's full history of `acme/bench` to NDJSON one way, then
 * prints one JSON line `{ mode, seconds, rows, peakRssMb }` (rows counted in the file written).
 *
 *     deno run --allow-net=127.0.0.1 --allow-read --allow-write=bench/out bench/client.ts \
 *       <baseline|graphql|parquet> <url> <apiKey> <out.ndjson>
 *
 * - baseline: what the Python client does: one run at a time, one 1,000-step window at a time,
 *   every row parsed into a record and printed again (`scanHistories` into `writeNdjson`).
 * - graphql: our GraphQL path: 8 runs at once, 2 windows of 2,000 steps per run, at most 16
 *   requests in flight for the whole Api, rows unescaped from the answers' bytes into NDJSON
 *   bytes (`scanHistories` with `format: "ndjson"` into `writeBytes`, the chunks' buffers recycled).
 * - parquet: our Parquet path: the same, from exports read from signed URLs one row group at a
 *   time.
 * - defaults: the README's plain code, every setting left at its default:
 *   `writeBytes(out, api.scanHistories(api.runs(project), { format: "ndjson" }))`.
 */
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, BufferPool, writeBytes, writeNdjson } from "../mod.ts";

const [mode, url, apiKey, out] = Deno.args as [string, string, string, string];
// At most this many runs (all when absent): a baseline that would take minutes measures its
// rate on a few runs.
const maxRuns = Deno.args[4] === undefined ? undefined : Number(Deno.args[4]);

// Peak resident set size, sampled every 20 ms (reading /proc needs --allow-all in Deno).
let peakRss = Deno.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
}, 20);
const peakRssMb = () => {
  clearInterval(sampler);
  return Math.round(Math.max(peakRss, Deno.memoryUsage().rss) / 1024 / 1024);
};

const settings = {
  baseline: { concurrency: 1, runConcurrency: 1, windows: 1, pageSize: 1000, scan: "graphql" },
  graphql: { concurrency: 16, runConcurrency: 8, windows: 2, pageSize: 2000, scan: "graphql" },
  parquet: { concurrency: 16, runConcurrency: 8, windows: 2, pageSize: 2000, scan: "parquet" },
} as const;
const s = settings[mode as keyof typeof settings] ?? settings.graphql;

const program = Effect.gen(function* () {
  const api = yield* Api;
  const started = performance.now();
  const all = api.runs("acme/bench", { perPage: 100 });
  const runs = maxRuns === undefined ? all : Stream.take(all, maxRuns);
  const options = {
    runConcurrency: s.runConcurrency,
    concurrency: s.windows,
    pageSize: s.pageSize,
    mode: s.scan,
  };
  // The baseline parses every row and prints it again, as a Python loop over scan_history()
  // writing json.dumps(row) does; our export writes the rows' NDJSON bytes as they come.
  if (mode === "baseline") yield* writeNdjson(out, api.scanHistories(runs, options));
  else if (mode === "defaults") {
    yield* writeBytes(out, api.scanHistories(runs, { format: "ndjson" }));
  } else {
    // Chunks are written and given back to the pool they came from: a few buffers serve the
    // whole export.
    const buffers = new BufferPool(4 * s.concurrency);
    yield* writeBytes(out, api.scanHistories(runs, { ...options, buffers, format: "ndjson" }), {
      recycle: buffers,
    });
  }
  return { mode, seconds: (performance.now() - started) / 1000 };
});

const result = await Effect.runPromise(program.pipe(
  Effect.provide(
    Api.layer(
      mode === "defaults"
        ? { apiKey, baseUrl: url }
        : { apiKey, baseUrl: url, concurrency: s.concurrency, timeout: "60 seconds" },
    ).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
  ),
));
const peak = peakRssMb();
// Rows are counted in the file written, after the clock and the memory sampler stopped.
let rows = 0;
using file = await Deno.open(out);
const buffer = new Uint8Array(1 << 20);
for (let n = await file.read(buffer); n !== null; n = await file.read(buffer)) {
  for (let i = buffer.indexOf(10); i >= 0 && i < n; i = buffer.indexOf(10, i + 1)) rows++;
}
console.log(JSON.stringify({ ...result, rows, peakRssMb: peak }));
