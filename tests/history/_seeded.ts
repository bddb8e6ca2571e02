// Shared plumbing of the history tests: seeded runs, their expected rows, a server per test.
import assert from "node:assert/strict";
import { Effect } from "effect";
import {
  Api,
  type ApiShape,
  type HistoryRow,
  type ScanHistoryOptions,
  type TaggedHistoryRow,
} from "../../mod.ts";
import {
  type Emulator,
  type EmulatorOptions,
  generatedRow,
  LocalServer,
  type SeedRun,
  type StoredRun,
} from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "../api/_harness.ts";

/** A seeded run of acme/mnist in the given state (`finished`, `running`, …). */
export const seedRun = (server: Emulator, state: string): SeedRun =>
  server.seed.runs.find((r) => r.project === "mnist" && r.state === state)!;

/** The generated rows of a seeded run with `lo <= _step < hi`. */
export const expectedRows = (run: SeedRun, lo = 0, hi = run.history.steps): Array<HistoryRow> => {
  const rows: Array<HistoryRow> = [];
  for (let s = Math.max(0, lo); s < Math.min(hi, run.history.steps); s++) {
    rows.push(generatedRow(run.history, s));
  }
  return rows;
};

/** Runs `body` with the server itself and an `Api` pointed at it. */
export const inServer = <A, Err>(
  body: (server: Emulator) => Effect.Effect<A, Err, Api | Emulator>,
  options?: EmulatorOptions,
): Promise<A> =>
  withServer(
    Effect.gen(function* () {
      return yield* body(yield* LocalServer);
    }),
    { server: options },
  );

/** The scan modes every row shape is checked in: `[name, run state, options]`. */
export const scanModes: ReadonlyArray<readonly [string, string, ScanHistoryOptions]> = [
  ["GraphQL, small windows in parallel", "finished", {
    mode: "graphql",
    pageSize: 13,
    concurrency: 4,
  }],
  ["GraphQL, a step window", "finished", {
    mode: "graphql",
    minStep: 7,
    maxStep: 90,
    pageSize: 20,
  }],
  ["keys (sampledHistory rows are objects)", "finished", {
    keys: ["loss", "weights"],
    pageSize: 60,
  }],
  ["Parquet, a finished run", "finished", { mode: "parquet" }],
  ["Parquet and live GraphQL rows, a running run", "running", { mode: "parquet", pageSize: 30 }],
];

/** Adds a run of acme/mnist with a generated history of 20,000 steps of 4 metrics. */
export const insertLongRun = (server: Emulator, name: string, seed: number): StoredRun =>
  server.store.runs.insert("acme", "mnist", {
    name,
    history: {
      seed,
      steps: 20_000,
      metrics: 4,
      sparseEvery: 0,
      histogramEvery: 0,
      events: 0,
      startTime: 1_700_000_000,
    },
  });

/**
 * Scans a finished run in one GraphQL window whose `HistoryPage` answer is `body`, and says
 * how many pages were asked for: how the tests feed a scan the answers of a misbehaving server.
 */
export const scanAnsweredWith = <A, Err>(
  body: string,
  scan: (api: ApiShape, path: string, options: ScanHistoryOptions) => Effect.Effect<A, Err>,
): Promise<{ readonly result: A; readonly pages: number }> =>
  inServer((server) =>
    Effect.gen(function* () {
      const run = seedRun(server, "finished");
      server.injectFaults({ status: 200, operationName: "HistoryPage", body });
      const api = yield* Api;
      const result = yield* scan(api, `acme/mnist/${run.name}`, {
        mode: "graphql",
        pageSize: run.history.steps,
      });
      return { result, pages: countOperation(server, "HistoryPage") };
    })
  );

/** A `HistoryPage` answer holding `history`. */
export const historyAnswer = (history: ReadonlyArray<unknown>): string =>
  JSON.stringify({ data: { project: { run: { history } } } });

/**
 * Checks the rows of a multi-run export of acme/cifar10: every run's rows, in step order, equal
 * to the records `scanHistories` gave and to the seeded rows, each tagged with its run.
 */
export function assertTaggedExport(
  lines: ReadonlyArray<TaggedHistoryRow>,
  objects: ReadonlyArray<TaggedHistoryRow>,
  seed: ReadonlyArray<SeedRun>,
): void {
  assert.equal(lines.length, seed.reduce((n, r) => n + r.history.steps, 0));
  for (const run of seed) {
    const ofRun = lines.filter((r) => r.run_id === run.name);
    assert.deepEqual(ofRun, objects.filter((r) => r.run_id === run.name));
    assert.deepEqual(
      ofRun.map(({ run_id: _id, run_path: path, ...row }) => {
        assert.equal(path, `acme/cifar10/${run.name}`);
        return row;
      }),
      expectedRows(run),
    );
  }
}
