// Creating, updating, deleting and waiting on runs and projects; sweeps; over real HTTP.
import assert from "node:assert/strict";
import { Effect, Fiber, Schedule, Stream } from "effect";
import {
  Api,
  GraphqlError,
  InvalidArgumentError,
  NotFoundError,
  WaitTimeoutError,
} from "../../mod.ts";
import { type Emulator, LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "../api/_harness.ts";

const finishedRun = (server: Emulator) =>
  server.seed.runs.find((r) => r.project === "mnist" && r.state === "finished")!;

Deno.test("createProject() and createRun() create, and return what the server holds", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const project = yield* api.createProject("new-idea", "acme");
    const again = yield* api.createProject("new-idea", "acme");
    server.resetRequests();
    const badName = yield* Effect.flip(api.createProject("bad name", "acme"));
    const sent = server.requests.length;
    const created = yield* api.createRun({
      project: "new-idea",
      entity: "acme",
      runId: "import-1",
    });
    const fetched = yield* api.run("acme/new-idea/import-1");
    const generated = yield* api.createRun({ project: "acme/new-idea" });
    return { project, again, badName, sent, created, fetched, generated };
  }));
  assert.equal(r.project.path, "acme/new-idea");
  assert.equal(r.again.path, "acme/new-idea");
  assert.ok(r.badName instanceof InvalidArgumentError);
  assert.equal(r.sent, 0);
  assert.equal(r.created.id, "import-1");
  assert.equal(r.created.state, "pending");
  assert.equal(r.fetched.storageId, r.created.storageId);
  assert.match(r.generated.id, /^[0-9a-f]{8}$/);
});

Deno.test("updateRun() sends one UpsertBucket with only the changed fields and returns the run", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const before = yield* api.run(`acme/mnist/${finishedRun(server).name}`);
    server.resetRequests();
    const updated = yield* api.updateRun(before, {
      tags: [...before.tags, "reviewed"],
      notes: "checked by hand",
      name: "renamed",
      config: { ...before.config, lr: 0.5, extra: [1, 2] },
      summary: { ...before.summary, verdict: "good", big: 9007199254740993n },
    });
    const upserts = server.requests.filter((q) => q.operationName === "UpsertBucket");
    server.resetRequests();
    const tagsOnly = yield* api.updateRun(updated, { tags: ["only"] });
    const tagVariables = Object.keys(server.requests[0]!.variables).sort();
    const reread = yield* api.run(`acme/mnist/${before.id}`);
    server.resetRequests();
    const bad = yield* Effect.all([
      Effect.flip(api.updateRun(before, { tags: [""] })),
      Effect.flip(api.updateRun(before, { summary: { loss: NaN } })),
      Effect.flip(api.updateRun(before, { config: { when: new Date(0) } })),
      Effect.flip(api.updateRun(before, { summary: { deep: [{ x: Infinity }] } })),
    ]);
    return {
      before,
      updated,
      upserts,
      tagsOnly,
      tagVariables,
      reread,
      bad,
      sent: server.requests.length,
    };
  }));
  assert.equal(r.upserts.length, 1);
  assert.deepEqual(
    Object.keys(r.upserts[0]!.variables).sort(),
    ["config", "display_name", "id", "notes", "summaryMetrics", "tags"],
  );
  assert.deepEqual(r.updated.tags, [...r.before.tags, "reviewed"]);
  assert.equal(r.updated.notes, "checked by hand");
  assert.equal(r.updated.name, "renamed");
  assert.equal(r.updated.config!["lr"], 0.5);
  assert.deepEqual(r.updated.config!["extra"], [1, 2]);
  // The stored wrapping is kept: each key's desc, and _wandb.
  assert.equal((r.updated.rawConfig!["epochs"] as { desc: string }).desc, "Passes over the data");
  assert.ok("_wandb" in r.updated.rawConfig!);
  assert.equal(r.updated.summary!["verdict"], "good");
  assert.equal(r.updated.summary!["big"], 9007199254740993n);
  assert.deepEqual(r.tagVariables, ["id", "tags"]);
  assert.deepEqual(r.tagsOnly.tags, ["only"]);
  assert.deepEqual(r.reread.tags, ["only"]);
  assert.equal(r.reread.notes, "checked by hand");
  assert.ok(r.bad.every((e) => e instanceof InvalidArgumentError), String(r.bad));
  assert.match((r.bad[1] as Error).message, /summary\.loss is NaN/);
  assert.match((r.bad[3] as Error).message, /summary\.deep\[0\]\.x is Infinity/);
  assert.equal(r.sent, 0);
});

Deno.test("a user outside a run's entity cannot change or delete it, and nothing changes", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const seedRun = server.seed.runs.find((x) => x.entity === "bob")!;
    const stored = server.store.runs.get("bob", seedRun.project, seedRun.name)!;
    // Alice cannot read bob's run, so she forges it from one of hers with bob's storage id.
    const mine = yield* api.run(`acme/mnist/${finishedRun(server).name}`);
    const forged = {
      ...mine,
      storageId: stored.storageId,
      entity: "bob",
      project: seedRun.project,
      id: seedRun.name,
    };
    const update = yield* Effect.flip(api.updateRun(forged, { tags: ["pwned"], notes: "x" }));
    const del = yield* Effect.flip(api.deleteRun(forged));
    const after = server.store.runs.get("bob", seedRun.project, seedRun.name);
    return { update, del, before: stored, after };
  }));
  assert.equal(r.update._tag, "PermissionError");
  assert.equal(r.del._tag, "PermissionError");
  assert.ok(r.after !== undefined);
  assert.deepEqual(r.after!.tags, r.before.tags);
  assert.equal(r.after!.notes, r.before.notes);
});

Deno.test("deleteRun(), updateRunState(), runMetadata() and runUrl()", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const seedRun = finishedRun(server);
    const target = yield* api.run(`acme/mnist/${seedRun.name}`);
    const metadata = yield* api.runMetadata(target);
    const url = yield* api.runUrl(target);
    const requeued = yield* api.updateRunState(target, "pending");
    const running = yield* api.run(
      `acme/mnist/${
        server.seed.runs.find((x) => x.project === "mnist" && x.state === "running")!.name
      }`,
    );
    const refused = yield* Effect.flip(api.updateRunState(running, "pending"));
    const badState = yield* Effect.flip(api.updateRunState(running, "Bad State"));
    const empty = yield* api.createRun({ project: "acme/mnist", runId: "no-files" });
    const noMetadata = yield* api.runMetadata(empty);
    const deleted = yield* api.deleteRun(target);
    const gone = yield* Effect.flip(api.run(`acme/mnist/${seedRun.name}`));
    return {
      seedRun,
      metadata,
      url,
      requeued,
      refused,
      badState,
      noMetadata,
      deleted,
      gone,
      base: server.url,
    };
  }));
  const text = r.seedRun.files.find((f) => f.name === "wandb-metadata.json")!.text!;
  assert.deepEqual(r.metadata, JSON.parse(text));
  assert.equal(r.url, `${r.base}/acme/mnist/runs/${r.seedRun.name}`);
  assert.equal(r.requeued.state, "pending");
  assert.ok(r.refused instanceof GraphqlError);
  assert.ok(r.badState instanceof InvalidArgumentError);
  assert.equal(r.noMetadata, null);
  assert.equal(r.deleted.id, r.seedRun.name);
  assert.ok(r.gone instanceof NotFoundError);
});

Deno.test("waitUntilFinished() polls on its Schedule until the run ends, and times out typed", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const [first, second] = server.seed.runs.filter((x) =>
      x.project === "mnist" && x.state === "running"
    );
    server.resetRequests();
    const waiting = yield* Effect.forkChild(
      api.waitUntilFinished(`acme/mnist/${first!.name}`, {
        schedule: Schedule.spaced("40 millis"),
      }),
    );
    yield* Effect.sleep("300 millis");
    server.store.runs.update(server.store.runs.get("acme", "mnist", first!.name)!, {
      state: "finished",
    });
    const ended = yield* Fiber.join(waiting);
    const polls = countOperation(server, "RunState");
    const started = Date.now();
    const timedOut = yield* Effect.flip(
      api.waitUntilFinished(`acme/mnist/${second!.name}`, {
        schedule: Schedule.spaced("40 millis"),
        timeout: "250 millis",
      }),
    );
    return { ended, polls, timedOut, waited: Date.now() - started };
  }));
  assert.equal(r.ended.state, "finished");
  assert.ok(r.polls >= 3, `${r.polls} polls`);
  assert.ok(r.timedOut instanceof WaitTimeoutError);
  assert.equal(r.timedOut.waitedMillis, 250);
  assert.ok(r.waited < 2_000, `${r.waited} ms`);
});

Deno.test("sweeps: the sweep, its config and metric, its runs, its best run", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const sweep = yield* api.sweep("acme/mnist/swp1");
    const all = yield* Stream.runCollect(api.sweeps("acme/mnist"));
    const missing = yield* Effect.flip(api.sweep("acme/mnist/nope"));
    const runs = yield* Stream.runCollect(api.sweepRuns(sweep));
    const best = yield* api.bestRun(sweep);
    const worst = yield* api.bestRun(sweep, { order: "-summary_metrics.loss" });
    const member = yield* api.run(`acme/mnist/${runs[0]!.id}`);
    const ofMember = yield* api.runSweep(member);
    const outsider = yield* api.run(
      `acme/mnist/${
        server.seed.runs.find((x) => x.project === "mnist" && x.sweepName === null)!.name
      }`,
    );
    const ofOutsider = yield* api.runSweep(outsider);
    // Python's `sweep.id` is the id in the sweep's path: found again by it.
    const byId = yield* api.sweep(`${sweep.entity}/${sweep.project}/${sweep.id}`);
    return {
      seed: server.seed,
      sweep,
      byId,
      all,
      missing,
      runs,
      best,
      worst,
      ofMember,
      ofOutsider,
      base: server.url,
    };
  }));
  const members = r.seed.runs.filter((x) => x.project === "mnist" && x.sweepName === "swp1");
  const losses = members.map((x) => x.summary["loss"] as number);
  assert.ok(members.length >= 2, `${members.length} runs in the sweep`);
  assert.equal(r.sweep.method, "bayes");
  assert.deepEqual(r.sweep.metric, { name: "loss", goal: "minimize" });
  assert.equal((r.sweep.config["parameters"] as { lr: { min: number } }).lr.min, 0.0001);
  assert.equal(r.sweep.expectedRunCount, 12);
  assert.equal(r.sweep.runCount, members.length);
  assert.equal(r.sweep.bestLoss, Math.min(...losses));
  assert.equal(r.sweep.url, `${r.base}/acme/mnist/sweeps/swp1`);
  assert.equal(r.sweep.id, "swp1");
  assert.equal(r.byId.storageId, r.sweep.storageId);
  assert.equal(atob(r.sweep.storageId).split(":")[0], "Sweep");
  assert.deepEqual(r.all.map((s) => s.name), ["swp1"]);
  assert.ok(r.missing instanceof NotFoundError && r.missing.resource === "sweep");
  assert.deepEqual(r.runs.map((x) => x.id).sort(), members.map((x) => x.name).sort());
  assert.equal(r.best!.summary!["loss"], Math.min(...losses));
  assert.equal(r.worst!.summary!["loss"], Math.max(...losses));
  assert.equal(r.ofMember?.name, "swp1");
  assert.equal(r.ofOutsider, null);
});
