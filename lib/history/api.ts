/**
 * The history's slice of the `Api`: full scans of one run or many, in records, JSON text or
 * NDJSON bytes; sampled history and system metrics; the last step.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce, type RunRef } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Run } from "../runs/decoders.ts";
import type { MultiRunOptions, TaggedHistoryFormats, TaggedHistoryRow } from "./multi_run.ts";
import type { FollowHistoryOptions } from "./follow.ts";
import type { HistoryRow } from "./queries.ts";
import type { HistoryOptions } from "./sampled.ts";
import type { HistoryFormat, HistoryFormats, ScanHistoryOptions } from "./scan.ts";

/** The history's methods of the `Api`. */
export interface HistoryApi {
  /**
   * Every history row of a run, in step order, each once (Python's `run.scan_history`), as
   * records, JSON text (`format: "json"`) or NDJSON bytes (`format: "ndjson"`). Lazy: windows
   * are requested as the stream is pulled, `concurrency` at once; see `scanHistory` of
   * `@effect-wandb/api/history` for the requests, memory bounds and the Parquet path.
   */
  scanHistory<F extends HistoryFormat = "records">(
    run: RunRef,
    options?: ScanHistoryOptions<F>,
  ): Stream.Stream<HistoryFormats[F], WandbError>;
  /**
   * Full histories of many runs, every row tagged with `run_id` and `run_path`, the runs one
   * after another in the order given while `runConcurrency` are read at once.
   */
  scanHistories<E, R, F extends HistoryFormat = "records">(
    runs: Stream.Stream<Run, E, R>,
    options?: ScanHistoryOptions<F> & MultiRunOptions,
  ): Stream.Stream<TaggedHistoryFormats[F], E | WandbError, R>;
  /** A sample of a run's history (Python's `run.history`); `samples` is required. */
  history(
    run: RunRef,
    options: HistoryOptions,
  ): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError>;
  /** A sample of a run's system metrics (Python's `run.history(stream="system")`). */
  systemMetrics(
    run: RunRef,
    options: { readonly samples: number },
  ): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError>;
  /** The last logged step (Python's `run.lastHistoryStep`), -1 when none. */
  lastHistoryStep(run: RunRef): Effect.Effect<number, WandbError>;
  /**
   * A run's rows as they are logged: those so far from `fromStep`, then the new ones, polled on
   * `schedule`, until the run finishes, crashes, fails or is killed (or the stream is interrupted).
   */
  followHistory(run: RunRef, options?: FollowHistoryOptions): Stream.Stream<HistoryRow, WandbError>;
  /** Sampled histories of many runs, rows tagged with `run_id` (Python's `Runs.histories`). */
  histories<E, R>(
    runs: Stream.Stream<Run, E, R>,
    options: HistoryOptions & MultiRunOptions,
  ): Stream.Stream<TaggedHistoryRow, E | WandbError, R>;
}

const scan = loadOnce(() => import("./scan.ts"));
const sampled = loadOnce(() => import("./sampled.ts"));
const multiRun = loadOnce(() => import("./multi_run.ts"));
const follow = loadOnce(() => import("./follow.ts"));

/** Builds the history's slice. */
export function historyApi(context: ApiContext): HistoryApi {
  const { client, paths } = context;
  return {
    scanHistory: (run, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.run(run), scan), ([path, m]) =>
          m.scanHistory(client, path, options)),
      ),
    scanHistories: (runs, options) =>
      Stream.unwrap(Effect.map(multiRun, (m) => m.scanHistories(client, runs, options))),
    history: (run, options) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), sampled),
        ([path, m]) => m.history(client, path, options),
      ),
    systemMetrics: (run, options) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), sampled),
        ([path, m]) => m.systemMetrics(client, path, options),
      ),
    lastHistoryStep: (run) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), scan),
        ([path, m]) => m.lastHistoryStep(client, path),
      ),
    histories: (runs, options) =>
      Stream.unwrap(Effect.map(multiRun, (m) => m.histories(client, runs, options))),
    followHistory: (run, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.run(run), follow), ([path, m]) =>
          m.followHistory(client, path, options)),
      ),
  };
}
