import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";

Deno.test("projects() lists an entity's projects lazily", async () => {
  const { names, firstOnly, requests } = await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const api = yield* Api;
    const names = (yield* api.projects("acme", { perPage: 1 }).pipe(Stream.runCollect)).map((p) =>
      p.path
    );
    server.resetRequests();
    const firstOnly = yield* api.projects("acme", { perPage: 1 }).pipe(
      Stream.take(1),
      Stream.runCollect,
    );
    return { names, firstOnly, requests: countOperation(server, "GetProjects") };
  }));
  assert.ok(names.includes("acme/mnist") && names.includes("acme/cifar10"), names.join());
  assert.equal(new Set(names).size, names.length);
  assert.equal(firstOnly.length, 1);
  assert.equal(requests, 1);
});

Deno.test("project() and fromPath() find projects and runs", async () => {
  const result = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const project = yield* api.project("mnist", "acme");
    const asProject = yield* api.fromPath("acme/mnist");
    const [run] = yield* api.runs("acme/mnist").pipe(Stream.take(1), Stream.runCollect);
    const asRun = yield* api.fromPath(`acme/mnist/runs/${run!.id}`);
    const viewer = yield* api.viewer;
    return { project, asProject, asRun, runId: run!.id, viewer };
  }));
  assert.equal(result.project.path, "acme/mnist");
  assert.equal(result.asProject.kind, "project");
  assert.equal(
    result.asProject.kind === "project" && result.asProject.project.id,
    result.project.id,
  );
  assert.equal(result.asRun.kind === "run" && result.asRun.run.id, result.runId);
  assert.equal(result.viewer.username, "alice");
  assert.ok(result.viewer.teams.includes("acme"));
});
