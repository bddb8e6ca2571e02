import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import {
  generatedBytes,
  generatedMd5,
  generateSeed,
  rangeResponse,
  startEmulator,
} from "../../lib/testing/mod.ts";
import { createHash } from "node:crypto";
import { postGraphql } from "../api/_harness.ts";

interface Captured {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

const captured: Array<Captured> = (await Deno.readTextFile(
  new URL("../fixtures/captured-requests-v0.26.1.jsonl", import.meta.url),
)).trim().split("\n").map((l) => JSON.parse(l)).filter((r) => r.json?.query !== undefined)
  .map((r) => ({ query: r.json.query, variables: r.json.variables ?? {} }));

const byName = (name: string) =>
  captured.filter((c) => new RegExp(`^\\s*(query|mutation) ${name}\\b`).test(c.query));

/** Posts a captured document with the official client's headers and our key. */
const post = (url: string, key: string, query: string, variables: Record<string, unknown>) =>
  postGraphql(url, key, query, variables, "W&B Public Client 0.26.1");

Deno.test("the local server answers the official client's captured queries in the shapes it parses", async (t) => {
  const server = await startEmulator();
  try {
    const run = server.seed.runs.find((r) => r.project === "mnist" && r.state === "finished")!;
    // The capture used ent/proj/r1; point the same documents at seeded data.
    const rename: Record<string, string> = { ent: "acme", proj: "mnist", r1: run.name };
    const remap = (v: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(v).map(([k, value]) => [k, remapValue(value)]));
    const remapValue = (value: unknown): unknown =>
      typeof value === "string"
        ? rename[value] ?? value
        : typeof value === "object" && value !== null && !Array.isArray(value)
        ? remap(value as Record<string, unknown>)
        : value;
    const ask = async (name: string) => {
      const requests = byName(name);
      assert.ok(requests.length > 0, `no captured ${name}`);
      const { status, body } = await post(
        server.url,
        server.apiKey,
        requests[0]!.query,
        remap(requests[0]!.variables),
      );
      assert.equal(status, 200);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };

    await t.step("GetProjects: models with ProjectFragment and relay paging", async () => {
      const data = await ask("GetProjects");
      assert.equal(data.models.edges.length, 2);
      assert.equal(data.models.pageInfo.hasNextPage, true);
      assert.equal(data.models.edges[0].node.__typename, "Project");
      assert.equal(data.models.edges[0].node.entityName, "acme");
    });
    await t.step("Runs: runCount, offset cursors and the lightweight fragment", async () => {
      const data = await ask("Runs");
      assert.equal(data.project.runCount, 30);
      assert.equal(data.project.runs.edges.length, 5);
      assert.equal(typeof data.project.runs.edges[4].cursor, "string");
      assert.equal(data.project.runs.pageInfo.endCursor, data.project.runs.edges[4].cursor);
      assert.equal(typeof data.project.internalId, "string");
    });
    await t.step(
      "Run: config, summaryMetrics, systemMetrics as JSON strings; historyKeys as JSON",
      async () => {
        const node = (await ask("Run")).project.run;
        assert.equal(node.name, run.name);
        assert.equal(typeof node.config, "string");
        assert.deepEqual(JSON.parse(node.config).lr, run.config["lr"]);
        assert.equal(typeof node.summaryMetrics, "string");
        assert.equal(typeof node.systemMetrics, "string");
        assert.equal(node.historyKeys.lastStep, run.history.steps - 1);
      },
    );
    await t.step("RunState and RunHistoryKeys", async () => {
      assert.equal((await ask("RunState")).project.run.state, "finished");
      assert.equal(
        (await ask("RunHistoryKeys")).project.run.historyKeys.lastStep,
        run.history.steps - 1,
      );
    });
    await t.step("HistoryPage rows are JSON strings in [minStep, maxStep)", async () => {
      const rows = (await ask("HistoryPage")).project.run.history.map((r: string) => JSON.parse(r));
      assert.deepEqual(rows.map((r: { _step: number }) => r._step), [0, 1, 2, 3, 4]);
    });
    await t.step("SampledHistoryPage and RunSampledHistory rows are objects", async () => {
      // The spec asks minStep 0, maxStep 2 (inclusive on the server: 3 rows), samples 2.
      const page = (await ask("SampledHistoryPage")).project.run.sampledHistory[0];
      assert.deepEqual(page.map((r: { _step: number }) => r._step), [0, 2]);
      assert.ok(page.every((r: Record<string, unknown>) => typeof r.loss === "number"));
      const sampled = (await ask("RunSampledHistory")).project.run.sampledHistory[0];
      assert.equal(sampled.length, 3);
    });
    await t.step("RunFullHistory: history and events sampled to the count asked", async () => {
      const requests = byName("RunFullHistory");
      for (const request of requests) {
        const { body } = await post(
          server.url,
          server.apiKey,
          request.query,
          remap(request.variables),
        );
        const rows = body.data.project.run.history ?? body.data.project.run.events;
        assert.ok(rows.length > 0 && rows.length <= (request.variables.samples as number));
        assert.equal(typeof rows[0], "string");
      }
    });
    await t.step("GetViewer-style anonymous viewer query and ServerFeaturesQuery", async () => {
      const { body } = await post(server.url, server.apiKey, captured[0]!.query, {});
      assert.equal(typeof body.data.viewer.id, "string");
      // As SaaS: every feature the client branches on, each enabled.
      const features = (await ask("ServerFeaturesQuery")).serverInfo.features as Array<
        { name: string; isEnabled: boolean }
      >;
      assert.ok(features.some((f) => f.name === "ARTIFACT_REGISTRY_SEARCH"));
      assert.ok(features.length >= 10 && features.every((f) => f.isEnabled));
    });
    await t.step("write path: UpsertBucket, CreateProject, DeleteRun", async () => {
      const created = await ask("CreateProject");
      assert.equal(created.result.project.name, "newproj");
      const requests = byName("UpsertBucket");
      const createRun = requests.find((r) => r.query.includes("modelName"))!;
      const { body } = await post(
        server.url,
        server.apiKey,
        createRun.query,
        remap(createRun.variables),
      );
      assert.equal(body.data.upsertBucket.inserted, true);
      const id = body.data.upsertBucket.bucket.id;
      const summary = requests.find((r) => r.query.includes("$summaryMetrics"))!;
      await post(server.url, server.apiKey, summary.query, { ...summary.variables, id });
      assert.equal(
        JSON.parse(server.store.runs.get("acme", "mnist", "newrun")!.summaryJson).loss,
        0.5,
      );
      const del = byName("DeleteRun")[0]!;
      await post(server.url, server.apiKey, del.query, { id });
      assert.equal(server.store.runs.get("acme", "mnist", "newrun"), undefined);
    });
  } finally {
    await server.close();
  }
});

Deno.test("the local server's knobs: latency, random failures, no secrets in the log", async (t) => {
  await t.step("latencyMs delays every answer", async () => {
    const server = await startEmulator({ latencyMs: 150, seed: false });
    try {
      const started = performance.now();
      await post(server.url, server.apiKey, "{ viewer { id } }", {});
      assert.ok(performance.now() - started >= 150);
    } finally {
      await server.close();
    }
  });
  await t.step("failureRate fails a reproducible share of requests", async () => {
    const server = await startEmulator({ seed: false, failureRate: { serverError: 0.5, seed: 3 } });
    try {
      const statuses: Array<number> = [];
      for (let i = 0; i < 40; i++) {
        statuses.push((await post(server.url, server.apiKey, "{ viewer { id } }", {})).status);
      }
      const failed = statuses.filter((s) => s === 500).length;
      assert.ok(failed > 8 && failed < 32, `${failed} of 40 failed`);
      assert.ok(!JSON.stringify(server.requests).includes(server.apiKey));
    } finally {
      await server.close();
    }
  });
});

Deno.test("a server seeded with fewer runs starts, without what those runs would hold", async () => {
  // The artifacts need four finished MNIST runs, and the registries link those artifacts: with
  // one run neither is seeded (it failed to start, linking versions that did not exist).
  for (const mnistRuns of [0, 1, 3]) {
    const server = await startEmulator({ seed: { mnistRuns } });
    try {
      assert.equal(server.store.runs.list("acme", "mnist").length, mnistRuns);
      assert.deepEqual(generateSeed({ mnistRuns }).registries, []);
    } finally {
      await server.close();
    }
  }
  assert.equal(generateSeed({ mnistRuns: 30 }).registries.length, 2);
});

Deno.test("storagePath keeps the server's data in a SQLite file across restarts", async () => {
  const dir = await Deno.makeTempDir();
  const storagePath = `${dir}/wandb.sqlite`;
  const first = await startEmulator({ storagePath });
  first.store.runs.insert("acme", "mnist", { name: "kept0001", config: { lr: 0.5 } });
  const count = first.store.runs.list("acme", "mnist").length;
  await first.close();
  const second = await startEmulator({ storagePath });
  try {
    // The seed is not loaded twice, and the run written before the restart is still there.
    assert.equal(second.store.runs.list("acme", "mnist").length, count);
    const { body } = await post(
      second.url,
      second.apiKey,
      '{ project(name: "mnist", entityName: "acme") { run(name: "kept0001") { config } } }',
      {},
    );
    assert.deepEqual(JSON.parse(body.data.project.run.config), { lr: { value: 0.5, desc: null } });
  } finally {
    await second.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a materialized history serves the same rows, keys and system metrics as the generated one", async () => {
  const server = await startEmulator();
  try {
    const generated = server.store.runs.list("acme", "mnist")[0]!;
    const query = `{ project(name: "mnist", entityName: "acme") { run(name: "${generated.name}") {
      historyKeys history(minStep: 3, maxStep: 40, samples: 100) events(samples: 1000)
      sampled: history(minStep: 0, maxStep: 200, samples: 7) historyLineCount
      empty: history(minStep: 100000, maxStep: 100010, samples: 5)
      sampledHistory(specs: ["{\\"keys\\": [\\"val/loss\\"], \\"samples\\": 1000}"]) } } }`;
    const before = (await post(server.url, server.apiKey, query, {})).body.data.project.run;
    const stored = server.store.history.materialize(generated);
    assert.equal(stored.history, null);
    const after = (await post(server.url, server.apiKey, query, {})).body.data.project.run;
    assert.equal(after.history.length, 37);
    assert.deepEqual(after.history.map((r: string) => JSON.parse(r)._step)[0], 3);
    assert.deepEqual(after.history, before.history);
    // More rows than samples: the same evenly spread sample, first and last kept.
    assert.equal(after.sampled.length, 7);
    assert.deepEqual(after.sampled, before.sampled);
    assert.deepEqual(after.empty, []);
    assert.equal(after.historyLineCount, before.historyLineCount);
    assert.deepEqual(after.events, before.events);
    assert.ok(after.events.length > 0);
    assert.deepEqual(after.sampledHistory, before.sampledHistory);
    // Same keys and counts; stored keys come back in first-logged order.
    const byKey = (h: { keys: Record<string, unknown> }) =>
      Object.fromEntries(Object.entries(h.keys).sort(([a], [b]) => a.localeCompare(b)));
    assert.equal(after.historyKeys.lastStep, before.historyKeys.lastStep);
    assert.deepEqual(byKey(after.historyKeys), byKey(before.historyKeys));
    assert.equal(after.historyKeys.keys.weights.typeCounts[0].type, "histogram");
  } finally {
    await server.close();
  }
});

Deno.test("a storage file from before rows were stored quoted is read as it was", async () => {
  const dir = await Deno.makeTempDir();
  const storagePath = `${dir}/wandb.sqlite`;
  try {
    const first = await startEmulator({ storagePath });
    const run = first.store.runs.insert("acme", "mnist", { name: "oldrows1" });
    first.store.history.set(run, [{ _step: 0, loss: 1 }, { _step: 1, loss: 'a"b' }]);
    await first.close();
    // Rewrite the rows as the earlier layout held them: a plain JSON text column named `row`.
    const db = new DatabaseSync(storagePath);
    db.exec(`ALTER TABLE history_rows RENAME COLUMN quoted TO row;
             UPDATE history_rows SET row = row ->> '$';`);
    db.close();
    const second = await startEmulator({ storagePath });
    try {
      const { body } = await post(
        second.url,
        second.apiKey,
        '{ project(name: "mnist", entityName: "acme") { run(name: "oldrows1") { history(samples: 10) } } }',
        {},
      );
      assert.deepEqual(body.data.project.run.history, [
        '{"_step":0,"loss":1}',
        '{"_step":1,"loss":"a\\"b"}',
      ]);
    } finally {
      await second.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rangeResponse() answers byte ranges as a storage bucket does", async () => {
  const bytes = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ask = async (range: string | null) => {
    const response = rangeResponse(bytes, range, "application/octet-stream");
    return {
      status: response.status,
      range: response.headers.get("content-range"),
      body: [...new Uint8Array(await response.arrayBuffer())],
    };
  };
  assert.deepEqual(await ask(null), {
    status: 200,
    range: null,
    body: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  });
  assert.deepEqual(await ask("bytes=2-4"), { status: 206, range: "bytes 2-4/10", body: [2, 3, 4] });
  assert.deepEqual(await ask("bytes=8-"), { status: 206, range: "bytes 8-9/10", body: [8, 9] });
  assert.deepEqual(await ask("bytes=-3"), { status: 206, range: "bytes 7-9/10", body: [7, 8, 9] });
  assert.deepEqual(await ask("bytes=-30"), {
    status: 206,
    range: "bytes 0-9/10",
    body: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  });
  assert.deepEqual(await ask("bytes=7-100"), {
    status: 206,
    range: "bytes 7-9/10",
    body: [7, 8, 9],
  });
  assert.equal((await ask("bytes=10-12")).status, 416);
  // Several ranges in one request are not read: the whole file, as many servers do.
  assert.equal((await ask("bytes=0-1,4-5")).status, 200);
});

Deno.test("generated file bytes: any range is that slice of the whole, and no two blocks are alike", async () => {
  const read = async (seed: number, start: number, end: number) =>
    new Uint8Array(await new Response(generatedBytes(seed, start, end)).arrayBuffer());
  const block = 64 * 1024;
  const size = 5 * block + 123;
  const whole = await read(7, 0, size);
  assert.equal(whole.length, size);
  // Ranges that start and end inside blocks, span several, and cross the 256 KiB chunk size.
  for (const [start, end] of [[0, 1], [100, block + 100], [block - 1, 4 * block + 5], [3, size]]) {
    assert.deepEqual(await read(7, start!, end!), whole.subarray(start, end), `${start}-${end}`);
  }
  // A block written at another block's offset would go unnoticed if two blocks were alike.
  const blocks = Array.from({ length: 5 }, (_, i) => whole.subarray(i * block, (i + 1) * block));
  for (let i = 0; i < blocks.length; i++) {
    for (let j = i + 1; j < blocks.length; j++) {
      assert.notDeepEqual(blocks[i], blocks[j], `blocks ${i} and ${j}`);
    }
  }
  assert.notDeepEqual(await read(8, 0, block), blocks[0]);
  assert.equal(generatedMd5(7, size), createHash("md5").update(whole).digest("base64"));
});

Deno.test("deno task emulator: --help, unknown flags refused, every seeded project listed", async (t) => {
  const root = new URL("../../", import.meta.url).pathname;
  const emulator = (args: ReadonlyArray<string>) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net=127.0.0.1", `${root}lib/testing/main.ts`, ...args],
      stdout: "piped",
      stderr: "piped",
    });
  await t.step("--help starts nothing and exits 0", async () => {
    const output = await emulator(["--help"]).output();
    assert.equal(output.code, 0);
    assert.match(new TextDecoder().decode(output.stdout), /--port integer/);
  });
  await t.step("an unknown flag exits 2", async () => {
    const output = await emulator(["--fast"]).output();
    assert.equal(output.code, 2);
    assert.match(new TextDecoder().decode(output.stderr), /Unrecognized flag: --fast/);
  });
  await t.step("it lists every seeded project and stops on Ctrl-C", async () => {
    const child = emulator(["--port", "0"]).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("Ctrl-C")) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    child.kill("SIGINT");
    await reader.cancel();
    const status = await child.status;
    await child.stderr.cancel();
    const projects = generateSeed().projects.map((p) => `${p.entity}/${p.name}`);
    assert.ok(projects.includes("acme/real-world"));
    for (const project of projects) assert.ok(text.includes(project), `${project} not listed`);
    assert.match(text, /WANDB_BASE_URL=http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(status.code, 0);
  });
});
