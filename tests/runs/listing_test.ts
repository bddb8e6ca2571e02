// A listing that loads heavy fields without a page size of the caller's: its first page as the
// official client reads it, the rest concurrently (the order from light pages, the fields by
// name). The same runs in the same order as page by page, through faults too.
import assert from "node:assert/strict";
import { Effect, Layer, Schedule, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, type Run, type RunsOptions } from "../../mod.ts";
import { type Emulator, type Fault, startEmulator } from "../../lib/testing/mod.ts";

const runsInProject = 430;

/** A server with `runsInProject` runs in acme/many, each with its own config and summary. */
const manyRuns = async () => {
  const server = await startEmulator({ seed: false });
  server.store.users.createEntity("acme", true, ["alice"]);
  server.store.projects.create("acme", "many");
  for (let i = 0; i < runsInProject; i++) {
    server.store.runs.insert("acme", "many", {
      name: `r${String(i).padStart(4, "0")}`,
      state: i % 7 === 0 ? "crashed" : "finished",
      username: "alice",
      config: { lr: i / 1000, layers: i % 5 },
      summary: { loss: 1 / (i + 1), best: i % 3 === 0 ? NaN : i },
    });
  }
  return server;
};

const list = (server: Emulator, options: RunsOptions): Promise<Array<Run>> =>
  Effect.runPromise(
    Effect.flatMap(
      Api,
      (api) => Effect.map(Stream.runCollect(api.runs("acme/many", options)), (c) => Array.from(c)),
    ).pipe(
      Effect.provide(
        Api.layer({
          apiKey: server.apiKey,
          baseUrl: server.url,
          // The 24 faults below fall on whichever of 8 requests in flight asks next: one request
          // can meet more than five of them in a row.
          retrySchedule: Schedule.max([Schedule.spaced("5 millis"), Schedule.recurs(24)]),
        }).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie),
      ),
    ),
  );

const summaryOf = (runs: ReadonlyArray<Run>) =>
  runs.map((r) => `${r.id} ${JSON.stringify(r.config)} ${String(r.summary?.loss)}`);

Deno.test("a listing of heavy fields without a page size: the runs of a page-by-page listing, in order, with their fields", async () => {
  const server = await manyRuns();
  try {
    const byPage = await list(server, { fields: ["config", "summary"], perPage: 50 });
    server.resetRequests();
    const concurrent = await list(server, { fields: ["config", "summary"] });
    const asked = server.requests.filter((r) => r.operationName === "Runs")
      .map((r) => r.variables as { filters: string; perPage: number; cursor: string | null });
    const newest = await list(server, { fields: ["config"], order: "-created_at" });
    const finished = await list(server, { full: true, filters: { state: "finished" } });
    assert.equal(byPage.length, runsInProject);
    assert.deepEqual(summaryOf(concurrent), summaryOf(byPage));
    assert.ok(Number.isNaN(concurrent[3]!.summary?.best));
    // The first page as the official client asks it; then light pages and fields by name.
    assert.equal(asked[0]!.perPage, 50);
    assert.equal(asked[0]!.cursor, null);
    assert.ok(asked.filter((a) => a.filters.includes('"$in"')).length >= (runsInProject - 50) / 50);
    assert.ok(asked.some((a) => a.perPage >= 200 && a.filters === "{}"), JSON.stringify(asked));
    assert.deepEqual(newest.map((r) => r.id), byPage.map((r) => r.id).reverse());
    assert.equal(finished.length, byPage.filter((r) => r.state === "finished").length);
    assert.ok(finished.every((r) => r.state === "finished" && r.historyKeys !== undefined));
  } finally {
    await server.close();
  }
});

Deno.test("a concurrent listing through 5xx, 429 with a reset and dropped connections loses and repeats nothing", async () => {
  const server = await manyRuns();
  try {
    const expected = summaryOf(await list(server, { fields: ["config", "summary"], perPage: 50 }));
    const faults: Array<Fault> = [];
    for (let i = 0; i < 6; i++) {
      faults.push(
        { operationName: "Runs", status: 503 },
        { operationName: "Runs", status: 429, headers: { "RateLimit-Reset": "0" } },
        { operationName: "Runs", kind: "drop" },
        { operationName: "Runs", kind: "delay", ms: 30 },
      );
    }
    server.injectFaults(...faults);
    const listed = await list(server, { fields: ["config", "summary"] });
    assert.deepEqual(summaryOf(listed), expected);
    assert.ok(
      server.requests.filter((r) => r.status === 503 || r.status === 429).length >= 12,
      "the faults were met",
    );
  } finally {
    await server.close();
  }
});

Deno.test("a page retried after a 502, a 504 or a timeout asks for half as many runs; none is lost or repeated", async () => {
  const server = await manyRuns();
  try {
    const expected = (await list(server, { perPage: 50 })).map((r) => r.id);
    server.resetRequests();
    server.injectFaults(
      { operationName: "Runs", status: 502 },
      { operationName: "Runs", status: 504 },
      // Past the attempt's timeout (below): the client gives up on it, then asks for less.
      { operationName: "Runs", kind: "delay", ms: 1_500 },
    );
    const listed = await Effect.runPromise(
      Effect.flatMap(
        Api,
        (api) => Effect.map(Stream.runCollect(api.runs("acme/many")), (c) => Array.from(c)),
      ).pipe(
        Effect.provide(
          Api.layer({
            apiKey: server.apiKey,
            baseUrl: server.url,
            timeout: "1 second",
            retrySchedule: Schedule.max([Schedule.spaced("5 millis"), Schedule.recurs(5)]),
          }).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie),
        ),
      ),
    );
    const asked = server.requests.filter((r) => r.operationName === "Runs")
      .map((r) => [(r.variables as { perPage: number }).perPage, r.status]);
    assert.deepEqual(listed.map((r) => r.id), expected);
    // 50 (502) → 25 (504) → 12 (timed out) → 6, held at the floor of 10; then the light pages
    // double while they come back fast.
    assert.deepEqual(asked.slice(0, 2), [[50, 502], [25, 504]]);
    const after = asked.slice(2).filter(([perPage]) => perPage !== 12).map(([perPage]) => perPage);
    assert.deepEqual(after.slice(0, 5), [10, 10, 20, 40, 80]);
    assert.ok(asked.every(([perPage]) => perPage >= 10));
  } finally {
    await server.close();
  }
});
