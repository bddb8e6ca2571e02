// Shared plumbing of the history tests: seeded runs, their expected rows, a server per test.
import { Effect } from "effect";
import type { Api, HistoryRow, ScanHistoryOptions } from "../../mod.ts";
import {
  type Emulator,
  type EmulatorOptions,
  generatedRow,
  LocalServer,
  type SeedRun,
  type StoredRun,
} from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

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
  server.store.insertRun("acme", "mnist", {
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
