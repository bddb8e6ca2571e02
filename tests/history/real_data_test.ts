// Real W&B data (NaN and ±Infinity tokens, media, mixed types, explicit nulls, big integers)
// read by every path exactly as the server holds it, over real HTTP.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import {
  Api,
  type ApiShape,
  DecodeError,
  type HistoryRow,
  type NonFiniteNumbers,
  parseWandbJson,
  printWandbJson,
  type ScanHistoryOptions,
  summary,
  writeCsv,
  writeNdjson,
  writeParquet,
} from "../../mod.ts";
import { parquetFile, readParquetHistory, readParquetHistorySlice } from "../../lib/history/mod.ts";
import { historyToParquet, type SeedRun } from "../../lib/testing/mod.ts";
import { countOperation, postGraphql } from "../api/_harness.ts";
import { expectedRows, historyAnswer, inServer, scanAnsweredWith } from "./_seeded.ts";

const decoder = new TextDecoder();
const linesOf = (chunks: ReadonlyArray<Uint8Array>): Array<string> =>
  chunks.map((c) => decoder.decode(c)).join("").split("\n").filter((l) => l.length > 0);

/** The rows of the issue: NaN and both infinities in a `HistoryPage` answer. */
const divergedPage = historyAnswer([
  '{"_step": 0, "loss": NaN, "acc": 0.5}',
  '{"_step": 1, "loss": Infinity, "acc": -Infinity}',
  '{"_step": 2, "loss": 0.25}',
]);
const divergedRows = [
  { _step: 0, loss: NaN, acc: 0.5 },
  { _step: 1, loss: Infinity, acc: -Infinity },
  { _step: 2, loss: 0.25 },
];

/** A row as JSON writes it when non-finite numbers are written as `nonFinite` says. */
const printedAs = (row: HistoryRow, nonFinite: NonFiniteNumbers): unknown =>
  parseWandbJson(printWandbJson(row, nonFinite));

Deno.test("NaN and ±Infinity in history rows reach every path, none dropped", async (t) => {
  await t.step("scanHistory: the JS numbers", async () => {
    const { result } = await scanAnsweredWith(
      divergedPage,
      (api, path, options) => Stream.runCollect(api.scanHistory(path, options)),
    );
    assert.deepEqual(result, divergedRows);
  });
  for (const nonFinite of ["null", "string", "token"] as const) {
    await t.step(`scanHistory as JSON, nonFinite: ${nonFinite}`, async () => {
      const { result } = await scanAnsweredWith(
        divergedPage,
        (api, path, options) =>
          Stream.runCollect(api.scanHistory(path, { ...options, nonFinite, format: "json" })),
      );
      assert.equal(result.length, 3);
      if (nonFinite !== "token") result.forEach((line) => JSON.parse(line)); // valid JSON
      assert.deepEqual(
        result.map(parseWandbJson),
        divergedRows.map((r) => printedAs(r, nonFinite)),
      );
    });
    await t.step(`scanHistory as NDJSON, nonFinite: ${nonFinite}`, async () => {
      const { result } = await scanAnsweredWith(
        divergedPage,
        (api, path, options) =>
          Effect.map(
            Stream.runCollect(api.scanHistory(path, { ...options, nonFinite, format: "ndjson" })),
            linesOf,
          ),
      );
      assert.equal(result.length, 3);
      if (nonFinite !== "token") result.forEach((line) => JSON.parse(line));
      assert.deepEqual(
        result.map(parseWandbJson),
        divergedRows.map((r) => printedAs(r, nonFinite)),
      );
    });
  }
  await t.step("the default writes null: the lines stay JSON", async () => {
    const { result } = await scanAnsweredWith(
      divergedPage,
      (api, path, options) =>
        Effect.map(
          Stream.runCollect(api.scanHistory(path, { ...options, format: "ndjson" })),
          linesOf,
        ),
    );
    assert.deepEqual(result, [
      '{"_step": 0, "loss": null, "acc": 0.5}',
      '{"_step": 1, "loss": null, "acc": null}',
      '{"_step": 2, "loss": 0.25}',
    ]);
  });
});

/** The bad rows every path must refuse, with the step and text they must name. */
const badRows: ReadonlyArray<readonly [string, string, string | undefined]> = [
  ["a lowercase nan", '{"_step":4,"loss":nan}', "step 4"],
  ["a malformed number", '{"_step":5,"loss":1.2.3}', "step 5"],
  ["a cut-off row", '{"_step":6,"loss":', "step 6"],
  ["a list", "[1,2]", undefined],
  ["a trailing comma", '{"_step":7,"loss":1,}', "step 7"],
];

Deno.test("a row that cannot be decoded fails every path with a DecodeError naming run, step and text", async (t) => {
  const scans: ReadonlyArray<
    readonly [
      string,
      (api: ApiShape, path: string, o: ScanHistoryOptions) => Effect.Effect<unknown, unknown>,
    ]
  > = [
    ["objects", (api, path, o) => Stream.runCollect(api.scanHistory(path, o))],
    [
      "JSON text",
      (api, path, o) => Stream.runCollect(api.scanHistory(path, { ...o, format: "json" })),
    ],
    [
      "NDJSON bytes",
      (api, path, o) => Stream.runCollect(api.scanHistory(path, { ...o, format: "ndjson" })),
    ],
  ];
  for (const [what, bad, step] of badRows) {
    for (const [path, scan] of scans) {
      await t.step(`${what}, ${path}`, async () => {
        const { result: error } = await scanAnsweredWith(
          historyAnswer(['{"_step":0,"loss":1}', bad, '{"_step":9,"loss":2}']),
          (api, runPath, options) => Effect.flip(scan(api, runPath, options)),
        );
        assert.ok(error instanceof DecodeError, String(error));
        const e = error;
        assert.equal(e.path, "project.run.history.1");
        assert.match(e.message, /^Run acme\/mnist\/\w+: History row 1/);
        assert.ok(e.message.includes(bad), e.message);
        if (step !== undefined) assert.ok(e.message.includes(step), e.message);
      });
    }
  }
  await t.step(
    "Parquet: a JSON cell that is not W&B's JSON names its row, step and text",
    async () => {
      const file = await parquetFile(
        historyToParquet([{ _step: 0, media: { a: 1 } }, { _step: 8 }]),
      );
      // The same file with the second row's JSON cell broken: written by the sink, as W&B
      // would never write it.
      const path = await Deno.makeTempFile();
      try {
        await Effect.runPromise(
          writeParquet(path, Stream.make({ _step: 0, media: "{}" }, { _step: 8, media: "{nan}" })),
        );
        const broken = await parquetFile(await Deno.readFile(path));
        const withJson = { ...broken, jsonColumns: file.jsonColumns };
        await assert.rejects(
          () => readParquetHistorySlice(withJson, 0, 2),
          (e: Error) => e.message.includes("History row 1 (step 8)") && e.message.includes("{nan}"),
        );
      } finally {
        await Deno.remove(path);
      }
    },
  );
});

/** The seeded real-world runs: `diverged`, `media` and `mixed`. */
const realRun = (runs: ReadonlyArray<SeedRun>, quirks: string): SeedRun =>
  runs.find((r) => r.project === "real-world" && r.history.quirks === quirks)!;

const withoutNulls = (row: HistoryRow): HistoryRow =>
  Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));

Deno.test("every path returns exactly the rows the server holds for real-world runs", async (t) => {
  for (const quirks of ["diverged", "media", "mixed"]) {
    for (const mode of ["graphql", "parquet", "auto"] as const) {
      await t.step(`${quirks}, ${mode}`, async () => {
        const { run, objects, text, bytes, parquetReads } = await inServer((server) =>
          Effect.gen(function* () {
            const api = yield* Api;
            const run = realRun(server.seed.runs, quirks);
            const path = `acme/real-world/${run.name}`;
            const options: ScanHistoryOptions = { mode, pageSize: 25, nonFinite: "token" };
            server.resetRequests();
            const objects = yield* Stream.runCollect(api.scanHistory(path, options));
            const parquetReads = countOperation(server, "RunParquetHistory");
            const text = yield* Stream.runCollect(
              api.scanHistory(path, { ...options, format: "json" }),
            );
            const bytes = linesOf(
              yield* Stream.runCollect(api.scanHistory(path, { ...options, format: "ndjson" })),
            );
            return { run, objects, text, bytes, parquetReads };
          })
        );
        const held = expectedRows(run);
        assert.equal(held.length, run.history.steps);
        // Parquet cannot keep a logged null apart from a key never logged: the explicit Parquet
        // path drops it (documented); "auto" keeps to GraphQL for such a run.
        const expected = mode === "parquet" ? held.map(withoutNulls) : held;
        assert.deepEqual(objects, expected);
        assert.deepEqual(text.map(parseWandbJson), expected);
        assert.deepEqual(bytes.map(parseWandbJson), expected);
        if (mode !== "graphql") assert.equal(parquetReads, 1);
      });
    }
  }
  await t.step("diverged, keys (sampledHistory rows are objects)", async () => {
    const { run, objects, bytes } = await inServer((server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const run = realRun(server.seed.runs, "diverged");
        const path = `acme/real-world/${run.name}`;
        const options: ScanHistoryOptions = { keys: ["loss", "grad_norm"], pageSize: 25 };
        const objects = yield* Stream.runCollect(api.scanHistory(path, options));
        const bytes = linesOf(
          yield* Stream.runCollect(
            api.scanHistory(path, { ...options, nonFinite: "string", format: "ndjson" }),
          ),
        );
        return { run, objects, bytes };
      })
    );
    const expected = expectedRows(run).map(({ _step, loss, grad_norm }) => ({
      _step,
      loss,
      grad_norm,
    }));
    assert.deepEqual(objects, expected);
    assert.ok(objects.some((row) => Number.isNaN(row["loss"])));
    assert.deepEqual(bytes.map((l) => JSON.parse(l)), expected.map((r) => printedAs(r, "string")));
  });
  await t.step("the seed holds what the issue names", async () => {
    const rows = await inServer((server) =>
      Effect.succeed(
        Object.fromEntries(
          ["diverged", "media", "mixed"].map((
            q,
          ) => [q, expectedRows(realRun(server.seed.runs, q))]),
        ),
      )
    );
    const values = (q: string, key: string) => rows[q]!.map((r) => r[key]);
    assert.ok(values("diverged", "loss").some((v) => Number.isNaN(v)));
    assert.ok(values("diverged", "grad_norm").includes(-Infinity));
    assert.ok(
      values("media", "examples").some((v) => (v as { _type?: string })?._type === "image-file"),
    );
    assert.ok(
      values("media", "predictions").some((v) => (v as { _type?: string })?._type === "table-file"),
    );
    assert.ok(
      values("media", "weights").some((v) => (v as { _type?: string })?._type === "histogram"),
    );
    assert.deepEqual(
      new Set(values("mixed", "status").map((v) => typeof v)),
      new Set(["string", "number", "boolean", "undefined"]),
    );
    assert.ok(values("mixed", "maybe").includes(null));
    assert.ok(values("mixed", "big_id").includes(9007199254740993n));
    assert.ok(rows["mixed"]!.some((r) => Object.keys(r).every((k) => k.startsWith("_"))));
  });
});

Deno.test("auto picks GraphQL for a run that logged nulls, and the same rows as GraphQL", async () => {
  const { auto, graphql, parquetDownloads } = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const path = `acme/real-world/${realRun(server.seed.runs, "mixed").name}`;
      server.resetRequests();
      const auto = yield* Stream.runCollect(api.scanHistory(path));
      const parquetDownloads = server.requests.filter((r) =>
        r.path.startsWith("/_storage/")
      ).length;
      const graphql = yield* Stream.runCollect(api.scanHistory(path, { mode: "graphql" }));
      return { auto, graphql, parquetDownloads };
    })
  );
  assert.equal(parquetDownloads, 0);
  assert.deepEqual(auto, graphql);
  assert.ok(auto.some((row) => "maybe" in row && row["maybe"] === null));
});

Deno.test("runs, summaries, configs and system metrics holding NaN decode as Python reads them", async () => {
  const { listed, diverged, ordered, filtered, events } = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const run = realRun(server.seed.runs, "diverged");
      const listed = yield* Stream.runCollect(api.runs("acme/real-world", { full: true }));
      const diverged = yield* api.run(`acme/real-world/${run.name}`);
      const ordered = yield* Stream.runCollect(
        api.runs("acme/real-world", { order: "-summary_metrics.loss" }),
      );
      const filtered = yield* Stream.runCollect(
        api.runs("acme/real-world", { filters: summary("loss").gt(-1) }),
      );
      const events = yield* api.systemMetrics(`acme/real-world/${run.name}`, { samples: 100 });
      return { listed, diverged, ordered, filtered, events };
    })
  );
  assert.equal(listed.length, 3);
  assert.ok(Number.isNaN(diverged.summary!["loss"]));
  assert.equal(diverged.summary!["tokens_seen"], 9007199254740993n);
  assert.ok(Number.isNaN(diverged.config!["lr_min"]));
  assert.equal(diverged.config!["clip"], Infinity);
  assert.ok(Number.isNaN(diverged.systemMetrics!["system.gpu.0.powerWatts"]));
  assert.ok(events.some((e) => Number.isNaN(e["system.gpu.0.powerWatts"])));
  // NaN matches no comparison and sorts with the missing values (the mixed run logged no loss
  // last), after every number, in creation order among them.
  assert.deepEqual(
    ordered.map((r) => r.id),
    [listed[1]!.id, listed[0]!.id, listed[2]!.id],
  );
  assert.ok(!filtered.some((r) => r.id === diverged.id));
});

Deno.test("the local server takes NaN summaries from the official client's UpsertBucket", async () => {
  const { summaryAfter } = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const run = server.seed.runs.find((r) => r.project === "mnist")!;
      const stored = server.store.runs.get("acme", "mnist", run.name)!;
      // What `run.summary["x"] = float("nan"); run.update()` sends.
      const { body: response } = yield* Effect.promise(() =>
        postGraphql(
          server.url,
          server.apiKey,
          "mutation UpsertBucket($id: String, $summaryMetrics: JSONString) { upsertBucket(input: {id: $id, summaryMetrics: $summaryMetrics}) { bucket { id } } }",
          { id: stored.storageId, summaryMetrics: '{"x": NaN, "y": -Infinity}' },
        )
      );
      assert.equal(response.errors, undefined);
      const after = yield* api.run(`acme/mnist/${run.name}`);
      return { summaryAfter: after.summary! };
    })
  );
  assert.ok(Number.isNaN(summaryAfter["x"]));
  assert.equal(summaryAfter["y"], -Infinity);
});

Deno.test("sinks: CSV writes NaN and the infinities, Parquet stores IEEE values and big integers, NDJSON as asked", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rows = [
      { _step: 0, loss: NaN, id: 9007199254740993n },
      { _step: 1, loss: Infinity, id: 1 },
      { _step: 2, loss: -Infinity },
    ];
    await Effect.runPromise(writeCsv(`${dir}/h.csv`, Stream.fromIterable(rows)));
    assert.equal(
      await Deno.readTextFile(`${dir}/h.csv`),
      "_step,loss,id\n0,NaN,9007199254740993\n1,Infinity,1\n2,-Infinity,\n",
    );
    await Effect.runPromise(writeParquet(`${dir}/h.parquet`, Stream.fromIterable(rows)));
    const back = await readParquetHistorySlice(
      await parquetFile(await Deno.readFile(`${dir}/h.parquet`)),
      0,
      3,
    );
    assert.deepEqual(back, rows);
    for (
      const [nonFinite, first] of [
        ["null", '{"_step":0,"loss":null,"id":9007199254740993}'],
        ["string", '{"_step":0,"loss":"NaN","id":9007199254740993}'],
        ["token", '{"_step":0,"loss":NaN,"id":9007199254740993}'],
      ] as const
    ) {
      await Effect.runPromise(
        writeNdjson(`${dir}/h.ndjson`, Stream.fromIterable(rows), { nonFinite }),
      );
      assert.equal((await Deno.readTextFile(`${dir}/h.ndjson`)).split("\n")[0], first);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the local server exports a column of integers past INT64 as W&B does, as DOUBLE", async () => {
  const rows = [
    { _step: 0, big: 9007199254740993n, huge: 7e20 },
    { _step: 1, big: 2n ** 62n, huge: 9007199254740993n },
  ];
  const back = await readParquetHistory(historyToParquet(rows));
  // `big` fits INT64 and stays exact; `huge` holds 7e20, so it is a DOUBLE column.
  assert.deepEqual(back.map((r) => r["big"]), [9007199254740993n, 2n ** 62n]);
  assert.deepEqual(back.map((r) => r["huge"]), [7e20, 9007199254740992]);
});
