// The `export` command, run in-process on the embedded local server (`--local`), as the README's
// demo runs it.
import assert from "node:assert/strict";
import { parquetReadObjects } from "hyparquet";
import { main } from "../../lib/cli/main.ts";
import { startEmulator } from "../../lib/testing/mod.ts";

const withOut = async (body: (out: string) => Promise<void>) => {
  const out = await Deno.makeTempDir();
  try {
    await body(out);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
};

const lines = async (path: string) =>
  (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");

Deno.test("export --local writes the runs table and every history row, CSV and NDJSON", async () => {
  await withOut(async (out) => {
    const code = await main([
      "export",
      "acme/mnist",
      "--local",
      "--format",
      "csv,ndjson",
      "--what",
      "runs,history,system",
      "--out",
      out,
    ]);
    assert.equal(code, 0);
    const runs = (await lines(`${out}/runs.ndjson`)).map((l) => JSON.parse(l));
    assert.equal(runs.length, 30);
    assert.equal((await lines(`${out}/runs.csv`)).length, 31); // a header and 30 rows
    // Every row of every run: as many as the runs' history line counts say.
    const history = await lines(`${out}/history.ndjson`);
    const expected = runs.reduce((n, r) => n + (r.historyLineCount as number), 0);
    assert.equal(history.length, expected);
    assert.equal((await lines(`${out}/history.csv`)).length, expected + 1);
    const perRun = new Map<string, Array<number>>();
    for (const row of history.map((l) => JSON.parse(l))) {
      perRun.set(row.run_path, [...perRun.get(row.run_path) ?? [], row._step]);
    }
    for (const steps of perRun.values()) {
      assert.deepEqual(steps, [...steps].sort((a, b) => a - b), "a run's rows out of step order");
    }
    assert.ok((await lines(`${out}/system.ndjson`)).length > 0);
  });
});

Deno.test("export --format parquet writes a dataset partitioned by run, with only --keys", async () => {
  await withOut(async (out) => {
    const code = await main([
      "export",
      "acme/cifar10",
      "--local",
      "--format",
      "parquet",
      "--what",
      "history",
      "--keys",
      "loss",
      "--out",
      out,
    ]);
    assert.equal(code, 0);
    const partitions = [...Deno.readDirSync(`${out}/history`)].map((e) => e.name);
    assert.ok(partitions.length > 0 && partitions.every((p) => p.startsWith("run_id=")));
    const bytes = await Deno.readFile(`${out}/history/${partitions[0]}/part-0.parquet`);
    const rows = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer });
    assert.ok(rows.length > 0);
    assert.deepEqual(Object.keys(rows[0]!).sort(), ["_runtime", "_step", "_timestamp", "loss"]);
  });
});

Deno.test("export exits 1 when a part fails, listing it and keeping the rest", async () => {
  await withOut(async (out) => {
    // A seeded run has a file named "../escape.txt", which no download may write.
    const code = await main(["export", "acme/mnist", "--local", "--what", "files", "--out", out]);
    assert.equal(code, 1);
    const runDirs = [...Deno.readDirSync(`${out}/files`)];
    assert.ok(runDirs.length > 0);
    assert.ok(!(await Deno.stat(`${out}/escape.txt`).then(() => true, () => false)));
  });
});

Deno.test("export exits 2 on bad usage, before any request", async (t) => {
  for (
    const [name, args] of [
      ["an unknown format", ["--format", "xml"]],
      ["an unknown part", ["--what", "everything"]],
      ["a filter that is not JSON", ["--filter", "{state"]],
      ["a filter that is not an object", ["--filter", "[1]"]],
      ["--sync with CSV", ["--sync", "--format", "csv"]],
      ["a flag that does not exist", ["--fast"]],
    ] as const
  ) {
    await t.step(name, async () => {
      assert.equal(await main(["export", "acme/mnist", "--local", ...args]), 2);
    });
  }
  await t.step("no project", async () => {
    assert.equal(await main(["export", "--local"]), 2);
  });
  await t.step("--help is no error", async () => {
    assert.equal(await main(["export", "--help"]), 0);
  });
});

Deno.test("export --sync: a second sync with nothing new writes nothing", async () => {
  await withOut(async (out) => {
    // Each --local run starts a fresh server with the same seed: the same runs and rows.
    assert.equal(await main(["export", "acme/mnist", "--local", "--sync", "--out", out]), 0);
    const first = await Deno.readTextFile(`${out}/history.ndjson`);
    assert.ok(first.length > 0);
    assert.equal(await main(["export", "acme/mnist", "--local", "--sync", "--out", out]), 0);
    assert.equal(await Deno.readTextFile(`${out}/history.ndjson`), first);
  });
});

Deno.test("export reads system metrics once however many formats", async () => {
  const server = await startEmulator();
  const saved = ["WANDB_BASE_URL", "WANDB_API_KEY"].map((k) => [k, Deno.env.get(k)] as const);
  Deno.env.set("WANDB_BASE_URL", server.url);
  Deno.env.set("WANDB_API_KEY", server.apiKey);
  try {
    await withOut(async (out) => {
      const code = await main([
        "export",
        "acme/mnist",
        "--format",
        "csv,ndjson,parquet",
        "--what",
        "system",
        "--out",
        out,
      ]);
      assert.equal(code, 0);
      // One request per run: CSV and Parquet used to read the stream twice (columns first),
      // and each format again.
      assert.equal(
        server.requests.filter((r) => r.operationName === "RunFullHistory").length,
        server.store.listRuns("acme", "mnist").length,
      );
      const ndjson = (await lines(`${out}/system.ndjson`)).map((l) => JSON.parse(l));
      assert.ok(ndjson.length > 0);
      const csv = await lines(`${out}/system.csv`);
      assert.equal(csv.length, ndjson.length + 1);
      const columns = csv[0]!.split(",");
      // Every key of every row is a column, in the order first seen.
      assert.deepEqual(columns, [...new Set(ndjson.flatMap((row) => Object.keys(row)))]);
      const parquet = await parquetReadObjects({
        file: (await Deno.readFile(`${out}/system.parquet`)).buffer,
      });
      assert.equal(parquet.length, ndjson.length);
      assert.deepEqual(Object.keys(parquet[0]!), columns);
    });
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) Deno.env.delete(key);
      else Deno.env.set(key, value);
    }
    await server.close();
  }
});
