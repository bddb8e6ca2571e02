import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api, config, or, type Run, runField, summary, unwrapConfig } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";

const allRuns = (api: typeof Api.Service, path = "acme/mnist") =>
  api.runs(path, { full: true, perPage: 7 }).pipe(Stream.runCollect);

Deno.test("runs() is lazy: taking items requests only the pages it needs", async () => {
  const [taken, requests] = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const taken = yield* api.runs("acme/mnist", { perPage: 5 }).pipe(
      Stream.take(7),
      Stream.runCollect,
    );
    return [taken.length, countOperation(server, "Runs")] as const;
  }));
  assert.equal(taken, 7);
  assert.equal(requests, 2);
});

Deno.test("runs() returns every run once, in creation order, matching runCount", async () => {
  const { runs, count, requests } = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const runs = yield* api.runs("acme/mnist", { perPage: 4 }).pipe(Stream.runCollect);
    const count = yield* api.runCount("acme/mnist");
    return { runs, count, requests: countOperation(server, "Runs") };
  }));
  assert.ok(runs.length >= 10, `seed has ${runs.length} runs`);
  assert.equal(runs.length, count);
  assert.equal(new Set(runs.map((r) => r.id)).size, runs.length);
  assert.equal(requests, Math.ceil(count / 4));
  const created = runs.map((r) => Date.parse(r.createdAt));
  assert.deepEqual(created, [...created].sort((a, b) => a - b));
  // Light listings leave the JSON blobs out, like Python's lazy=True.
  assert.equal(runs[0]!.config, undefined);
  assert.equal(runs[0]!.path, `acme/mnist/${runs[0]!.id}`);
});

Deno.test("no run is emitted twice when runs are created mid-scan", async () => {
  const { ids, pageIds, original, inserted } = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const original = (yield* api.runs("acme/mnist").pipe(Stream.runCollect)).map((r) => r.id);
    const insertAfterFirst = <A>(stream: Stream.Stream<A, unknown>, perPage: number) =>
      stream.pipe(
        Stream.zipWithIndex,
        Stream.tap(([, i]) =>
          Effect.sync(() => {
            // Newest-first order: runs created now go to the front and shift every later page.
            if (i === perPage - 1) {
              for (let n = 0; n < 3; n++) {
                server.store.runs.insert("acme", "mnist", { name: `mid${i}x${n}${ids0++}` });
              }
            }
          })
        ),
      );
    let ids0 = 0;
    const ids = (yield* insertAfterFirst(
      api.runs("acme/mnist", { order: "-created_at", perPage: 5 }),
      5,
    ).pipe(Stream.runCollect)).map(([r]) => r.id);
    // The raw pages, without de-duplication, do repeat runs: proof the test can fail.
    const pageIds = (yield* insertAfterFirst(
      api.runsPages("acme/mnist", { order: "-created_at", perPage: 5 }).pipe(
        Stream.flatMap((p) => Stream.fromIterable(p.items)),
      ),
      5,
    ).pipe(Stream.runCollect)).map(([r]) => r.id);
    return { ids, pageIds, original, inserted: ids0 };
  }));
  assert.equal(inserted, 6);
  assert.equal(new Set(ids).size, ids.length, "runs() emitted a run twice");
  for (const id of original) assert.ok(ids.includes(id), `run ${id} was skipped`);
  assert.ok(new Set(pageIds).size < pageIds.length, "offset paging should repeat runs");
});

const matches = (runs: ReadonlyArray<Run>, predicate: (r: Run) => boolean) =>
  runs.filter(predicate).map((r) => r.id).sort();

Deno.test("filters select the same runs as the seeded data says", async (t) => {
  const result = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const runs = yield* allRuns(api);
    const ids = (filters: Parameters<typeof api.runs>[1]) =>
      api.runs("acme/mnist", filters).pipe(
        Stream.map((r) => r.id),
        Stream.runCollect,
        Effect.map((a) => [...a].sort()),
      );
    const lrs = runs.map((r) => r.config!["lr"] as number).sort((a, b) => a - b);
    const median = lrs[Math.floor(lrs.length / 2)]!;
    return {
      runs,
      median,
      finished: yield* ids({ filters: runField.state.eq("finished") }),
      notRunning: yield* ids({ filters: runField.state.ne("running") }),
      crashedOrFailed: yield* ids({
        filters: or(runField.state.eq("crashed"), runField.state.eq("failed")),
      }),
      lowLr: yield* ids({ filters: config("lr").lt(median) }),
      lowLrValue: yield* ids({ filters: { "config.lr.value": { $lt: median } } }),
      adam: yield* ids({ filters: config("optimizer").in(["adam"]) }),
      goodVal: yield* ids({ filters: summary("val/loss").lt(1) }),
      hasVal: yield* ids({ filters: summary("val/loss").exists() }),
      byRegex: yield* ids({ filters: runField.displayName.regex("^[a-m]") }),
      count: yield* api.runCount("acme/mnist", { filters: runField.state.eq("finished") }),
    };
  }));
  const { runs } = result;
  await t.step("state equality", () => {
    assert.deepEqual(result.finished, matches(runs, (r) => r.state === "finished"));
    assert.ok(result.finished.length > 0 && result.finished.length < runs.length);
    assert.equal(result.count, result.finished.length);
  });
  await t.step("$ne and $or", () => {
    assert.deepEqual(result.notRunning, matches(runs, (r) => r.state !== "running"));
    assert.deepEqual(
      result.crashedOrFailed,
      matches(runs, (r) => r.state === "crashed" || r.state === "failed"),
    );
  });
  await t.step("config keys, with and without .value", () => {
    const expected = matches(runs, (r) => (r.config!["lr"] as number) < result.median);
    assert.ok(expected.length > 0);
    assert.deepEqual(result.lowLr, expected);
    assert.deepEqual(result.lowLrValue, expected);
    assert.deepEqual(result.adam, matches(runs, (r) => r.config!["optimizer"] === "adam"));
  });
  await t.step("summary metrics whose names contain a slash", () => {
    assert.deepEqual(
      result.goodVal,
      matches(
        runs,
        (r) => typeof r.summary!["val/loss"] === "number" && (r.summary!["val/loss"] as number) < 1,
      ),
    );
    assert.deepEqual(result.hasVal, matches(runs, (r) => r.summary!["val/loss"] !== undefined));
  });
  await t.step("$regex", () => {
    assert.deepEqual(result.byRegex, matches(runs, (r) => /^[a-m]/.test(r.name)));
  });
});

Deno.test("order keys sort on the server", async () => {
  const { byLoss, byNewest } = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    return {
      byLoss: yield* api.runs("acme/mnist", { order: summary("loss").desc, full: true }).pipe(
        Stream.runCollect,
      ),
      byNewest: yield* api.runs("acme/mnist", { order: "-created_at" }).pipe(Stream.runCollect),
    };
  }));
  const losses = byLoss.map((r) => r.summary!["loss"]).filter((l) => typeof l === "number");
  assert.ok(losses.length > 2);
  assert.deepEqual(losses, [...losses].sort((a, b) => (b as number) - (a as number)));
  const created = byNewest.map((r) => Date.parse(r.createdAt));
  assert.deepEqual(created, [...created].sort((a, b) => b - a));
});

Deno.test("run() decodes config, summary and history keys from their JSON strings", async () => {
  const run = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const [first] = yield* api.runs("acme/mnist").pipe(Stream.take(1), Stream.runCollect);
    return yield* api.run(first!.path);
  }));
  assert.ok(run.rawConfig !== undefined && run.config !== undefined);
  assert.ok("_wandb" in run.rawConfig, "rawConfig keeps _wandb");
  assert.ok(!("_wandb" in run.config), "config drops _wandb");
  assert.deepEqual(run.config, unwrapConfig(run.rawConfig));
  assert.equal(typeof run.config["lr"], "number");
  assert.equal((run.rawConfig["lr"] as { value: unknown }).value, run.config["lr"]);
  assert.equal(typeof run.summary!["loss"], "number");
  assert.ok(run.historyKeys!.lastStep >= 0);
  assert.ok(Object.keys(run.historyKeys!.keys).includes("loss"));
});

Deno.test("run paths resolve in every accepted form", async (t) => {
  const ids = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const [first] = yield* api.runs("acme/mnist").pipe(Stream.take(1), Stream.runCollect);
      const id = first!.id;
      const forms = [
        `acme/mnist/runs/${id}`,
        `acme/mnist/${id}`,
        `acme/mnist:${id}`,
        `mnist/${id}`,
        `mnist:${id}`,
        id,
      ];
      const resolved: Array<[string, string]> = [];
      for (const form of forms) resolved.push([form, (yield* api.run(form)).path]);
      return { id, resolved };
    }),
    { api: { entity: "acme", project: "mnist" } },
  );
  for (const [form, path] of ids.resolved) {
    await t.step(form, () => assert.equal(path, `acme/mnist/${ids.id}`));
  }
});

Deno.test("a path without an entity uses the viewer's default entity, asked once", async () => {
  const { paths, requests } = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const [first] = yield* api.runs("scratch").pipe(Stream.take(1), Stream.runCollect);
    const again = yield* api.run(`scratch/${first!.id}`);
    return {
      paths: [first!.path, again.path],
      requests: countOperation(server, "GetDefaultEntity"),
    };
  }));
  assert.match(paths[0]!, /^alice\/scratch\//);
  assert.equal(paths[0], paths[1]);
  assert.equal(requests, 1);
});

Deno.test("a big integer read back from W&B filters runs exactly, as the server compares it", async () => {
  const { read, found, near } = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const runs = yield* api.runs("acme/real-world", { full: true }).pipe(Stream.runCollect);
    const diverged = runs.find((r) => typeof r.summary?.["tokens_seen"] === "bigint")!;
    const read = diverged.summary!["tokens_seen"] as bigint;
    const found = yield* api.runs("acme/real-world", {
      filters: summary("tokens_seen").eq(read),
    }).pipe(Stream.runCollect);
    // One less: equal as a double, not as the integer W&B keeps.
    const near = yield* api.runCount("acme/real-world", {
      filters: summary("tokens_seen").eq(read - 1n),
    });
    return { read, found: found.map((r) => r.id), near, id: diverged.id };
  }));
  assert.equal(read, 9007199254740993n);
  assert.equal(found.length, 1);
  assert.equal(near, 0);
});
