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

/** Runs the CLI on `args`; gives its exit code and what it wrote to stderr. */
async function cli(args: ReadonlyArray<string>): Promise<{ code: number; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../../lib/cli/main.ts", import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: new TextDecoder().decode(output.stderr) };
}

Deno.test("export exits 2 on bad usage, before any request, with one clear line", async (t) => {
  for (
    const [name, args, said] of [
      ["an unknown format", ["--format", "xml"], /^--format takes .* not xml$/],
      ["an unknown part", ["--what", "everything"], /^--what takes .* not everything$/],
      ["a filter that is not JSON", ["--filter", "{state"], /^--filter is not JSON/],
      ["a filter that is not an object", ["--filter", "[1]"], /^--filter must be a JSON object/],
      [
        "an unknown filter operator",
        ["--filter", '{"state":{"$like":"f%"}}'],
        /unsupported operator '\$like'/,
      ],
      ["--sync with CSV", ["--sync", "--format", "csv"], /^--sync writes NDJSON only/],
      ["--since yesterday", ["--since", "yesterday"], /^--since takes an ISO 8601 date/],
      ["--since 2026-13-45", ["--since", "2026-13-45"], /^--since takes an ISO 8601 date/],
      ["--since 2026-02-30", ["--since", "2026-02-30"], /^--since takes an ISO 8601 date/],
      ["--keys ''", ["--keys", ""], /^--keys takes history keys/],
      [
        "an --out that cannot be made",
        ["--out", "/proc/no/such/dir"],
        /^--out: cannot write to \/proc\/no\/such\/dir: /,
      ],
    ] as const
  ) {
    await t.step(name, async () => {
      const { code, stderr } = await cli(["export", "acme/mnist", "--local", ...args]);
      assert.equal(code, 2, stderr);
      assert.equal(stderr.trim().split("\n").length, 1, stderr);
      assert.match(stderr.trim(), said);
    });
  }
  for (const path of ["a/b/c", "../x", ""]) {
    await t.step(`the project path '${path}'`, async () => {
      const { code, stderr } = await cli(["export", path, "--local"]);
      assert.equal(code, 2, stderr);
      assert.match(stderr.trim(), path === "" ? /project path is empty/ : /is not a project path/);
    });
  }
  await t.step("a flag that does not exist", async () => {
    assert.equal(await main(["export", "acme/mnist", "--local", "--fast"]), 2);
  });
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
        server.store.runs.list("acme", "mnist").length,
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

Deno.test("export --help shows every default", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("../../lib/cli/main.ts", import.meta.url).pathname,
      "export",
      "--help",
    ],
    stdout: "piped",
  }).output();
  const help = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0);
  for (
    const said of [
      "default: export",
      "default: ndjson",
      "default: runs,history",
      "default: 16",
      "writes NDJSON only",
      "default: every run",
      "default: every key",
    ]
  ) {
    assert.ok(help.includes(said), `--help does not say "${said}"`);
  }
});

Deno.test("export --since reads an instant, whatever its offset; the same project twice is one", async () => {
  await withOut(async (out) => {
    const runsSince = async (since: string, ...projects: Array<string>) => {
      const dir = `${out}/${crypto.randomUUID()}`;
      assert.equal(
        await main([
          "export",
          ...projects,
          "--local",
          "--what",
          "runs",
          "--since",
          since,
          "--out",
          dir,
        ]),
        0,
      );
      return (await lines(`${dir}/runs.ndjson`)).map((l) => JSON.parse(l).id);
    };
    const utc = await runsSince("2026-01-06T12:00Z", "acme/mnist");
    assert.ok(utc.length > 0 && utc.length < 30, `${utc.length} runs`);
    assert.deepEqual(await runsSince("2026-01-06T14:00:00+02:00", "acme/mnist"), utc);
    assert.deepEqual(await runsSince("2026-01-06T14:00:00+0200", "acme/mnist", "acme/mnist"), utc);
  });
});

Deno.test("an export of a project that is not there exits 1 and leaves no empty folder", async () => {
  await withOut(async (out) => {
    const code = await main([
      "export",
      "acme/no-such-project",
      "--local",
      "--out",
      `${out}/new/deeper`,
    ]);
    assert.equal(code, 1);
    assert.deepEqual([...Deno.readDirSync(out)], []);
  });
});

Deno.test("every format writes the runs in the runs table's order, the same every time", async () => {
  await withOut(async (out) => {
    const exportTo = async (dir: string) => {
      const args = [
        "export",
        "acme/mnist",
        "--local",
        "--format",
        "csv,ndjson",
        "--what",
        "runs,history",
        "--out",
        dir,
      ];
      assert.equal(await main(args), 0);
    };
    await exportTo(`${out}/a`);
    await exportTo(`${out}/b`);
    const table = (await lines(`${out}/a/runs.ndjson`)).map((l) => JSON.parse(l).path);
    const order = (paths: ReadonlyArray<string>) => paths.filter((p, i) => paths[i - 1] !== p);
    const ndjsonRuns = (await lines(`${out}/a/history.ndjson`)).map((l) => JSON.parse(l).run_path);
    assert.deepEqual(order(ndjsonRuns), table);
    const csv = await lines(`${out}/a/history.csv`);
    const csvRuns = csv.slice(1).map((l) => /acme\/mnist\/\w+/.exec(l)![0]);
    assert.deepEqual(order(csvRuns), table);
    for (const name of ["runs.ndjson", "history.ndjson", "runs.csv", "history.csv"]) {
      assert.equal(
        await Deno.readTextFile(`${out}/a/${name}`),
        await Deno.readTextFile(`${out}/b/${name}`),
        name,
      );
    }
  });
});
