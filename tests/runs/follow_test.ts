// Following live runs on the local server: a run's history as it is logged (every row once, in
// order, ending with the run; restartable from a step), and a project's run events (created,
// state changed, heartbeat gone quiet, finished).
import assert from "node:assert/strict";
import { Effect, Schedule, Stream } from "effect";
import { Api, type RunEvent } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const fast = Schedule.spaced("25 millis");

Deno.test("followHistory(): the rows so far, then each new one once, ending with the run", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const live = server.startLiveRun({ name: "follow1", steps: 12, everyMs: 30, end: "crashed" });
    // Some rows are logged before following begins.
    yield* Effect.sleep("100 millis");
    const rows = yield* Stream.runCollect(api.followHistory(live.path, { schedule: fast }));
    const restarted = yield* Stream.runCollect(
      api.followHistory(live.path, { schedule: fast, fromStep: 9, keys: ["loss"] }),
    );
    const state = server.store.runs.get("acme", "live", "follow1")!.state;
    return { rows, restarted, state, logged: live.logged };
  }));
  assert.equal(r.state, "crashed");
  assert.deepEqual(r.rows.map((row) => row._step), Array.from({ length: 12 }, (_, i) => i));
  assert.ok(r.rows.every((row) => typeof row.loss === "number"));
  assert.deepEqual(r.restarted.map((row) => Object.keys(row).sort()), [
    ["_step", "loss"],
    ["_step", "loss"],
    ["_step", "loss"],
  ]);
  assert.deepEqual(r.restarted.map((row) => row._step), [9, 10, 11]);
});

Deno.test("followHistory() of a run that stopped heartbeating keeps polling until interrupted", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const live = server.startLiveRun({ name: "stall1", steps: 4, everyMs: 10, end: "stall" });
    yield* Effect.promise(() => live.done);
    const rows = yield* api.followHistory(live.path, { schedule: fast }).pipe(
      Stream.take(5),
      Stream.runCollect,
      Effect.timeout("400 millis"),
      Effect.option,
    );
    return rows;
  }));
  // Four rows and then nothing: the stream neither ends (the run is "running") nor repeats.
  assert.equal(r._tag, "None");
});

Deno.test("followRuns(): created, state changed, finished and stale heartbeats, each once", async () => {
  const events = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    server.startLiveRun({ name: "before", steps: 1000, everyMs: 50 });
    const seen: Array<RunEvent> = [];
    // The first event: a run made after following began.
    yield* Effect.forkChild(
      Effect.delay(
        Effect.sync(() => server.startLiveRun({ name: "after", steps: 1000, everyMs: 50 })),
        "60 millis",
      ),
    );
    yield* api.followRuns("acme/live", { schedule: fast, staleAfter: "150 millis" }).pipe(
      Stream.tap((event) =>
        Effect.sync(() => {
          seen.push(event);
          if (seen.length === 1) {
            server.startLiveRun({ name: "crasher", steps: 3, everyMs: 20, end: "crashed" });
            server.startLiveRun({ name: "staller", steps: 2, everyMs: 20, end: "stall" });
          }
        })
      ),
      Stream.takeUntil(() =>
        seen.some((e) => e._tag === "RunHeartbeatStale") &&
        seen.some((e) => e._tag === "RunFinished")
      ),
      Stream.runDrain,
      Effect.timeout("5 seconds"),
    );
    for (const live of server.liveRuns) live.stop();
    return seen.map((e) =>
      `${e._tag} ${e.run.id}${e._tag === "RunStateChanged" ? ` ${e.from}->${e.run.state}` : ""}`
    );
  }));
  // A run already running when following began is noted, not reported as new.
  assert.ok(!events.includes("RunCreated before"), events.join("; "));
  for (const expected of ["RunCreated after", "RunCreated crasher", "RunCreated staller"]) {
    assert.ok(events.includes(expected), `${expected} in ${events.join("; ")}`);
  }
  assert.ok(events.includes("RunFinished crasher"), events.join("; "));
  assert.equal(
    events.filter((e) => e === "RunHeartbeatStale staller").length,
    1,
    events.join("; "),
  );
  assert.equal(events.filter((e) => e === "RunFinished crasher").length, 1);
  assert.ok(!events.some((e) => e.includes("before") && e.startsWith("RunHeartbeatStale")));
});
