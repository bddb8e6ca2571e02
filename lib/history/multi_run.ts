/**
 * Histories of many runs: sampled (Python's `Runs.histories`) or full, every row tagged with
 * `run_id` and `run_path`, the runs one after another in the order given while several are read
 * at once.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { orderedFlatMap } from "../core/_retry_waits.ts";
import type { WandbError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import type { Run } from "../runs/decoders.ts";
import { isBlank, scanPool } from "./formats.ts";
import type { HistoryRow } from "./queries.ts";
import { history, type HistoryOptions } from "./sampled.ts";
import { type HistoryFormat, rowFormat, type ScanHistoryOptions, scanRun } from "./scan.ts";

/** A history row tagged with the run it came from. */
export type TaggedHistoryRow = HistoryRow & {
  /** The run id (Python's `run_id` column of `Runs.histories`). */
  readonly run_id: string;
  /** `entity/project/runId`. */
  readonly run_path: string;
};

const tag = (run: Run) => (row: HistoryRow): TaggedHistoryRow => ({
  ...row,
  run_id: run.id,
  run_path: run.path,
});

const runPathOf = (run: Run): RunPath => ({
  entity: run.entity,
  project: run.project,
  runId: run.id,
});

/** Options of {@link histories} and {@link scanHistories}: how many runs at once. */
export interface MultiRunOptions {
  /**
   * Runs read at once. The rows come run after run in the order of the runs given, each run's
   * in step order, the same on every scan: the runs after the one being emitted read ahead
   * into memory (a few windows, or a Parquet export's bytes, decoded only once the run is the
   * one being emitted). By default enough runs to fill the `Api`'s request limit with their
   * windows (`concurrency / windows`: 8 with the defaults). A run whose requests wait to retry
   * (a 429's `RateLimit-Reset`) steps aside for another meanwhile, so more may be started (at
   * most eight times as many), this many at work.
   * @default {8}
   */
  readonly runConcurrency?: number | undefined;
}

/**
 * Sampled histories of many runs (Python's `Runs.histories`), each row tagged with `run_id`
 * and `run_path`. One request per run, `runConcurrency` at a time, runs in input order.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type Run } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { histories } from "@effect-wandb/api/history";
 * const all = (client: WandbClient, runs: Stream.Stream<Run>) =>
 *   histories(client, runs, { samples: 100, keys: ["loss"] });
 * ```
 */
export function histories<E, R>(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options: HistoryOptions & MultiRunOptions,
): Stream.Stream<TaggedHistoryRow, E | WandbError, R> {
  return runs.pipe(
    Stream.mapEffect(
      (run) => Effect.map(history(client, runPathOf(run), options), (rows) => rows.map(tag(run))),
      { concurrency: options.runConcurrency ?? defaultRunConcurrency(client, undefined) },
    ),
    Stream.flatMap((rows) => Stream.fromIterable(rows)),
  );
}

/**
 * The shapes of {@link scanHistories}' rows, by the name of its `format`: records tagged with
 * `run_id` and `run_path`, or their JSON text or NDJSON bytes, tagged the same way.
 */
export interface TaggedHistoryFormats {
  readonly records: TaggedHistoryRow;
  readonly json: string;
  readonly ndjson: Uint8Array;
}

/**
 * Full histories of many runs (`scanHistory` for each run of a stream), each row tagged with
 * `run_id` and `run_path`, in the `format` asked for: the runs one after another in the order
 * given, each run's rows in step order, `runConcurrency` runs read at once (each with its own
 * window concurrency), all under the `Api`-wide request limit. A `"ndjson"` chunk holds whole
 * lines of one run; the tags are written into the lines as they are copied, not appended after.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type Run, writeBytes } from "@effect-wandb/api";
 * import type { WandbClient } from "@effect-wandb/api/graphql";
 * import { scanHistories } from "@effect-wandb/api/history";
 * const exportAll = (client: WandbClient, runs: Stream.Stream<Run>) =>
 *   writeBytes("histories.ndjson", scanHistories(client, runs, { format: "ndjson", runConcurrency: 8 }));
 * ```
 */
export function scanHistories<E, R, F extends HistoryFormat = "records">(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options?: ScanHistoryOptions<F> & MultiRunOptions,
): Stream.Stream<TaggedHistoryFormats[F], E | WandbError, R> {
  const format = options?.format ?? "records";
  // One pool for every run's chunks, unless the caller gave one.
  const shared = format === "ndjson" && options?.buffers === undefined
    ? { ...options, buffers: scanPool() }
    : options;
  const scanOne = (run: Run): Stream.Stream<TaggedHistoryFormats[F], WandbError> => {
    if (format === "records") {
      return scanRun(rowFormat(shared, undefined), client, runPathOf(run), shared).pipe(
        Stream.map((row) => tag(run)(row as HistoryRow)),
      ) as Stream.Stream<TaggedHistoryFormats[F], WandbError>;
    }
    if (format === "json") {
      return scanRun(rowFormat(shared, undefined), client, runPathOf(run), shared).pipe(
        Stream.map((text) => tagHistoryJson(run)(text as string)),
      ) as Stream.Stream<TaggedHistoryFormats[F], WandbError>;
    }
    // NDJSON: the tags are written with each row as it is copied out of the answer.
    return scanRun(
      rowFormat(shared, { id: run.id, path: run.path }),
      client,
      runPathOf(run),
      shared,
    ) as Stream.Stream<TaggedHistoryFormats[F], WandbError>;
  };
  const active = options?.runConcurrency ?? defaultRunConcurrency(client, options);
  return orderedFlatMap(
    runs,
    active,
    scanOne,
    // NDJSON chunks are a row group's rows each (a MB or so): the runs ahead hold 8 MiB of them
    // between them, not a count of chunks that held 35 MB when the groups were large.
    format === "ndjson"
      ? { room: aheadBytes, weigh: (chunk) => (chunk as Uint8Array).byteLength }
      : { room: 4 * active },
  );
}

/** What the runs ahead of the one being written out may hold of NDJSON between them. */
const aheadBytes = 8 * 1024 * 1024;

/**
 * Enough runs to fill the `Api`'s request limit with each run's windows, and no more: more runs
 * would not go faster (they wait for the same permits) but would each hold buffered chunks.
 */
const defaultRunConcurrency = (
  client: WandbClient,
  options: { readonly concurrency?: number | undefined } | undefined,
): number => Math.max(1, Math.ceil(client.config.concurrency / (options?.concurrency ?? 2)));

/**
 * Appends `run_id` and `run_path` to a row given as JSON text (the text form of
 * {@link TaggedHistoryRow}), without parsing it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tagHistoryJson } from "@effect-wandb/api/history";
 * const tag = tagHistoryJson({ id: "abc", path: "acme/mnist/abc" });
 * assert.ok(tag('{"_step":1}') === '{"_step":1,"run_id":"abc","run_path":"acme/mnist/abc"}');
 * assert.ok(tag("{}") === '{"run_id":"abc","run_path":"acme/mnist/abc"}');
 * ```
 */
export function tagHistoryJson(
  run: { readonly id: string; readonly path: string },
): (line: string) => string {
  const tags = `"run_id":${JSON.stringify(run.id)},"run_path":${JSON.stringify(run.path)}}`;
  return (line) => {
    const close = line.lastIndexOf("}");
    let open = close - 1;
    while (open > 0 && isBlank(line.charCodeAt(open))) open--;
    // `{}` (or `{ }`) takes the tags alone; any other object gets them after a comma.
    return line.charCodeAt(open) === 123
      ? line.slice(0, open + 1) + tags
      : line.slice(0, close) + "," + tags;
  };
}
