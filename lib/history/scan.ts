/**
 * A run's full history as a Stream (Python's `run.scan_history`): every row in step order, each
 * once, from GraphQL step windows or the server's Parquet export, in the format asked for:
 * records, each row's JSON text, or NDJSON bytes.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import type { BufferPool } from "../core/buffers.ts";
import {
  DecodeError,
  InvalidArgumentError,
  type NotFoundError,
  type RequestError,
  type WandbError,
} from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type { NonFiniteNumbers } from "../core/wandb_json.ts";
import type { WandbClient } from "../core/transport.ts";
import { issuePath } from "../core/_graphql_execution.ts";
import type { RunTag } from "./ndjson.ts";
import {
  jsonRows,
  ndjsonRows,
  objectRows,
  type RowFormat,
  runOf,
  scanPool,
  stepOf,
} from "./formats.ts";
import { parquetExport, parquetScan } from "./parquet_scan.ts";
import { type HistoryRow, runHistoryKeysQuery } from "./queries.ts";
import { graphqlScan, type ScanPlan, strictlyIncreasing } from "./windows.ts";

/** How {@link scanHistory} reads a run's full history. */
export type ScanMode = "auto" | "graphql" | "parquet";

/**
 * The shapes a scan gives its rows in, by the name of its `format`: parsed records, each row's
 * JSON text (`JSON.parse(text)` is the record), or NDJSON bytes (whole lines, a page or row group
 * per chunk: the export path, which makes no string per row).
 */
export interface HistoryFormats {
  readonly records: HistoryRow;
  readonly json: string;
  readonly ndjson: Uint8Array;
}

/** The name of a scan's format: `"records"`, `"json"` or `"ndjson"`. */
export type HistoryFormat = keyof HistoryFormats;

/** Options of {@link scanHistory}. */
export interface ScanHistoryOptions<F extends HistoryFormat = "records"> {
  /**
   * The rows' shape: `"records"` (objects), `"json"` (each row's JSON text) or `"ndjson"`
   * (bytes of whole lines). The same rows, requests, order and memory bounds in each.
   * @default {"records"}
   */
  readonly format?: F | undefined;
  /**
   * Only rows that hold every one of these keys, with only these keys (and `_step`), like
   * Python's `scan_history(keys=…)`. All keys of every row when absent.
   */
  readonly keys?: ReadonlyArray<string> | undefined;
  /**
   * Steps per GraphQL request (Python's `page_size`).
   * @default {1000}
   */
  readonly pageSize?: number | undefined;
  /** First step (inclusive). @default {0} */
  readonly minStep?: number | undefined;
  /** Last step (exclusive), clamped to the run's last step + 1. */
  readonly maxStep?: number | undefined;
  /**
   * Step windows of this run fetched at once; on the Parquet path, one fewer row groups (at
   * least one: a row group holds several windows' rows). Requests also wait for the `Api`-wide
   * `concurrency` permits, so many parallel scans cannot flood the server.
   * @default {2}
   */
  readonly concurrency?: number | undefined;
  /**
   * `"parquet"` reads the server's Parquet export (failing if it has none), `"graphql"` pages
   * step windows, `"auto"` uses Parquet for full scans (no `keys`) of more than two pages when the
   * server offers it, and GraphQL otherwise.
   * @default {"auto"}
   */
  readonly mode?: ScanMode | undefined;
  /**
   * How the `"json"` and `"ndjson"` formats write `NaN`, `Infinity` and `-Infinity` (which W&B
   * stores for diverged metrics): see {@link NonFiniteNumbers}. Records hold the JS numbers.
   * @default {"null"}
   */
  readonly nonFinite?: NonFiniteNumbers | undefined;
  /**
   * With `"ndjson"`: the pool the chunks' buffers are taken from. By default each scan has a
   * pool of its own, and `writeBytes` gives every chunk back to it once written, so an export
   * reuses a few buffers instead of leaving one per page for the garbage collector. A consumer
   * that keeps chunks simply never gives them back.
   */
  readonly buffers?: BufferPool | undefined;
}

const invalid = (argument: string, value: unknown, message: string) =>
  new InvalidArgumentError({ argument, value, message });

const checkInt = (argument: string, value: number | undefined, min: number) =>
  value === undefined || (Number.isInteger(value) && value >= min) ? Effect.void : Effect.fail(
    invalid(
      argument,
      value,
      `The ${argument} must be an integer >= ${min}: current value is ${value}`,
    ),
  );

/**
 * The last logged step of a run (Python's `run.lastHistoryStep`), or -1 when it logged nothing.
 */
export function lastHistoryStep(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<number, RequestError | NotFoundError> {
  return client.execute(runHistoryKeysQuery(path)).pipe(
    Effect.flatMap(runOf("RunHistoryKeys", path)),
    Effect.map((run) => run.historyKeys?.lastStep ?? -1),
  );
}

/**
 * Every history row of a run, in step order, each exactly once (Python's `run.scan_history`),
 * in the `format` asked for: records (by default), each row's JSON text, or NDJSON bytes.
 *
 * Requests: one `RunHistoryKeys` for the last step, then either step windows
 * `[lo, lo + pageSize)` (`HistoryPage`, or `SampledHistoryPage` with `keys`), or the Parquet
 * export plus GraphQL windows for the steps not exported yet. Windows are fetched `concurrency`
 * at a time, in order, only as the stream is pulled: `Stream.take` stops the requests. Memory:
 * at most `concurrency` windows (or Parquet row groups, read by HTTP range) of rows. Empty
 * windows do not end the scan. Each request is retried on its own (429s slow the scan down;
 * they do not fail it); the stream fails with the first error that is not retryable or outlasts
 * the retry policy. GraphQL rows reach the `"json"` and `"ndjson"` formats as the server sent
 * them (checked, not parsed; NDJSON goes from the answer's bytes to the output's).
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect";
 * import type { WandbClient } from "@effect-wandb/api/graphql";
 * import { scanHistory } from "@effect-wandb/api/history";
 * const run = { entity: "acme", project: "mnist", runId: "abc" };
 * const losses = (client: WandbClient) =>
 *   scanHistory(client, run, { keys: ["loss"] }).pipe(Stream.map((row) => row.loss), Stream.runCollect);
 * const lines = (client: WandbClient) => scanHistory(client, run, { format: "ndjson" });
 * ```
 */
export function scanHistory<F extends HistoryFormat = "records">(
  client: WandbClient,
  path: RunPath,
  options?: ScanHistoryOptions<F>,
): Stream.Stream<HistoryFormats[F], WandbError> {
  return scanRun(rowFormat(options, undefined), client, path, options);
}

/** The row format a scan's options ask for, each row tagged with `tag` when given. */
export function rowFormat<F extends HistoryFormat>(
  options: ScanHistoryOptions<F> | undefined,
  tag: RunTag | undefined,
): RowFormat<unknown, HistoryFormats[F]> {
  const nonFinite = options?.nonFinite ?? "null";
  const format = options?.format ?? "records";
  return (format === "ndjson"
    ? ndjsonRows(tag, options?.buffers ?? scanPool(), nonFinite)
    : format === "json"
    ? jsonRows(nonFinite)
    : objectRows) as unknown as RowFormat<unknown, HistoryFormats[F]>;
}

/** A scan of one run with a row format. */
export function scanRun<Source, Out>(
  format: RowFormat<Source, Out>,
  client: WandbClient,
  path: RunPath,
  options: ScanHistoryOptions<HistoryFormat> | undefined,
): Stream.Stream<Out, WandbError> {
  return Stream.unwrap(Effect.gen(function* () {
    const pageSize = options?.pageSize ?? 1000;
    const concurrency = options?.concurrency ?? 2;
    const mode = options?.mode ?? "auto";
    yield* checkInt("pageSize", pageSize, 1);
    yield* checkInt("concurrency", concurrency, 1);
    yield* checkInt("minStep", options?.minStep, 0);
    yield* checkInt("maxStep", options?.maxStep, 0);
    if (options?.keys !== undefined && options.keys.length === 0) {
      return yield* Effect.fail(
        invalid("keys", [], "Give at least one key, or leave keys out for every key"),
      );
    }
    if (options?.keys !== undefined && mode === "parquet") {
      return yield* Effect.fail(
        invalid("mode", mode, "The Parquet path reads whole rows: it cannot take keys"),
      );
    }
    const keys = options?.keys;
    const wantsParquet = keys === undefined && mode !== "graphql";
    // The last step and the export are independent: ask for both at once.
    const [{ last, loggedNull }, exported] = yield* Effect.all([
      historyShape(client, path),
      !wantsParquet ? Effect.succeed(undefined) : mode === "parquet"
        ? parquetExport(client, path)
        // A server without Parquet exports answers with a GraphQL error: fall back quietly.
        : parquetExport(client, path).pipe(
          Effect.catchTag("GraphqlError", () => Effect.succeed(undefined)),
        ),
    ], { concurrency: 2 });
    const lo = options?.minStep ?? 0;
    const hi = Math.min(options?.maxStep ?? last + 1, last + 1);
    if (hi <= lo) return Stream.empty;
    const plan: ScanPlan<Source, Out> = {
      format,
      client,
      path,
      keys,
      lo,
      hi,
      pageSize,
      concurrency,
    };
    // A Parquet cell cannot tell a logged `null` from a key the step never logged (both are
    // null cells, read as absent), while GraphQL rows keep `"x": null`: "auto" stays on GraphQL
    // for a run that logged nulls, so the path it picks never changes the rows.
    // "auto" takes the export when it pays: a run of a page or two is as many GraphQL requests
    // as the export's footer and row group, and a GraphQL page costs less to decode.
    const useParquet = wantsParquet && exported !== undefined &&
      (mode === "parquet" ||
        (exported.urls.length > 0 && !loggedNull && hi - lo > 2 * pageSize));
    const rows = useParquet ? parquetScan(plan, exported) : graphqlScan(plan);
    return strictlyIncreasing(format, rows, lo, hi);
  })).pipe(Stream.mapError((error) => error._tag === "DecodeError" ? inRun(error, path) : error));
}

/** A decoding error of a run's history, saying which run. */
const inRun = (error: DecodeError, path: RunPath): DecodeError =>
  new DecodeError({
    operation: error.operation,
    path: error.path,
    message: `Run ${path.entity}/${path.project}/${path.runId}: ${error.message}`,
  });

/**
 * What a scan needs to know of a run's history before reading it: the last step, and whether
 * any key was logged as `null` (W&B's `historyKeys` counts such values under the type `nil`).
 */
function historyShape(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<{ last: number; loggedNull: boolean }, RequestError | NotFoundError> {
  return client.execute(runHistoryKeysQuery(path)).pipe(
    Effect.flatMap(runOf("RunHistoryKeys", path)),
    Effect.map((run) => ({
      last: run.historyKeys?.lastStep ?? -1,
      loggedNull: Object.values(run.historyKeys?.keys ?? {}).some((key) =>
        (key as { typeCounts?: ReadonlyArray<{ type?: unknown }> } | null)?.typeCounts?.some(
          (count) => count?.type === "nil",
        ) === true
      ),
    })),
  );
}

/**
 * Decodes history rows with a user Schema (typed rows for users who name their keys); a row
 * that does not fit fails the stream with a `DecodeError` naming its step and key.
 *
 * @example
 * ```ts
 * import { Schema, Stream } from "effect";
 * import { decodeHistoryRows } from "@effect-wandb/api";
 * const LossRow = Schema.Struct({ _step: Schema.Number, loss: Schema.Number });
 * const typed = Stream.make({ _step: 0, loss: 1.5 }).pipe(decodeHistoryRows(LossRow));
 * ```
 */
export function decodeHistoryRows<A>(
  schema: Schema.Decoder<A>,
): <E, R>(rows: Stream.Stream<HistoryRow, E, R>) => Stream.Stream<A, E | DecodeError, R> {
  const decode = Schema.decodeUnknownEffect(schema);
  return (rows) =>
    Stream.mapEffect(rows, (row) =>
      decode(row).pipe(
        Effect.mapError((e) =>
          new DecodeError({
            operation: "decodeHistoryRows",
            path: `_step=${stepOf(row)}.${issuePath(e.issue)}`,
            message: e.message,
          })
        ),
      ));
}
