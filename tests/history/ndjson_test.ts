// The NDJSON-bytes path (scanHistory and scanHistories with format "ndjson", writeBytes) against the object
// path and the seeded data, over real HTTP.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api, BufferPool, type ScanHistoryOptions, writeBytes } from "../../mod.ts";
import {
  parquetFile,
  readParquetHistoryJson,
  readParquetHistoryNdjson,
} from "../../lib/history/mod.ts";
import { historyToParquet, type SeedRun } from "../../lib/testing/mod.ts";
import { countOperation } from "../api/_harness.ts";
import {
  assertTaggedExport,
  expectedRows,
  historyAnswer,
  insertLongRun,
  inServer,
  scanAnsweredWith,
  scanModes,
  seedRun,
} from "./_seeded.ts";

const utf8 = new TextDecoder();

/** The lines of NDJSON chunks, each chunk checked to hold whole lines. */
function linesOf(chunks: ReadonlyArray<Uint8Array>): Array<string> {
  const lines: Array<string> = [];
  for (const chunk of chunks) {
    const text = utf8.decode(chunk);
    assert.ok(text.endsWith("\n"), "a chunk ends with a whole line");
    lines.push(...text.slice(0, -1).split("\n"));
  }
  return lines;
}

/** Both paths over the same run and options. */
const bothPaths = (run: SeedRun, options?: ScanHistoryOptions) =>
  Effect.gen(function* () {
    const api = yield* Api;
    const path = `acme/mnist/${run.name}`;
    const chunks = yield* Stream.runCollect(
      api.scanHistory(path, { ...options, format: "ndjson" }),
    );
    const rows = yield* Stream.runCollect(api.scanHistory(path, options));
    return { lines: linesOf(chunks), chunks, rows };
  });

Deno.test("scanHistory(…, { format: 'ndjson' }) gives the rows of scanHistory() as NDJSON, in every mode", async (t) => {
  for (const [name, state, options] of scanModes) {
    await t.step(name, async () => {
      const { lines, rows } = await inServer((server) =>
        bothPaths(seedRun(server, state), options)
      );
      assert.ok(rows.length >= 5, `${rows.length} rows`);
      assert.deepEqual(lines.map((l) => JSON.parse(l)), rows);
    });
  }
  await t.step("GraphQL rows reach the output byte for byte, a page per chunk", async () => {
    const { lines, chunks, expected } = await inServer((server) =>
      Effect.gen(function* () {
        const run = seedRun(server, "finished");
        const { lines, chunks } = yield* bothPaths(run, { mode: "graphql", pageSize: 50 });
        return { lines, chunks, expected: expectedRows(run).map((r) => JSON.stringify(r)) };
      })
    );
    assert.deepEqual(lines, expected);
    assert.equal(chunks.length, Math.ceil(expected.length / 50));
  });
});

Deno.test("scanHistory(…, { format: 'ndjson' }) orders and de-duplicates rows a server sends out of order", async () => {
  // One window holds every step; the server answers it with shuffled, repeated rows, some
  // outside the window, spaced, with `_step` not first, and with escapes of every kind; the
  // answer itself spaced like a pretty-printing server's, `errors: null` first.
  const history = [
    '{"_step":3,"a":"tab\\there \\"quoted\\" \\\\ \\u00e9 \\ud83d\\ude00 /"}',
    '{ "_step" : 1,\n "a": 1 }',
    '{"a":2,"_step":2}',
    '{"_step":2,"a":"again"}',
    '{"_step":-4}',
    '{"no_step":true}',
  ];
  const { result: lines, pages } = await scanAnsweredWith(
    JSON.stringify({ errors: null, data: { project: { run: { history } } } }, null, 2),
    (api, path, options) =>
      Effect.map(
        Stream.runCollect(api.scanHistory(path, { ...options, format: "ndjson" })),
        linesOf,
      ),
  );
  assert.equal(pages, 1);
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [
    { _step: 1, a: 1 },
    { a: 2, _step: 2 },
    { _step: 3, a: 'tab\there "quoted" \\ é 😀 /' },
    // A row without a step is kept (as the official client yields it), after the rows the
    // server sent before it.
    { no_step: true },
  ]);
  // The row's own whitespace newline became a space: one row, one line.
  assert.equal(lines[0], '{ "_step" : 1,  "a": 1 }');
});

Deno.test("scanHistory(…, { format: 'ndjson' }) reports what the rows' reader cannot take as typed errors", async (t) => {
  const failWith = async (body: string) =>
    (await scanAnsweredWith(
      body,
      (api, path, options) =>
        Effect.flip(Stream.runCollect(api.scanHistory(path, { ...options, format: "ndjson" }))),
    )).result;
  await t.step("a row that is not a JSON object: DecodeError at its index", async () => {
    const error = await failWith(historyAnswer(['{"_step":0}', "[1,2]"]));
    assert.equal(error._tag, "DecodeError");
    assert.equal(error._tag === "DecodeError" && error.path, "project.run.history.1");
  });
  await t.step("GraphQL errors beside the rows: GraphqlError", async () => {
    const error = await failWith(
      JSON.stringify({
        data: { project: { run: { history: ['{"_step":0}'] } } },
        errors: [{ message: "history is unavailable" }],
      }),
    );
    assert.equal(error._tag, "GraphqlError");
    assert.equal(error.message, "history is unavailable");
  });
  await t.step("the run is gone: NotFoundError", async () => {
    const error = await failWith(JSON.stringify({ data: { project: { run: null } } }));
    assert.equal(error._tag, "NotFoundError");
  });
});

Deno.test("scanHistory(…, { format: 'ndjson' }) retries a page whose body was cut off", async () => {
  const { lines, expected, pages } = await inServer((server) =>
    Effect.gen(function* () {
      const run = seedRun(server, "finished");
      server.injectFaults({ kind: "truncate", operationName: "HistoryPage" });
      const api = yield* Api;
      const chunks = yield* Stream.runCollect(
        api.scanHistory(`acme/mnist/${run.name}`, {
          mode: "graphql",
          pageSize: 1000,
          format: "ndjson",
        }),
      );
      return {
        lines: linesOf(chunks),
        expected: expectedRows(run).map((r) => JSON.stringify(r)),
        pages: countOperation(server, "HistoryPage"),
      };
    })
  );
  assert.deepEqual(lines, expected);
  assert.equal(pages, Math.ceil(expected.length / 1000) + 1);
});

Deno.test("scanHistories(…, { format: 'ndjson' }) tags every row; writeBytes() writes the NDJSON", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { written, objects, seed } = await inServer((server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const runs = api.runs("acme/cifar10");
        const options = { runConcurrency: 3, mode: "graphql", pageSize: 40 } as const;
        const written = yield* writeBytes(
          `${dir}/h.ndjson`,
          api.scanHistories(runs, { ...options, format: "ndjson" }),
        );
        const objects = yield* Stream.runCollect(api.scanHistories(runs, options));
        return { written, objects, seed: server.seed.runs.filter((r) => r.project === "cifar10") };
      })
    );
    const bytes = await Deno.readFile(`${dir}/h.ndjson`);
    assert.equal(written, bytes.length);
    const lines = linesOf([bytes]).map((l) => JSON.parse(l));
    assertTaggedExport(lines, objects, seed);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a long run's Parquet export streams as NDJSON a row group per chunk", async () => {
  const { chunks, expected } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const run = server.seed.runs.find((r) => r.project === "bench")!;
        const api = yield* Api;
        const chunks = yield* Stream.runCollect(
          api.scanHistory(`acme/bench/${run.name}`, { mode: "parquet", format: "ndjson" }),
        );
        return { chunks, expected: expectedRows(run) };
      }),
    { seed: { benchmark: { runs: 1, steps: 12_000, metrics: 10 } } },
  );
  // Three row groups of at most 5,000 rows.
  assert.deepEqual(chunks.map((c) => utf8.decode(c).split("\n").length - 1), [5000, 5000, 2000]);
  assert.deepEqual(linesOf(chunks).map((l) => JSON.parse(l)), expected);
});

Deno.test("scanHistory(…, { format: 'ndjson' }) streams: requests stay a bounded distance ahead of the consumer", async () => {
  const pageSize = 100;
  const concurrency = 4;
  const { maxAhead, total } = await inServer((server) =>
    Effect.gen(function* () {
      const run = insertLongRun(server, "longrun2", 2);
      const api = yield* Api;
      let consumed = 0;
      let maxAhead = 0;
      yield* api.scanHistory(`acme/mnist/${run.name}`, {
        pageSize,
        concurrency,
        mode: "graphql",
        format: "ndjson",
      }).pipe(
        Stream.runForEach((chunk) =>
          Effect.sync(() => {
            consumed += linesOf([chunk]).length;
            const fetched = countOperation(server, "HistoryPage") * pageSize;
            maxAhead = Math.max(maxAhead, fetched - consumed);
          })
        ),
      );
      return { maxAhead, total: consumed };
    })
  );
  assert.equal(total, 20_000);
  // Collecting the history first would put all 20,000 rows ahead of the consumer.
  assert.ok(maxAhead <= (2 * concurrency + 2) * pageSize, `producer ran ${maxAhead} rows ahead`);
});

Deno.test("readParquetHistoryNdjson() prints every cell type and tags rows", async () => {
  const rows = [
    { _step: 0, loss: 0.25, name: 'a "b"', media: { _type: "histogram", values: [1, 2] } },
    { _step: 1, loss: -1e-7 },
    { _step: 2 },
  ];
  // An export as the local server writes it: the media column is marked as JSON.
  const file = await parquetFile(historyToParquet(rows));
  const plain = await readParquetHistoryNdjson(file, 0, 3);
  assert.deepEqual(linesOf([plain.bytes]).map((l) => JSON.parse(l)), rows);
  assert.deepEqual(Array.from(plain.steps), [0, 1, 2]);
  const tagged = await readParquetHistoryNdjson(file, 1, 3, { id: "r1", path: "e/p/r1" });
  assert.deepEqual(linesOf([tagged.bytes]).map((l) => JSON.parse(l)), [
    { _step: 1, loss: -1e-7, run_id: "r1", run_path: "e/p/r1" },
    { _step: 2, run_id: "r1", run_path: "e/p/r1" },
  ]);
});

Deno.test("a page streamed in pieces without a Content-Length is read whole", async () => {
  const { lines, history } = await inServer((server) =>
    Effect.gen(function* () {
      const run = seedRun(server, "finished");
      // Larger than the first buffer a body without a declared length gets (64 KiB).
      const history = Array.from(
        { length: run.history.steps },
        (_, step) => JSON.stringify({ _step: step, text: "x".repeat(1000) }),
      );
      server.injectFaults({
        status: 200,
        operationName: "HistoryPage",
        body: JSON.stringify({ data: { project: { run: { history } } } }),
        chunkBytes: 4096,
      });
      const api = yield* Api;
      const chunks = yield* Stream.runCollect(
        api.scanHistory(`acme/mnist/${run.name}`, {
          mode: "graphql",
          pageSize: run.history.steps,
          format: "ndjson",
        }),
      );
      return { lines: linesOf(chunks), history };
    })
  );
  assert.ok(history.join().length > 128 * 1024);
  assert.deepEqual(lines, history);
});

Deno.test("a pooled export writes the same bytes, its buffers reused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { plain, pooled, taken, made, pages } = await inServer((server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const runs = api.runs("acme/cifar10");
        const options = { runConcurrency: 3, mode: "graphql", pageSize: 40 } as const;
        const plain = yield* writeBytes(
          `${dir}/plain.ndjson`,
          api.scanHistories(runs, { ...options, format: "ndjson" }),
        );
        // Counts the buffers asked for, and the distinct ones the pool handed out.
        let taken = 0;
        const made = new Set<ArrayBufferLike>();
        // Room for every buffer in flight at once, so that each one given back is kept.
        const pool = new BufferPool(64);
        const take = pool.take.bind(pool);
        pool.take = (size) => {
          const buffer = take(size);
          taken++;
          made.add(buffer.buffer);
          return buffer;
        };
        const pooled = yield* writeBytes(
          `${dir}/pooled.ndjson`,
          api.scanHistories(runs, { ...options, buffers: pool, format: "ndjson" }),
          { recycle: pool },
        );
        return {
          plain,
          pooled,
          taken,
          made: made.size,
          pages: countOperation(server, "HistoryPage") / 2,
        };
      })
    );
    assert.equal(pooled, plain);
    // Runs interleave in arrival order: the same lines, each run's in step order.
    const linesOfRun = async (file: string) => {
      const byRun = new Map<string, Array<string>>();
      for (const line of (await Deno.readTextFile(`${dir}/${file}`)).trimEnd().split("\n")) {
        const run = JSON.parse(line).run_id as string;
        byRun.set(run, [...byRun.get(run) ?? [], line]);
      }
      return [...byRun].sort(([a], [b]) => a.localeCompare(b));
    };
    assert.deepEqual(await linesOfRun("pooled.ndjson"), await linesOfRun("plain.ndjson"));
    // Every page takes two buffers (its bytes, its rows' ends and steps), but only as many are
    // made as can be in flight at once: 3 runs x (4 windows + 1 waiting + 1 being written) x 2.
    assert.ok(pages > 60 && taken >= 2 * pages, `${taken} buffers taken for ${pages} pages`);
    assert.ok(made <= 36, `${made} buffers made for ${pages} pages`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Parquet rows print to NDJSON as JSON.stringify prints them, all-number columns too", async () => {
  const rows = [
    { _step: 0, loss: 0.1, acc: 1e21, sparse: 1, text: "a\nb", media: { _type: "table" } },
    { _step: 1, loss: Number.NaN, acc: -0, text: "é" },
    { _step: 2, loss: Number.POSITIVE_INFINITY, acc: 5e-324, sparse: -2.5 },
  ];
  const file = await parquetFile(historyToParquet(rows));
  const records = await readParquetHistoryJson(file, 0, 3);
  const ndjson = await readParquetHistoryNdjson(file, 0, 3);
  assert.deepEqual(linesOf([ndjson.bytes]), records);
  assert.equal(records[1], '{"_step":1,"loss":null,"acc":0,"text":"é"}');
});

Deno.test("a run exported as one huge row group is decoded a slice at a time", async () => {
  const { chunkLines, parquetRows, graphqlRows, pages } = await inServer(
    (server) =>
      Effect.gen(function* () {
        // 20,000 steps in one row group: a writer's default would put a far longer run in one.
        const run = insertLongRun(server, "onegroup", 3);
        const path = `acme/mnist/${run.name}`;
        const api = yield* Api;
        const chunks = yield* Stream.runCollect(
          api.scanHistory(path, { mode: "parquet", pageSize: 500, format: "ndjson" }),
        );
        const graphqlRows = yield* Stream.runCollect(api.scanHistory(path, { mode: "graphql" }));
        return {
          chunkLines: Array.from(chunks, (chunk) => linesOf([chunk]).length),
          parquetRows: linesOf(Array.from(chunks)).map((line) => JSON.parse(line)),
          graphqlRows: Array.from(graphqlRows),
          pages: countOperation(server, "HistoryPage"),
        };
      }),
    // A run resumed after its export: 18,000 of its 20,000 steps exported, in that one group.
    { parquet: { rowGroupRows: 1_000_000, runningExportedShare: 0.9 } },
  );
  assert.equal(parquetRows.length, 20_000);
  assert.deepEqual(parquetRows, graphqlRows);
  // Slices of ten pages (5,000 rows): never the whole group's 20,000 rows at once.
  assert.ok(Math.max(...chunkLines) <= 5_000, `a chunk of ${Math.max(...chunkLines)} rows`);
  assert.ok(chunkLines.length >= 4);
  // The GraphQL scan's 20 pages, and the Parquet scan's 4 of the steps not exported yet (the
  // run is running: 18,000 of its 20,000 steps are in the export, in that one row group).
  assert.equal(pages, 20 + 4);
});

Deno.test("a Parquet export stopped part-way frees only what it read: the chunks it gave stay whole, and a full export after it has every row", async () => {
  const { partial, full, expected } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        const options = { mode: "parquet", format: "ndjson" } as const;
        // Two chunks of the first run, while the others read ahead: the rest is interrupted
        // (row groups decoding, exports fetched) and freed.
        const partial = yield* Stream.runCollect(
          api.scanHistories(api.runs("acme/bench"), options).pipe(Stream.take(2)),
        );
        const full = yield* Stream.runCollect(api.scanHistories(api.runs("acme/bench"), options));
        const runs = server.seed.runs.filter((r) => r.project === "bench");
        return { partial, full, expected: runs.flatMap((run) => expectedRows(run).length) };
      }),
    { seed: { benchmark: { runs: 4, steps: 12_000, metrics: 10 } } },
  );
  // The chunks given before the stop are whole row groups, readable after the stream ended.
  assert.deepEqual(partial.map((c) => utf8.decode(c).split("\n").length - 1), [5000, 5000]);
  assert.ok(linesOf(partial).every((line) => JSON.parse(line)._step >= 0));
  const lines = linesOf(full).map((l) => JSON.parse(l));
  assert.equal(lines.length, expected.reduce((a, b) => a + b, 0));
  assert.deepEqual(
    lines.slice(0, 10_000).map((row) => row._step),
    Array.from({ length: 10_000 }, (_, i) => i),
  );
});

Deno.test("a Parquet export of many runs decodes a run only at its turn: the runs ahead hold their fetched exports, not their rows", async () => {
  const { firstRunAlone, takenBeforeTurn, fetchedAhead, lines, expected } = await inServer(
    (server) =>
      Effect.gen(function* () {
        const api = yield* Api;
        // Every chunk of NDJSON is built in buffers taken from the pool: counting the takes
        // counts what was decoded so far.
        let taken = 0;
        const buffers = new class extends BufferPool {
          override take(size: number) {
            taken++;
            return super.take(size);
          }
        }(8);
        const options = { mode: "parquet", format: "ndjson", buffers, runConcurrency: 4 } as const;
        yield* Stream.runDrain(api.scanHistories(Stream.take(api.runs("acme/bench"), 1), options));
        const firstRunAlone = taken;
        taken = 0;
        const storage = () => server.requests.filter((r) => r.path.startsWith("/_storage/"));
        const before = storage().length;
        let takenBeforeTurn = -1;
        let fetchedAhead = 0;
        const chunks: Array<Uint8Array> = [];
        yield* api.scanHistories(api.runs("acme/bench"), options).pipe(
          Stream.runForEach((chunk) =>
            Effect.gen(function* () {
              chunks.push(chunk.slice());
              if (chunks.length !== 3) return;
              // The first run's three row groups are out; the runs after it had time to fetch.
              yield* Effect.sleep("300 millis");
              fetchedAhead = storage().length - before;
              takenBeforeTurn = taken;
            })
          ),
        );
        const runs = server.seed.runs.filter((r) => r.project === "bench");
        return {
          firstRunAlone,
          takenBeforeTurn,
          fetchedAhead,
          lines: linesOf(chunks).map((l) => JSON.parse(l)),
          expected: runs.flatMap((run) => expectedRows(run).map((row) => row._step)),
        };
      }),
    { seed: { benchmark: { runs: 4, steps: 12_000, metrics: 10 } } },
  );
  // Every run's export was fetched (each with one request at least) while the first was
  // written...
  assert.ok(fetchedAhead >= 4, `${fetchedAhead} storage requests`);
  // ...yet no more was decoded than the first run alone decodes.
  assert.ok(firstRunAlone > 0);
  assert.equal(takenBeforeTurn, firstRunAlone);
  assert.deepEqual(lines.map((row) => row._step), expected);
});

Deno.test("readParquetHistoryNdjson() frees every buffer it decoded from once the rows are printed", async () => {
  const rows = Array.from({ length: 3_000 }, (_, i) => ({
    _step: i,
    loss: 1 / (i + 1),
    lr: i % 3 === 0 ? 0.1 : 0.01,
    phase: `p${i % 7}`,
    ...(i % 5 === 0 ? { media: { _type: "histogram", values: [i, i + 1] } } : {}),
  }));
  const file = await parquetFile(historyToParquet(rows, 1_000));
  // The bytes the reader takes out of the file, as it takes them.
  const taken: Array<ArrayBuffer> = [];
  const source = file.source;
  const watched = {
    ...file,
    source: {
      byteLength: source.byteLength,
      slice: (from: number, to?: number) => {
        const bytes = source.slice(from, to) as ArrayBuffer;
        taken.push(bytes);
        return bytes;
      },
    },
  };
  const batch = await readParquetHistoryNdjson(watched, 1_000, 3_000);
  assert.deepEqual(linesOf([batch.bytes]).map((l) => JSON.parse(l)), rows.slice(1_000));
  assert.ok(taken.length >= 2, `${taken.length} slices`);
  // Freed (detached), not left to the collector; the file's own bytes stay.
  assert.deepEqual(taken.map((b) => b.byteLength), taken.map(() => 0));
  assert.equal(source.byteLength, file.source.byteLength);
  const again = await readParquetHistoryNdjson(file, 0, 3_000);
  assert.deepEqual(linesOf([again.bytes]).map((l) => JSON.parse(l)), rows);
});
