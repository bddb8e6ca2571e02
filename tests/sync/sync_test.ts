import assert from "node:assert/strict";
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, writeBytes } from "../../mod.ts";
import { Checkpoints, readSegments, type SyncOptions, syncProject } from "../../lib/sync/mod.ts";
import { type Emulator, startEmulator } from "../../lib/testing/mod.ts";
import { linesByRun } from "../_exports.ts";

const project = "acme/sync";

/** Adds `count` runs with generated histories (a few NaN-free metrics) to acme/sync. */
function seedProject(server: Emulator, count: number, steps: number): void {
  server.store.projects.create("acme", "sync");
  for (let i = 0; i < count; i++) {
    server.store.runs.insert("acme", "sync", {
      name: `run${i}`,
      state: "finished",
      createdAt: `2026-01-0${1 + (i % 9)}T00:00:0${i % 10}`,
      summary: { loss: 1 / (i + 1) },
      history: {
        seed: 100 + i,
        steps,
        metrics: 3,
        sparseEvery: 0,
        histogramEvery: 0,
        events: 0,
        startTime: 1_700_000_000,
      },
    });
  }
}

const layerFor = (server: Emulator, checkpoint: Layer.Layer<Checkpoints>) =>
  Layer.merge(
    Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
    checkpoint,
  );

const sync = (server: Emulator, out: string, options?: Partial<SyncOptions>) =>
  Effect.runPromise(
    syncProject({ project, out, ...options }).pipe(
      Effect.provide(layerFor(server, Checkpoints.file(`${out}/.checkpoint.json`))),
    ),
  );

/** The lines of a history export grouped by run, each run's in file order. */
async function historyByRun(path: string): Promise<Map<string, Array<string>>> {
  return linesByRun((await Deno.readTextFile(path)).split("\n"));
}

/** The full export of the project by the library's plain path, for comparison. */
async function fullExport(server: Emulator, path: string) {
  await Effect.runPromise(
    Effect.gen(function* () {
      const api = yield* Api;
      yield* writeBytes(path, api.scanHistories(api.runs(project), { format: "ndjson" }));
    }).pipe(Effect.provide(layerFor(server, Checkpoints.file(`${path}.unused`)))),
  );
  return historyByRun(path);
}

/** A script of this folder in a process of its own (for tests that kill it), stdout piped. */
const childProcess = (script: string, args: ReadonlyArray<string>) =>
  new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      new URL(script, import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();

const sorted = (runs: Map<string, Array<string>>) =>
  [...runs.entries()].sort(([a], [b]) => a < b ? -1 : 1);

Deno.test("syncProject(): the first sync exports everything; the next ones only what changed", async () => {
  const server = await startEmulator();
  const out = await Deno.makeTempDir();
  try {
    seedProject(server, 6, 1500);
    const first = await sync(server, out);
    assert.equal(first.runsSeen, 6);
    assert.equal(first.rows, 6 * 1500);
    assert.ok(first.complete && first.runsTableWritten);
    // Run after run, in creation order: the bytes of the library's plain export.
    await fullExport(server, `${out}/full.ndjson`);
    assert.equal(
      await Deno.readTextFile(`${out}/history.ndjson`),
      await Deno.readTextFile(`${out}/full.ndjson`),
    );
    const table = (await Deno.readTextFile(`${out}/runs.ndjson`)).trim().split("\n");
    assert.deepEqual(
      table.map((l) => JSON.parse(l).path),
      [0, 1, 2, 3, 4, 5].map((i) => `acme/sync/run${i}`),
    );

    // Nothing changed: one listing request, nothing written. The run whose heartbeat is the
    // high-water mark is seen again (the filter is `>=`, so a heartbeat in the same instant as
    // the mark is never missed), and costs nothing more.
    server.resetRequests();
    const idle = await sync(server, out);
    assert.deepEqual(
      { runsSeen: idle.runsSeen, rows: idle.rows, table: idle.runsTableWritten },
      { runsSeen: 1, rows: 0, table: false },
    );
    assert.deepEqual(server.requests.map((r) => r.operationName), ["Runs"]);

    // run2 logs 1,000 more steps and heartbeats; run4's summary changes (a newer heartbeat too).
    const run2 = server.store.runs.get("acme", "sync", "run2")!;
    // The rows it had, and 1,000 more (generated as for a longer run: its logged steps stay).
    const longer = { ...run2, history: { ...run2.history!, steps: 2500 } };
    const rows = [
      ...server.store.history.rows(run2, 0, 1500),
      ...server.store.history.rows(longer, 1500, 2500),
    ];
    // Stored rows from now on, as a run that keeps logging has.
    server.store.history.set(server.store.history.materialize(run2), rows);
    server.store.runs.update(run2, { state: "running", heartbeatAt: "2026-02-01T00:00:00" });
    const run4 = server.store.runs.get("acme", "sync", "run4")!;
    server.store.runs.update(run4, {
      summaryJson: JSON.stringify({ loss: 0.001 }),
      heartbeatAt: "2026-02-01T00:00:01",
    });
    server.resetRequests();
    const next = await sync(server, out);
    const syncRequests = server.requests.map((r) => r.operationName);
    // run2 and run4, and the run at the old mark.
    assert.equal(next.runsSeen, 3);
    assert.equal(next.runsExported, 1);
    assert.equal(next.rows, 1000);
    assert.ok(next.runsTableWritten);
    const history = await historyByRun(`${out}/history.ndjson`);
    assert.deepEqual(
      history.get("acme/sync/run2")!.map((l) => JSON.parse(l)._step),
      Array.from({ length: 2500 }, (_, i) => i),
    );
    const full2 = await fullExport(server, `${out}/full2.ndjson`);
    assert.deepEqual(sorted(history), sorted(full2));
    const row4 = (await Deno.readTextFile(`${out}/runs.ndjson`)).split("\n")
      .map((l) => l === "" ? undefined : JSON.parse(l))
      .find((r) => r?.path === "acme/sync/run4");
    assert.equal(row4["summary.loss"], 0.001);
    // A sync of what changed costs a handful of requests, not one per run.
    assert.ok(syncRequests.length <= 6, `${syncRequests.join(", ")}`);
  } finally {
    await server.close();
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("syncProject(): maxRuns exports a bounded slice; the next call goes on", async () => {
  const server = await startEmulator();
  const out = await Deno.makeTempDir();
  try {
    seedProject(server, 5, 300);
    const slices = [];
    for (let i = 0; i < 5; i++) {
      const report = await sync(server, out, { maxRuns: 2 });
      slices.push([report.runsExported, report.complete]);
      if (report.complete) break;
    }
    assert.deepEqual(slices, [[2, false], [2, false], [1, true]]);
    const history = await historyByRun(`${out}/history.ndjson`);
    assert.deepEqual([...history.values()].map((lines) => lines.length), [300, 300, 300, 300, 300]);
  } finally {
    await server.close();
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("syncProject(): killed with SIGKILL at several points, the next sync's output is identical", async () => {
  const server = await startEmulator({ latencyMs: 30 });
  const root = await Deno.makeTempDir();
  try {
    seedProject(server, 8, 4000);
    const child = (out: string) =>
      childProcess("./_sync_child.ts", [server.url, server.apiKey, project, out]);
    // Uninterrupted.
    await Deno.mkdir(`${root}/whole`);
    const whole = await child(`${root}/whole`).output();
    assert.ok(whole.success);
    // Killed with SIGKILL once the history file reached a share of its final size (so each kill
    // lands mid-export, whatever the machine's speed), then run again.
    const total = (await Deno.stat(`${root}/whole/history.ndjson`)).size;
    await Deno.mkdir(`${root}/killed`);
    let kills = 0;
    for (const share of [0.01, 0.3, 0.55, 0.8, 0.95]) {
      const process = child(`${root}/killed`);
      const status = process.output();
      let done = false;
      status.then(() => done = true);
      while (!done) {
        const size = await Deno.stat(`${root}/killed/history.ndjson`).then((s) => s.size, () => 0);
        if (size >= share * total) {
          process.kill("SIGKILL");
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if ((await status).signal === "SIGKILL") kills++;
    }
    assert.ok(kills >= 4, `only ${kills} syncs were killed: the test killed nothing mid-way`);
    // What a kill between a checkpoint's write and its rename leaves.
    await Deno.writeTextFile(`${root}/killed/.checkpoint.json.${crypto.randomUUID()}.tmp`, "{");
    const final = await child(`${root}/killed`).output();
    assert.ok(final.success);
    const killedRuns = await historyByRun(`${root}/killed/history.ndjson`);
    assert.equal([...killedRuns.values()].flat().length, 8 * 4000);
    // Byte for byte: runs are written one after another, whatever the timing.
    assert.equal(
      await Deno.readTextFile(`${root}/killed/history.ndjson`),
      await Deno.readTextFile(`${root}/whole/history.ndjson`),
    );
    // The temporary files of writes a kill interrupted are gone.
    const names = [...Deno.readDirSync(`${root}/killed`)].map((e) => e.name).sort();
    assert.deepEqual(names, [".checkpoint.json", "history.ndjson", "runs.ndjson"]);
    assert.equal(
      await Deno.readTextFile(`${root}/killed/runs.ndjson`),
      await Deno.readTextFile(`${root}/whole/runs.ndjson`),
    );
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("Checkpoints.kv keeps a checkpoint in Deno KV, one key per run", async () => {
  const dir = await Deno.makeTempDir();
  const kv = await Deno.openKv(`${dir}/kv.sqlite`);
  try {
    const program = Effect.gen(function* () {
      const checkpoints = yield* Checkpoints;
      const empty = yield* checkpoints.load;
      const runA = { lastStep: 9, state: "running", heartbeatAt: null, fingerprint: "f" };
      yield* checkpoints.save({ historyBytes: 5, highWaterMark: "m", runs: { "a/b/c": runA } }, [
        "a/b/c",
      ]);
      yield* checkpoints.save(
        { historyBytes: 7, highWaterMark: "n", runs: { "a/b/c": runA, "a/b/d": runA } },
        ["a/b/d"],
      );
      return { empty, loaded: yield* checkpoints.load };
    });
    const { empty, loaded } = await Effect.runPromise(
      program.pipe(Effect.provide(Checkpoints.kv(kv, ["export", "acme/sync"]))),
    );
    assert.deepEqual(empty, { historyBytes: 0, highWaterMark: null, runs: {} });
    assert.equal(loaded.historyBytes, 7);
    assert.equal(loaded.highWaterMark, "n");
    assert.deepEqual(Object.keys(loaded.runs).sort(), ["a/b/c", "a/b/d"]);
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("exportWithLeases(): three workers on one KV file, one killed mid-run: every run once", async () => {
  const server = await startEmulator({ latencyMs: 20 });
  const root = await Deno.makeTempDir();
  try {
    seedProject(server, 9, 3000);
    const worker = (name: string) =>
      childProcess("./_worker_child.ts", [
        server.url,
        server.apiKey,
        project,
        `${root}/out`,
        `${root}/kv.sqlite`,
        name,
      ]);
    const victim = worker("w1");
    const others = [worker("w2"), worker("w3")];
    // Kill w1 by its PID once it has committed a page of a run (and so holds its lease).
    const reader = victim.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    while (!seen.includes("commit ")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    const killedRun = /commit (\S+) /.exec(seen)?.[1];
    Deno.kill(victim.pid, "SIGKILL");
    assert.equal((await victim.status).signal, "SIGKILL");
    await reader.cancel();
    const reports = await Promise.all(others.map(async (process) => {
      const output = await process.output();
      assert.ok(output.success);
      const text = new TextDecoder().decode(output.stdout).trim().split("\n");
      return JSON.parse(text[text.length - 1]!) as {
        runsExported: Array<string>;
        runsTakenOver: Array<string>;
      };
    }));
    const exported = reports.flatMap((r) => r.runsExported).sort();
    // Every run exported to its end by exactly one surviving worker…
    assert.deepEqual(exported, [...new Set(exported)]);
    assert.deepEqual(exported, Array.from({ length: 9 }, (_, i) => `acme/sync/run${i}`).sort());
    // …the killed worker's run taken over when its lease expired…
    assert.ok(killedRun !== undefined);
    assert.ok(reports.some((r) => r.runsTakenOver.includes(killedRun!)), `${killedRun}`);
    // …and every run's rows, read from its segments, exactly those of a plain export.
    const expected = await fullExport(server, `${root}/full.ndjson`);
    for (const [run, lines] of expected) {
      const got = (await readSegments(`${root}/out/${run}`)).split("\n").filter((l) => l !== "");
      assert.equal(got.length, lines.length, run);
      assert.deepEqual(got, lines);
    }
  } finally {
    await server.close();
    await Deno.remove(root, { recursive: true });
  }
});
