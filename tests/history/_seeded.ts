// Shared plumbing of the history tests: seeded runs, their expected rows, a server per test.
import { Effect } from "effect";
import type { Api, HistoryRow } from "../../mod.ts";
import {
  type Emulator,
  type EmulatorOptions,
  generatedRow,
  LocalServer,
  type SeedRun,
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
