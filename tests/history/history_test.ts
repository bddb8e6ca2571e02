import assert from "node:assert/strict";
import { Effect, Schema, Stream } from "effect";
import { Api, decodeHistoryRows, type ScanHistoryOptions } from "../../mod.ts";
import type { SeedRun } from "../../lib/testing/mod.ts";
import { parquetFile } from "../../lib/history/parquet.ts";
import { parquetExport } from "../../lib/history/parquet_scan.ts";
import { countOperation } from "../api/_harness.ts";
import { expectedRows, insertLongRun, inServer, seedRun } from "./_seeded.ts";

const scan = (run: SeedRun, options?: ScanHistoryOptions) =>
  Effect.gen(function* () {
    const api = yield* Api;
    return yield* Stream.runCollect(api.scanHistory(`acme/mnist/${run.name}`, options));
  });

Deno.test("scanHistory() returns exactly the seeded rows, in order, for every window size", async (t) => {
  for (const pageSize of [7, 64, 1000]) {
    for (const concurrency of [1, 8]) {
      await t.step(`pageSize ${pageSize}, concurrency ${concurrency}`, async () => {
        const [rows, expected, requests] = await inServer((server) =>
          Effect.gen(function* () {
            const run = seedRun(server, "finished");
            const rows = yield* scan(run, { pageSize, concurrency, mode: "graphql" });
            return [rows, expectedRows(run), countOperation(server, "HistoryPage")] as const;
          })
        );
        assert.equal(rows.length, expected.length);
        assert.deepEqual(rows, expected);
        assert.equal(requests, Math.ceil(expected.length / pageSize));
      });
    }
  }
});

Deno.test("scanHistory() honours minStep and maxStep at the edges", async (t) => {
  const cases: Array<
    [string, number | undefined, number | undefined, (last: number) => [number, number]]
  > = [
    ["a middle window", 5, 17, () => [5, 17]],
    ["maxStep past the end is clamped", 3, 1_000_000, (last) => [3, last + 1]],
    ["minStep past the end is empty", 1_000_000, undefined, () => [0, 0]],
    ["maxStep 0 is empty", undefined, 0, () => [0, 0]],
    ["a single step", 10, 11, () => [10, 11]],
  ];
  for (const [name, minStep, maxStep, window] of cases) {
    await t.step(name, async () => {
      const [rows, run] = await inServer((server) =>
        Effect.gen(function* () {
          const run = seedRun(server, "finished");
          return [
            yield* scan(run, { minStep, maxStep, pageSize: 4, mode: "graphql" }),
            run,
          ] as const;
        })
      );
      const [lo, hi] = window(run.history.steps - 1);
      assert.deepEqual(rows, hi <= lo ? [] : expectedRows(run, lo, hi));
    });
  }
});

Deno.test("scanHistory() with keys returns only rows holding every key, each once", async (t) => {
  await t.step("a sparse key", async () => {
    const [rows, run] = await inServer((server) =>
      Effect.gen(function* () {
        const run = seedRun(server, "finished");
        return [yield* scan(run, { keys: ["val/loss"], pageSize: 25 }), run] as const;
      })
    );
    const expected = expectedRows(run).filter((r) => "val/loss" in r).map((r) => ({
      _step: r["_step"],
      "val/loss": r["val/loss"],
    }));
    assert.ok(expected.length > 5);
    assert.deepEqual(rows, expected);
  });
  await t.step("two keys with a media value passing through whole", async () => {
    const [rows, run] = await inServer((server) =>
      Effect.gen(function* () {
        const run = seedRun(server, "finished");
        return [yield* scan(run, { keys: ["loss", "weights"], pageSize: 60 }), run] as const;
      })
    );
    const expected = expectedRows(run).filter((r) => "weights" in r).map((r) => ({
      _step: r["_step"],
      loss: r["loss"],
      weights: r["weights"],
    }));
    assert.deepEqual(rows, expected);
    assert.equal((rows[0]!["weights"] as { _type: string })._type, "histogram");
  });
});

Deno.test("the Parquet path equals the GraphQL path row for row", async (t) => {
  const cases = [
    ["a finished run (exported whole)", "finished", undefined],
    // W&B exports a run hours after it ends: a running run has neither files nor live steps.
    ["a running run (not exported: every row live)", "running", undefined],
    // A run resumed after its export: its pages straddle the files and the live rows.
    ["a run resumed after its export", "running", 0.9],
  ] as const;
  for (const [name, state, share] of cases) {
    await t.step(name, async () => {
      const { parquet, graphql, parquetRequests, livePages } = await inServer(
        (server) =>
          Effect.gen(function* () {
            const run = seedRun(server, state);
            const parquet = yield* scan(run, { mode: "parquet", pageSize: 50 });
            const parquetRequests = server.requests.filter((r) =>
              r.path.startsWith("/_storage/")
            ).length;
            const livePages = countOperation(server, "HistoryPage");
            const graphql = yield* scan(run, { mode: "graphql" });
            return { parquet, graphql, parquetRequests, livePages };
          }),
        share === undefined ? undefined : { parquet: { runningExportedShare: share } },
      );
      assert.ok(graphql.length > 100);
      assert.deepEqual(parquet, graphql);
      assert.equal(parquetRequests, state === "running" && share === undefined ? 0 : 1);
      // Rows not exported come from GraphQL pages.
      assert.equal(livePages > 0, state === "running");
    });
  }
  await t.step("auto falls back to GraphQL when the server has no Parquet exports", async () => {
    const { rows, expected, requests } = await inServer(
      (server) =>
        Effect.gen(function* () {
          const run = seedRun(server, "finished");
          return {
            rows: yield* scan(run),
            expected: expectedRows(run),
            requests: server.requests.map((r) => r.operationName),
          };
        }),
      { parquet: false },
    );
    assert.deepEqual(rows, expected);
    assert.deepEqual(requests.slice(0, 3), ["RunHistoryKeys", "RunParquetHistory", "HistoryPage"]);
  });
  await t.step("mode parquet fails when the server has no exports", async () => {
    const error = await inServer(
      (server) => Effect.flip(scan(seedRun(server, "finished"), { mode: "parquet" })),
      { parquet: false },
    );
    assert.equal(error._tag, "GraphqlError");
  });
});

Deno.test("a scan that meets 429s slows down and completes", async () => {
  const { rows, expected, limited } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const run = seedRun(server, "finished");
        const rows = yield* scan(run, {
          pageSize: 5,
          maxStep: 150,
          concurrency: 8,
          mode: "graphql",
        });
        return {
          rows,
          expected: expectedRows(run, 0, 150),
          limited: server.requests.filter((r) => r.status === 429).length,
        };
      }),
    { rateLimit: { requestsPerSecond: 10 } },
  );
  assert.ok(limited > 0, "the rate limiter never answered 429");
  assert.deepEqual(rows, expected);
});

Deno.test("scanHistory() streams: requests stay a bounded distance ahead of the consumer", async () => {
  const pageSize = 100;
  const concurrency = 4;
  const { maxAhead, total, windows } = await inServer((server) =>
    Effect.gen(function* () {
      const run = insertLongRun(server, "longrun1", 1);
      const api = yield* Api;
      let consumed = 0;
      let maxAhead = 0;
      yield* api.scanHistory(`acme/mnist/${run.name}`, { pageSize, concurrency, mode: "graphql" })
        .pipe(
          Stream.runForEach((row) =>
            Effect.sync(() => {
              consumed++;
              assert.equal(row["_step"], consumed - 1);
              const fetched = countOperation(server, "HistoryPage") * pageSize;
              maxAhead = Math.max(maxAhead, fetched - consumed);
            })
          ),
        );
      return { maxAhead, total: consumed, windows: countOperation(server, "HistoryPage") };
    })
  );
  assert.equal(total, 20_000);
  assert.equal(windows, 200);
  // Collecting the history first would put all 20,000 rows ahead of the consumer.
  assert.ok(maxAhead <= (2 * concurrency + 2) * pageSize, `producer ran ${maxAhead} rows ahead`);
});

Deno.test("history() samples exactly as asked, and systemMetrics() reads events", async (t) => {
  const result = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const run = seedRun(server, "finished");
      const path = `acme/mnist/${run.name}`;
      return {
        run,
        all: yield* api.history(path, { samples: 10 }),
        keyed: yield* api.history(path, { samples: 4, keys: ["val/loss"] }),
        system: yield* api.systemMetrics(path, { samples: 5 }),
        badSamples: yield* Effect.flip(api.history(path, { samples: 0 })),
        badKeys: yield* Effect.flip(
          api.history(path, { samples: 5, keys: ["x"], stream: "system" }),
        ),
        last: yield* api.lastHistoryStep(path),
      };
    })
  );
  await t.step("samples rows spread over the run, first and last included", () => {
    assert.equal(result.all.length, 10);
    assert.equal(result.all[0]!["_step"], 0);
    assert.equal(result.all[9]!["_step"], result.run.history.steps - 1);
    assert.equal(result.last, result.run.history.steps - 1);
  });
  await t.step("keys select rows and columns", () => {
    assert.equal(result.keyed.length, 4);
    for (const row of result.keyed) {
      assert.deepEqual(Object.keys(row).sort(), ["_step", "val/loss"]);
    }
  });
  await t.step("system metrics", () => {
    assert.equal(result.system.length, 5);
    assert.equal(typeof result.system[0]!["system.cpu"], "number");
  });
  await t.step("bad arguments are typed errors", () => {
    assert.equal(result.badSamples._tag, "InvalidArgumentError");
    assert.equal(result.badKeys._tag, "InvalidArgumentError");
  });
});

Deno.test("histories() and scanHistories() tag every row with its run", async () => {
  const result = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const runs = api.runs("acme/cifar10");
      const sampled = yield* Stream.runCollect(
        api.histories(runs, { samples: 3, runConcurrency: 3 }),
      );
      const full = yield* Stream.runCollect(
        api.scanHistories(runs, { runConcurrency: 4, mode: "graphql" }),
      );
      return { sampled, full, seed: server.seed.runs.filter((r) => r.project === "cifar10") };
    })
  );
  assert.equal(result.sampled.length, 3 * result.seed.length);
  assert.deepEqual(
    [...new Set(result.sampled.map((r) => r.run_id))],
    result.seed.map((r) => r.name),
  );
  for (const run of result.seed) {
    const rows = result.full.filter((r) => r.run_id === run.name);
    assert.equal(rows[0]!.run_path, `acme/cifar10/${run.name}`);
    assert.deepEqual(
      rows.map(({ run_id: _id, run_path: _path, ...row }) => row),
      expectedRows(run),
    );
  }
});

Deno.test("decodeHistoryRows() types rows with a user Schema", async () => {
  const LossRow = Schema.Struct({ _step: Schema.Number, loss: Schema.Number });
  const { typed, error } = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      const path = `acme/mnist/${seedRun(server, "finished").name}`;
      const typed = yield* api.scanHistory(path, { maxStep: 3 }).pipe(
        decodeHistoryRows(LossRow),
        Stream.runCollect,
      );
      const error = yield* Effect.flip(
        api.scanHistory(path, { maxStep: 3 }).pipe(
          decodeHistoryRows(Schema.Struct({ loss: Schema.String })),
          Stream.runCollect,
        ),
      );
      return { typed, error };
    })
  );
  assert.equal(typed.length, 3);
  assert.equal(typeof typed[0]!.loss, "number");
  assert.equal(error._tag, "DecodeError");
  assert.equal(error._tag === "DecodeError" && error.path, "_step=0.loss");
});

Deno.test("a run waiting out a 429 steps aside: the next run goes on meanwhile", async () => {
  const result = await inServer((server) =>
    Effect.gen(function* () {
      const api = yield* Api;
      // The first history page asked for (the first run's: one run at a time) is refused
      // with a reset 1 s away.
      server.injectFaults({
        status: 429,
        headers: { "RateLimit-Reset": "1" },
        operationName: "HistoryPage",
      });
      const started = Date.now();
      const rows = yield* Stream.runCollect(
        api.scanHistories(api.runs("acme/cifar10"), { runConcurrency: 1, mode: "graphql" }),
      );
      return {
        rows,
        seconds: (Date.now() - started) / 1000,
        seed: server.seed.runs.filter((r) => r.project === "cifar10"),
        // The runs whose pages the server answered, in the order it answered them.
        answered: server.requests.filter((r) =>
          r.operationName === "HistoryPage" && r.status === 200
        )
          .map((r) => r.variables["run"]),
      };
    })
  );
  const [first, second] = result.seed;
  assert.ok(first !== undefined && second !== undefined);
  // Without stepping aside, one run at a time would read every page of the first run first;
  // the rows still come out run after run, in the order of the runs.
  assert.equal(result.answered[0], second.name);
  assert.equal(result.rows[0]!.run_id, first.name);
  assert.deepEqual(
    [...new Set(result.rows.map((r) => r.run_id))],
    result.seed.map((r) => r.name),
  );
  assert.ok(result.seconds >= 1, `retried after ${result.seconds} s, before the reset`);
  for (const run of result.seed) {
    assert.deepEqual(
      result.rows.filter((r) => r.run_id === run.name).map((
        { run_id: _id, run_path: _path, ...row },
      ) => row),
      expectedRows(run),
    );
  }
});

Deno.test("a Parquet export downloaded whole is one buffer of exactly its size, read without a copy", async () => {
  const { bytes, rows, whole } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const run = server.seed.runs.find((r) => r.project === "bench")!;
        const { urls } = yield* parquetExport(api.client, {
          entity: "acme",
          project: "bench",
          runId: run.name,
        });
        // As the scan first asks: a suffix larger than a small export, which brings it whole.
        const download = yield* api.client.downloadRange(urls[0]!, { suffix: 2 * 1024 * 1024 }, {
          operation: "GET parquet history",
          authenticated: false,
        });
        const file = yield* Effect.promise(() => parquetFile(download.bytes));
        const whole = yield* Effect.promise(() => fetch(urls[0]!).then((r) => r.bytes()));
        return { bytes: download.bytes, rows: file.rows, whole };
      }),
    { seed: { benchmark: { runs: 1, steps: 3_000, metrics: 4 } } },
  );
  assert.deepEqual(bytes, whole);
  // The body's Content-Length sized the buffer: nothing after the bytes, nothing to copy out.
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, whole.length);
  assert.equal(rows, 3_000);
});
