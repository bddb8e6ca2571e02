// The JSON-text path (scanHistory and scanHistories with format "json", writeJsonLines) against the object
// path and the seeded data, over real HTTP.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api, type ScanHistoryOptions, writeJsonLines, writeParquet } from "../../mod.ts";
import {
  historyJsonStep,
  parquetFile,
  readParquetHistoryJson,
  readParquetHistorySlice,
  tagHistoryJson,
} from "../../lib/history/mod.ts";
import type { SeedRun } from "../../lib/testing/mod.ts";
import { countOperation } from "../api/_harness.ts";
import {
  assertTaggedExport,
  expectedRows,
  historyAnswer,
  inServer,
  scanAnsweredWith,
  scanModes,
  seedRun,
} from "./_seeded.ts";

/** Both paths over the same run and options. */
const bothPaths = (run: SeedRun, options?: ScanHistoryOptions) =>
  Effect.gen(function* () {
    const api = yield* Api;
    const path = `acme/mnist/${run.name}`;
    const lines = yield* Stream.runCollect(api.scanHistory(path, { ...options, format: "json" }));
    const rows = yield* Stream.runCollect(api.scanHistory(path, options));
    return { lines, rows };
  });

Deno.test("scanHistory(…, { format: 'json' }) gives the rows of scanHistory() as JSON text, in every mode", async (t) => {
  for (const [name, state, options] of scanModes) {
    await t.step(name, async () => {
      const { lines, rows } = await inServer((server) =>
        bothPaths(seedRun(server, state), options)
      );
      assert.ok(rows.length >= 5, `${rows.length} rows`);
      assert.deepEqual(lines.map((l) => JSON.parse(l)), rows);
    });
  }
  await t.step("GraphQL rows are passed through exactly as the server stored them", async () => {
    const { lines, expected } = await inServer((server) =>
      Effect.gen(function* () {
        const run = seedRun(server, "finished");
        const { lines } = yield* bothPaths(run, { mode: "graphql", pageSize: 50 });
        return { lines, expected: expectedRows(run).map((r) => JSON.stringify(r)) };
      })
    );
    assert.deepEqual(lines, expected);
  });
});

Deno.test("scanHistory(…, { format: 'json' }) orders and de-duplicates rows a server sends out of order", async () => {
  // One window holds every step; the server answers it with shuffled, repeated rows, some
  // outside the window, spaced and with `_step` not first.
  const { result: lines, pages } = await scanAnsweredWith(
    historyAnswer([
      '{"_step":3,"a":3}',
      '{ "_step" : 1, "a": 1 }',
      '{"a":2,"_step":2}',
      '{"_step":2,"a":"again"}',
      '{"_step":-4}',
      '{"no_step":true}',
    ]),
    (api, path, options) =>
      Stream.runCollect(api.scanHistory(path, { ...options, format: "json" })),
  );
  assert.equal(pages, 1);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { _step: 1, a: 1 },
    { a: 2, _step: 2 },
    { _step: 3, a: 3 },
    // A row without a step is kept (as the official client yields it), after the rows the
    // server sent before it.
    { no_step: true },
  ]);
});

Deno.test("scanHistory(…, { format: 'json' }) fails with a DecodeError on a row that is not a JSON object", async () => {
  const { result: error } = await scanAnsweredWith(
    historyAnswer(['{"_step":0}', "[1,2]"]),
    (api, path, options) =>
      Effect.flip(Stream.runCollect(api.scanHistory(path, { ...options, format: "json" }))),
  );
  assert.equal(error._tag, "DecodeError");
  assert.equal(error._tag === "DecodeError" && error.path, "project.run.history.1");
});

Deno.test("scanHistories(…, { format: 'json' }) tags every row; writeJsonLines() writes them as NDJSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { written, objects, seed } = await inServer((server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const runs = api.runs("acme/cifar10");
        const written = yield* writeJsonLines(
          `${dir}/h.ndjson`,
          api.scanHistories(runs, {
            runConcurrency: 3,
            mode: "graphql",
            pageSize: 40,
            format: "json",
          }),
        );
        const objects = yield* Stream.runCollect(
          api.scanHistories(runs, { runConcurrency: 3, mode: "graphql", pageSize: 40 }),
        );
        return { written, objects, seed: server.seed.runs.filter((r) => r.project === "cifar10") };
      })
    );
    const text = await Deno.readTextFile(`${dir}/h.ndjson`);
    assert.ok(text.endsWith("}\n"));
    const lines = text.slice(0, -1).split("\n").map((l) => JSON.parse(l));
    assert.equal(written, lines.length);
    assertTaggedExport(lines, objects, seed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("historyJsonStep() reads the step in place or by parsing, and -1 without one", () => {
  assert.equal(historyJsonStep('{"_step":0}'), 0);
  assert.equal(historyJsonStep('{"_step":1234567,"loss":1}'), 1234567);
  assert.equal(historyJsonStep('{"_step": 5, "loss": 1}'), 5);
  assert.equal(historyJsonStep('{"loss":1,"_step":6}'), 6);
  assert.equal(historyJsonStep('{"_step":7.5}'), 7.5);
  assert.equal(historyJsonStep('{"_step":12345678901234567}'), 12345678901234568);
  assert.equal(historyJsonStep('{"_step": 10, "loss": NaN}'), 10);
  assert.equal(historyJsonStep('{"_step":"8"}'), -1);
  assert.equal(historyJsonStep('{"loss":1}'), -1);
  assert.equal(historyJsonStep('{"_step":9'), -1);
  assert.equal(historyJsonStep("not json"), -1);
});

Deno.test("tagHistoryJson() appends the run to any object text", () => {
  const tag = tagHistoryJson({ id: 'a"b', path: "e/p/a" });
  const tags = { run_id: 'a"b', run_path: "e/p/a" };
  for (const line of ['{"_step":1}', "{}", "{ }", '{"x":{"y":1}}  ', ' { "x" : [1,{}] } ']) {
    const tagged = tag(line);
    assert.deepEqual(JSON.parse(tagged), { ...JSON.parse(line), ...tags }, line);
  }
});

Deno.test("a long run's Parquet export is read by HTTP range, a row group at a time", async () => {
  const { lines, rows, storage, expected } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const run = server.seed.runs.find((r) => r.project === "bench")!;
        const api = yield* Api;
        const path = `acme/bench/${run.name}`;
        server.resetRequests();
        const lines = yield* Stream.runCollect(
          api.scanHistory(path, { mode: "parquet", format: "json" }),
        );
        const storage = server.requests.filter((r) => r.path.startsWith("/_storage/")).length;
        const rows = yield* Stream.runCollect(api.scanHistory(path, { mode: "parquet" }));
        return { lines, rows, storage, expected: expectedRows(run) };
      }),
    // An export of ~5 MB: past what is fetched whole (2 MiB before any export is seen).
    { seed: { benchmark: { runs: 1, steps: 60_000, metrics: 10 } } },
  );
  assert.equal(rows.length, 60_000);
  assert.deepEqual(rows, expected);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), expected);
  // Its last 2 MiB (the footer), then the twelve row groups of 5,000 rows: never the whole file.
  assert.equal(storage, 13);
});

Deno.test("a small export comes whole in one request: footer and row groups at once", async () => {
  const { rows, storage, expected } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const run = server.seed.runs.find((r) => r.project === "bench")!;
        const api = yield* Api;
        server.resetRequests();
        const rows = yield* Stream.runCollect(
          api.scanHistory(`acme/bench/${run.name}`, { mode: "parquet" }),
        );
        const storage = server.requests.filter((r) => r.path.startsWith("/_storage/"))
          .map((r) => r.range);
        return { rows, storage, expected: expectedRows(run) };
      }),
    // ~1 MB: three row groups of up to 5,000 rows, under the 2 MiB first asked for.
    { seed: { benchmark: { runs: 1, steps: 12_000, metrics: 10 } } },
  );
  assert.deepEqual(rows, expected);
  assert.deepEqual(storage, [`bytes=-${2 * 1024 * 1024}`]);
});

Deno.test("a Parquet export read slower than its signed URL lives is signed again and read on", async () => {
  const { rows, expected, refused, signings } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const run = server.seed.runs.find((r) => r.project === "bench")!;
        const api = yield* Api;
        const rows = yield* Stream.runCollect(
          api.scanHistory(`acme/bench/${run.name}`, { mode: "parquet", concurrency: 1 }).pipe(
            // A slow consumer: the URL expires before the next row group is asked for.
            Stream.tap((row) =>
              row["_step"] === 0 ? Effect.sync(() => server.expireSignedUrls()) : Effect.void
            ),
          ),
        );
        return {
          rows,
          expected: expectedRows(run),
          refused: server.requests.filter((r) =>
            r.path.startsWith("/_storage/") && r.status === 403
          ).length,
          signings: countOperation(server, "RunParquetHistory"),
        };
      }),
    // Large enough to be read by range (a small export comes whole, with one URL).
    {
      seed: { benchmark: { runs: 1, steps: 60_000, metrics: 10 } },
    },
  );
  assert.deepEqual(rows, expected);
  assert.ok(refused >= 1, `${refused} refused`);
  assert.equal(signings, 1 + refused);
});

Deno.test("storage that keeps refusing a signed URL fails the scan with a PermissionError", async () => {
  const error = await inServer(
    (server) =>
      Effect.gen(function* () {
        // Every answer's URLs have expired already.
        server.injectFaults(
          ...Array(20).fill({ kind: "staleUrls", operationName: "RunParquetHistory" }),
        );
        const api = yield* Api;
        return yield* Effect.flip(Stream.runCollect(
          api.scanHistory(`acme/mnist/${seedRun(server, "finished").name}`, { mode: "parquet" }),
        ));
      }),
  );
  assert.equal(error._tag, "PermissionError");
  // No key was sent to storage, and the message does not blame one.
  assert.equal(error.message, "Storage refused the request (HTTP 403): signed URL expired");
});

// Deno has no Object.prototype.__proto__ accessor, so plain assignment would do here too; the
// readers define the key explicitly for runtimes that have it (Node, browsers).
Deno.test("a history key named __proto__ survives both Parquet readers as an own key", async () => {
  const path = await Deno.makeTempFile();
  try {
    const rows = [JSON.parse('{"_step":0,"__proto__":1.5}'), { _step: 1 }];
    await Effect.runPromise(writeParquet(path, Stream.fromIterable(rows)));
    const file = await parquetFile(await Deno.readFile(path));
    const records = await readParquetHistorySlice(file, 0, 2);
    assert.deepEqual(Object.keys(records[0]!), ["_step", "__proto__"]);
    assert.equal(Object.getPrototypeOf(records[0]!), Object.prototype);
    assert.deepEqual(
      await readParquetHistoryJson(file, 0, 2),
      ['{"_step":0,"__proto__":1.5}', '{"_step":1}'],
    );
  } finally {
    await Deno.remove(path);
  }
});
