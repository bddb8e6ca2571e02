// A run's console log against the local server: read from its start in pages or as its last
// lines, in line order, each line's number, time, level and text as captured; older releases
// can only give the last lines. And run.stop(): the flag W&B sets for the run's process.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api, UnsupportedByServerError } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "../api/_harness.ts";

const seededRun = (state: string) =>
  Effect.map(LocalServer, (server) => {
    const run = server.seed.runs.find((r) => r.project === "mnist" && r.state === state)!;
    return {
      path: `acme/mnist/${run.name}`,
      log: run.files.find((f) => f.name === "output.log")!.text!.trimEnd().split("\n"),
      createdAt: run.createdAt,
    };
  });

Deno.test("consoleLogs(): the whole log in line order, in pages, with numbers, times and levels", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const finished = yield* seededRun("finished");
    const crashed = yield* seededRun("crashed");
    const all = yield* Stream.runCollect(api.consoleLogs(finished.path));
    server.resetRequests();
    const paged = yield* Stream.runCollect(api.consoleLogs(finished.path, { perPage: 2 }));
    const pages = countOperation(server, "RunConsoleLogPage");
    const failedRun = yield* Stream.runCollect(api.consoleLogs(crashed.path));
    return { finished, crashed, all, paged, pages, failedRun };
  }));
  assert.deepEqual(r.all.map((l) => l.content), r.finished.log);
  assert.deepEqual(r.all.map((l) => l.number), r.finished.log.map((_, i) => i));
  assert.ok(r.all.every((l) => l.level === "" && l.label === ""));
  assert.equal(r.all[0]!.timestamp, new Date(Date.parse(r.finished.createdAt)).toISOString());
  assert.deepEqual(r.paged, r.all);
  assert.equal(r.pages, Math.ceil(r.finished.log.length / 2));
  // A crashed run ends with the traceback it wrote to stderr.
  const errors = r.failedRun.filter((l) => l.level === "error");
  assert.equal(errors.length, 3);
  assert.equal(errors.at(-1)!.content, "RuntimeError: CUDA out of memory.");
  assert.equal(r.failedRun.at(-1)!.number, r.crashed.log.length + 2);
});

Deno.test("consoleLogs({ last }): the newest lines in one request", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const finished = yield* seededRun("finished");
    server.resetRequests();
    const tail = yield* Stream.runCollect(api.consoleLogs(finished.path, { last: 2 }));
    const refused = yield* Effect.flip(
      Stream.runDrain(api.consoleLogs(finished.path, { last: 0 })),
    );
    return { finished, tail, requests: countOperation(server, "RunConsoleLogTail"), refused };
  }));
  assert.deepEqual(r.tail.map((l) => l.content), r.finished.log.slice(-2));
  assert.deepEqual(r.tail.map((l) => l.number), [
    r.finished.log.length - 2,
    r.finished.log.length - 1,
  ]);
  assert.equal(r.requests, 1);
  assert.equal(r.refused._tag, "InvalidArgumentError");
});

Deno.test("consoleLogs() on W&B Server 0.70: the last lines only; from the start is unsupported", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const finished = yield* seededRun("finished");
      const refused = yield* Effect.flip(Stream.runDrain(api.consoleLogs(finished.path)));
      const tail = yield* Stream.runCollect(api.consoleLogs(finished.path, { last: 3 }));
      return { finished, refused, tail };
    }),
    { server: { serverVersion: "0.70" } },
  );
  assert.ok(r.refused instanceof UnsupportedByServerError);
  assert.equal(r.refused.feature, "STRUCTURED_CONSOLE_LOGS");
  assert.equal(r.refused.serverVersion, "0.70.0");
  assert.match(r.refused.message, /last/);
  assert.deepEqual(r.tail.map((l) => l.content), r.finished.log.slice(-3));
});

Deno.test("stopRun(): W&B flags the run for its process; a run that does not exist is not found", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const running = yield* seededRun("running");
    const before = server.store.runs.stopRequested(
      server.store.runs.get("acme", "mnist", running.path.split("/")[2]!)!,
    );
    yield* api.stopRun(running.path);
    const run = yield* api.run(running.path);
    yield* api.stopRun(run);
    const after = server.store.runs.stopRequested(server.store.runs.get("acme", "mnist", run.id)!);
    const missing = yield* Effect.flip(api.stopRun("acme/mnist/no-such-run"));
    return { before, after, missing, stops: countOperation(server, "StopRun") };
  }));
  assert.equal(r.before, false);
  assert.equal(r.after, true);
  assert.equal(r.stops, 2);
  assert.equal(r.missing._tag, "NotFoundError");
});
