// Launch over real HTTP: run queues, their items, queued runs and jobs.
import assert from "node:assert/strict";
import { Effect, Fiber, Layer, Schedule, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, InvalidArgumentError, NotFoundError, WaitTimeoutError } from "../../mod.ts";
import { LocalServer, seedApiKey } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const fast = { schedule: Schedule.spaced("30 millis") };

Deno.test("runQueue(): access, prioritization, resource config and template variables; items", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const queue = yield* api.runQueue("acme", "gpu-queue");
    const missing = yield* Effect.flip(api.runQueue("acme", "nope"));
    const items = yield* Stream.runCollect(api.runQueueItems(queue, "mnist"));
    return { seed: server.seed.launch[0]!, queue, missing, items };
  }));
  assert.equal(r.queue.access, "PROJECT");
  assert.equal(r.queue.prioritizationMode, "V0");
  assert.equal(r.queue.type, "local-container");
  assert.deepEqual(r.queue.defaultResourceConfig, JSON.parse(r.seed.config));
  assert.deepEqual(r.queue.templateVariables, JSON.parse(r.seed.templateVariables));
  assert.ok(r.missing instanceof NotFoundError && r.missing.resource === "run queue");
  assert.equal(r.items.length, 3);
  assert.deepEqual(new Set(r.items.map((i) => i.queueName)), new Set(["gpu-queue"]));
});

Deno.test("queued runs: state, waiting until running and finished on a Schedule, typed timeouts, delete", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const queue = yield* api.runQueue("acme", "gpu-queue");
    const [pending, claimed, done] = yield* Stream.runCollect(api.runQueueItems(queue, "mnist"));
    const states = yield* Effect.all([api.queuedRunState(pending!), api.queuedRunState(claimed!)]);
    const running = yield* api.waitUntilRunning(claimed!, fast);
    const finished = yield* api.waitUntilQueuedRunFinished(done!, fast);
    const timedOut = yield* Effect.flip(
      api.waitUntilRunning(pending!, { ...fast, timeout: "150 millis" }),
    );
    // An agent picks the pending item up a little later.
    const target = server.seed.runs.find((x) => x.project === "mnist" && x.state === "finished")!;
    const waiting = yield* Effect.forkChild(api.waitUntilRunning(pending!, fast));
    yield* Effect.sleep("120 millis");
    const stored = server.store.launch.queue("acme", "model-registry", "gpu-queue")!;
    server.store.launch.setItem(stored.id, Number(pending!.id), "CLAIMED", target.name);
    const started = yield* Fiber.join(waiting);
    const deleted = yield* api.deleteQueuedRun(pending!);
    const after = yield* Stream.runCollect(api.runQueueItems(queue, "mnist"));
    const gone = yield* Effect.flip(api.queuedRun({ ...pending!, projectQueue: undefined }));
    return {
      states,
      running,
      finished,
      timedOut,
      started,
      target,
      deleted,
      after,
      gone,
      pending: pending!,
    };
  }));
  assert.deepEqual(r.states, ["pending", "claimed"]);
  assert.equal(r.running.state, "running");
  assert.equal(r.finished.state, "finished");
  assert.ok(r.timedOut instanceof WaitTimeoutError);
  assert.equal(r.started.id, r.target.name);
  assert.equal(r.deleted.id, r.pending.id);
  assert.equal(r.after.length, 2);
  assert.ok(r.gone instanceof NotFoundError);
});

Deno.test("createRunQueue(), upsertRunQueue() and deleteRunQueue(); refused for a non-member", async () => {
  const r = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const created = yield* api.createRunQueue({
      name: "cpu-queue",
      resource: "local-process",
      entity: "acme",
      prioritizationMode: "DISABLED",
      config: { env: { THREADS: "4" } },
      templateVariables: { threads: { type: "integer" } },
    });
    const upserted = yield* api.upsertRunQueue({
      name: "cpu-queue",
      resource: "local-process",
      entity: "acme",
      prioritizationMode: "V0",
      config: { env: { THREADS: "8" } },
    });
    const badResource = yield* Effect.flip(
      api.upsertRunQueue({ name: "x", resource: "mainframe", entity: "acme" }),
    );
    yield* api.deleteRunQueue(upserted);
    const gone = yield* Effect.flip(api.runQueue("acme", "cpu-queue"));
    const carol = Api.layer({ apiKey: seedApiKey("carol", 42), baseUrl: server.url }).pipe(
      Layer.provide(FetchHttpClient.layer),
      Layer.orDie,
    );
    const refused = yield* Effect.flip(
      Effect.provide(
        Effect.gen(function* () {
          const c = yield* Api;
          return yield* c.createRunQueue({
            name: "sneaky",
            resource: "local-process",
            entity: "acme",
          });
        }),
        carol,
      ),
    );
    const sneaky = server.store.launch.queue("acme", "model-registry", "sneaky");
    return { created, upserted, badResource, gone, refused, sneaky };
  }));
  assert.deepEqual(r.created.defaultResourceConfig, { env: { THREADS: "4" } });
  assert.deepEqual(r.created.templateVariables, { threads: { type: "integer" } });
  assert.equal(r.created.prioritizationMode, "DISABLED");
  assert.equal(r.upserted.id, r.created.id);
  assert.deepEqual(r.upserted.defaultResourceConfig, { env: { THREADS: "8" } });
  assert.equal(r.upserted.prioritizationMode, "V0");
  assert.ok(r.badResource instanceof InvalidArgumentError);
  assert.ok(r.gone instanceof NotFoundError);
  assert.equal(r.refused._tag, "PermissionError");
  assert.equal(r.sneaky, undefined);
});

Deno.test("jobs: a job by name, a project's jobs", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const job = yield* api.job("acme/mnist/job-mnist-train:latest");
    const notAJob = yield* Effect.flip(api.job("acme/mnist/mnist-raw:latest"));
    const jobs = yield* Stream.runCollect(api.listJobs("acme/mnist"));
    const none = yield* Stream.runCollect(api.listJobs("acme/cifar10"));
    return { job, notAJob, jobs, none };
  }));
  assert.equal(r.job.type, "job");
  // A bare name means :latest, as Python names it.
  assert.equal(r.job.name, "job-mnist-train:latest");
  assert.equal(r.job.version, "v0");
  assert.ok(r.notAJob instanceof InvalidArgumentError);
  assert.deepEqual(r.jobs.map((j) => j.name), ["job-mnist-train:v0"]);
  assert.deepEqual(r.none, []);
});
