/**
 * The history's slice of the `Api`: full scans of one run or many, in records, JSON text or
 * NDJSON bytes; sampled history and system metrics; the last step.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce, type RunRef } from "../core/context.ts";
import { DecodeError, type WandbError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type * as Schema from "effect/Schema";
import type { Run } from "../runs/decoders.ts";
import type { MultiRunOptions, TaggedHistoryFormats, TaggedHistoryRow } from "./multi_run.ts";
import type { FollowHistoryOptions } from "./follow.ts";
import type { HistoryRow } from "./queries.ts";
import type { HistoryOptions } from "./sampled.ts";
import type { HistoryFormat, HistoryFormats, ScanHistoryOptions } from "./scan.ts";

/** A Schema the rows of a scan are decoded with. */
export interface TypedRows<A> {
  /** Decodes each row (`{ _step, loss, … }`); NaN, ±Infinity and big integers as read. */
  readonly row: Schema.Decoder<A>;
}

/** Rows decoded by `schema`, a misfit named by its run, step and key. */
const typedRows = <A>(
  scanModule: typeof import("./scan.ts"),
  path: RunPath,
  schema: Schema.Decoder<A>,
) =>
<E, R>(rows: Stream.Stream<HistoryRow, E, R>): Stream.Stream<A, E | DecodeError, R> =>
  rows.pipe(
    scanModule.decodeHistoryRows(schema),
    Stream.mapError((e) =>
      e instanceof DecodeError && e.operation === "decodeHistoryRows"
        ? new DecodeError({
          operation: "HistoryPage",
          path: `${path.entity}/${path.project}/${path.runId}@${e.path}`,
          message:
            `Run ${path.entity}/${path.project}/${path.runId}: a row does not fit the Schema given (${e.path}): ${e.message}`,
        })
        : e
    ),
  );

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
   * Every history row of a run decoded by your Schema (`row`): a row that does not fit fails
   * the stream with a `DecodeError` naming the run, the step and the key.
   */
  scanHistory<A>(
    run: RunRef,
    options: ScanHistoryOptions<"records"> & TypedRows<A>,
  ): Stream.Stream<A, WandbError>;
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
  /** {@link HistoryApi.followHistory} with each row decoded by your Schema (`row`). */
  followHistory<A>(
    run: RunRef,
    options: FollowHistoryOptions & TypedRows<A>,
  ): Stream.Stream<A, WandbError>;
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
    scanHistory:
      ((run: RunRef, options?: ScanHistoryOptions<HistoryFormat> & Partial<TypedRows<unknown>>) =>
        Stream.unwrap(
          Effect.map(Effect.zip(paths.run(run), scan), ([path, m]) => {
            const rows = m.scanHistory(client, path, options);
            return options?.row === undefined
              ? rows
              : typedRows(m, path, options.row)(rows as Stream.Stream<HistoryRow, WandbError>);
          }),
        )) as HistoryApi["scanHistory"],
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
    followHistory:
      ((run: RunRef, options?: FollowHistoryOptions & Partial<TypedRows<unknown>>) =>
        Stream.unwrap(
          Effect.map(Effect.all([paths.run(run), follow, scan]), ([path, m, s]) => {
            const rows = m.followHistory(client, path, options);
            return options?.row === undefined ? rows : typedRows(s, path, options.row)(rows);
          }),
        )) as HistoryApi["followHistory"],
  };
}
