/**
 * Metric history: full scans as Streams (GraphQL step windows, or Parquet exports when the
 * server offers them), sampled history, system metrics, and multi-run histories.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import { BufferPool } from "../core/buffers.ts";
import { orderedFlatMap } from "../core/_retry_waits.ts";
import {
  DecodeError,
  InvalidArgumentError,
  type NotFoundError,
  type RequestError,
  type WandbError,
} from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import {
  checkWandbJsonBytes,
  HAS_NON_FINITE,
  type NonFiniteNumbers,
  parseWandbJson,
  printWandbJson,
  rewriteNonFiniteText,
} from "../core/wandb_json.ts";
import { runNotFound } from "../core/_not_found.ts";
import type { RangeDownload, WandbClient } from "../core/transport.ts";
import { issuePath } from "../core/_graphql_execution.ts";
import type { Run } from "../runs/decoders.ts";
import {
  type NdjsonBatch,
  NdjsonBuilder,
  pickNdjsonRows,
  readHistoryPageNdjson,
  releaseIndex,
  type RunTag,
  stepValue,
} from "./ndjson.ts";
import {
  type ParquetFile,
  parquetFile,
  parquetFooter,
  parquetFooterLength,
  readParquetHistoryJson,
  readParquetHistoryNdjson,
  readParquetHistorySlice,
  rowGroupByteRange,
  withRowGroupBytes,
} from "./parquet.ts";
import {
  badHistoryRow,
  type HistoryField,
  historyPageQuery,
  type HistoryRow,
  parquetHistoryQuery,
  parseHistoryRows,
  runEventsQuery,
  type RunFieldData,
  runFullHistoryQuery,
  runHistoryKeysQuery,
  runSampledHistoryQuery,
  sampledHistoryPageQuery,
} from "./queries.ts";

/** How {@link scanHistory} reads a run's full history. */
export type ScanMode = "auto" | "graphql" | "parquet";

/** Options of {@link scanHistory}. */
export interface ScanHistoryOptions {
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
   * How the JSON-text and NDJSON scans write `NaN`, `Infinity` and `-Infinity` (which W&B
   * stores for diverged metrics): see {@link NonFiniteNumbers}. `scanHistory` always yields the
   * JS numbers.
   * @default {"null"}
   */
  readonly nonFinite?: NonFiniteNumbers | undefined;
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

const runOf =
  <A>(operation: string, path: RunPath) =>
  (data: RunFieldData<A>): Effect.Effect<A, NotFoundError> =>
    data.project === null || data.project.run === null
      ? Effect.fail(runNotFound(operation, path))
      : Effect.succeed(data.project.run);

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

const stepOf = (row: HistoryRow): number => stepValue(row["_step"]);

/**
 * How a scan carries rows: parsed objects ({@link scanHistory}), the JSON text of each row
 * ({@link scanHistoryJson}) or NDJSON bytes ({@link scanHistoryNdjson}). Requests, windows,
 * order and de-duplication are the same for all three: each page or row group is read into a
 * `Source`, and the rows a scan keeps are picked out of it as `Out`s.
 */
interface RowFormat<Source, Out> {
  /** The rows of one `HistoryPage` window `[lo, hi)`. */
  readonly page: (
    client: WandbClient,
    path: RunPath,
    lo: number,
    hi: number,
  ) => Effect.Effect<Source, RequestError | NotFoundError>;
  /** Rows of a `sampledHistory` page: objects. */
  readonly fromObjects: (
    operation: string,
    at: string,
    rows: ReadonlyArray<unknown>,
  ) => Effect.Effect<Source, DecodeError>;
  /** Rows `[start, end)` of a Parquet export. */
  readonly fromParquet: (file: ParquetFile, start: number, end: number) => Promise<Source>;
  /** Each row's `_step`, or -1. */
  readonly steps: (source: Source) => ArrayLike<number>;
  /** What the stream emits for the rows at `indices`, in that order (all rows, when absent). */
  readonly pick: (
    source: Source,
    indices: ReadonlyArray<number> | undefined,
  ) => ReadonlyArray<Out>;
}

/** A `HistoryPage` window decoded as usual, its row strings handed to `fromStrings`. */
const decodedPage = <Source>(
  fromStrings: (
    operation: string,
    at: string,
    rows: ReadonlyArray<unknown>,
  ) => Effect.Effect<Source, DecodeError>,
) =>
(client: WandbClient, path: RunPath, lo: number, hi: number) =>
  client.execute(historyPageQuery(path, lo, hi, hi - lo)).pipe(
    Effect.flatMap(runOf("HistoryPage", path)),
    Effect.flatMap((run) => fromStrings("HistoryPage", "project.run.history", run.history)),
  );

const pickRows = <Row>(rows: ReadonlyArray<Row>, indices: ReadonlyArray<number> | undefined) =>
  indices === undefined ? rows : indices.map((i) => rows[i]!);

const objectRows: RowFormat<ReadonlyArray<HistoryRow>, HistoryRow> = {
  page: decodedPage(parseHistoryRows),
  fromObjects: parseHistoryRows,
  fromParquet: readParquetHistorySlice,
  steps: (rows) => rows.map(stepOf),
  pick: pickRows,
};

/** JSON text, each row's `NaN`/`±Infinity` written as `nonFinite` says. */
function jsonRows(nonFinite: NonFiniteNumbers): RowFormat<ReadonlyArray<string>, string> {
  return {
    page: decodedPage((operation, at, rows) => checkJsonRows(operation, at, rows, nonFinite)),
    fromObjects: (operation, at, rows) =>
      Effect.map(
        parseHistoryRows(operation, at, rows),
        (parsed) => parsed.map((row) => printWandbJson(row, nonFinite)),
      ),
    fromParquet: (file, start, end) => readParquetHistoryJson(file, start, end, nonFinite),
    steps: (rows) => rows.map(historyJsonStep),
    pick: pickRows,
  };
}

/**
 * NDJSON bytes, each row tagged with `tag` when given (the tag is written with the row), in
 * buffers from `pool` when given.
 */
function ndjsonRows(
  tag: RunTag | undefined,
  pool: BufferPool | undefined,
  nonFinite: NonFiniteNumbers,
): RowFormat<NdjsonBatch, Uint8Array> {
  const fromTexts = (
    operation: string,
    at: string,
    rows: ReadonlyArray<unknown>,
    text: (row: unknown) => string | undefined,
  ): Effect.Effect<NdjsonBatch, DecodeError> =>
    Effect.suspend(() => {
      const builder = new NdjsonBuilder(tag, rows.length * 256, rows.length, pool, nonFinite);
      for (let i = 0; i < rows.length; i++) {
        const row = text(rows[i]);
        if (row !== undefined) builder.appendText(row);
        if (row === undefined || !builder.finishRow()) {
          return Effect.fail(
            badHistoryRow(operation, at, i, builder.rejected?.text, builder.rejected?.offset),
          );
        }
      }
      return Effect.succeed(builder.build());
    });
  const fromStrings = (operation: string, at: string, rows: ReadonlyArray<unknown>) =>
    fromTexts(operation, at, rows, (row) => typeof row === "string" ? row : undefined);
  return {
    // The rows are read from the answer's bytes; an answer the reader does not take (a null
    // run, an error, a malformed row) is decoded as usual, which reports it.
    page: (client, path, lo, hi) =>
      client.executeReading(
        historyPageQuery(path, lo, hi, hi - lo),
        (body) => readHistoryPageNdjson(body, hi - lo, tag, pool, nonFinite),
      ).pipe(
        Effect.flatMap((answer) =>
          answer._tag === "Read"
            ? Effect.succeed(answer.value)
            : runOf<HistoryField>("HistoryPage", path)(answer.data).pipe(
              Effect.flatMap((run) =>
                fromStrings("HistoryPage", "project.run.history", run.history)
              ),
            )
        ),
      ),
    // Rows that are objects already (sampledHistory's) are printed with their tokens as W&B's:
    // the builder writes them as `nonFinite` says.
    fromObjects: (operation, at, rows) =>
      fromTexts(
        operation,
        at,
        rows,
        (row) => isHistoryObject(row) ? printWandbJson(row, "token") : undefined,
      ),
    fromParquet: (file, start, end) =>
      readParquetHistoryNdjson(file, start, end, tag, pool, nonFinite),
    steps: (batch) => batch.steps,
    pick: (batch, indices) => {
      if (indices !== undefined && indices.length === 0) {
        pool?.give(batch.bytes.buffer);
        releaseIndex(batch, pool);
        return [];
      }
      return [pickNdjsonRows(batch, indices, pool)];
    },
  };
}

const isHistoryObject = (u: unknown): u is HistoryRow =>
  typeof u === "object" && u !== null && !Array.isArray(u);

const isBlank = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

/** Whether a text is shaped like a JSON object: `{`, `}` first and last but for blanks. */
function isObjectText(text: string): boolean {
  let first = 0;
  let last = text.length - 1;
  while (first <= last && isBlank(text.charCodeAt(first))) first++;
  while (last > first && isBlank(text.charCodeAt(last))) last--;
  return text.charCodeAt(first) === 123 && text.charCodeAt(last) === 125 && first < last;
}

const textEncoder = new TextEncoder();
/** Where {@link checkJsonRows} puts a row's bytes to check them; grown as rows need. */
let checkBuffer = new Uint8Array(4096);

/**
 * Keeps `history` rows as the JSON text the server sent, checking each is a string holding an
 * object of W&B's JSON (checked as bytes: a parse is what this path exists to skip) and
 * writing its `NaN`/`±Infinity` tokens as `nonFinite` says; rows reach the output otherwise as
 * sent.
 */
function checkJsonRows(
  operation: string,
  at: string,
  rows: ReadonlyArray<unknown>,
  nonFinite: NonFiniteNumbers,
): Effect.Effect<ReadonlyArray<string>, DecodeError> {
  return Effect.suspend(() => {
    let out: Array<string> | undefined;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (typeof row !== "string") {
        return Effect.fail(badHistoryRow(operation, at, i, undefined));
      }
      // UTF-16 to UTF-8 takes at most 3 bytes per code unit.
      if (checkBuffer.length < row.length * 3) checkBuffer = new Uint8Array(row.length * 6);
      const length = textEncoder.encodeInto(row, checkBuffer).written;
      const checked = isObjectText(row) ? checkWandbJsonBytes(checkBuffer, 0, length) : -1;
      if (checked < 0) {
        const bytes = -1 - checked;
        const offset = new TextDecoder().decode(checkBuffer.subarray(0, bytes)).length;
        return Effect.fail(badHistoryRow(operation, at, i, row, offset));
      }
      if ((checked & HAS_NON_FINITE) !== 0 && nonFinite !== "token") {
        out ??= rows.slice(0, i) as Array<string>;
        out.push(rewriteNonFiniteText(row, nonFinite));
      } else {
        out?.push(row);
      }
    }
    return Effect.succeed(out ?? rows as ReadonlyArray<string>);
  });
}

const leadingStep = '{"_step":';

/**
 * The `_step` of a row given as JSON text, or -1 when it has none. Rows W&B stores begin with
 * `{"_step":<integer>`: that is read in place; any other shape is parsed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { historyJsonStep } from "@effect-wandb/api";
 * assert.ok(historyJsonStep('{"_step":42,"loss":0.5}') === 42);
 * assert.ok(historyJsonStep('{"loss": 0.5, "_step": 7}') === 7);
 * assert.ok(historyJsonStep('{"loss":0.5}') === -1);
 * ```
 */
export function historyJsonStep(text: string): number {
  if (text.startsWith(leadingStep)) {
    let step = 0;
    let i = leadingStep.length;
    const digitsFrom = i;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 48 || code > 57) break;
      step = step * 10 + (code - 48);
    }
    const next = text.charCodeAt(i);
    if (i > digitsFrom && i - digitsFrom < 16 && (next === 44 || next === 125)) return step;
  }
  try {
    return stepValue(parseWandbJson(text)?._step);
  } catch {
    return -1;
  }
}

/**
 * Rows of one response or row group, with their steps (read once: a step costs a scan of the
 * row's text on the JSON path, and ordering and de-duplication both need it) and the step the
 * rows must stay below.
 */
interface Batch<Source> {
  readonly source: Source;
  readonly steps: ArrayLike<number>;
  /** Rows at or above this step belong to a later part of the scan. */
  readonly end: number;
}

const batchOf = <Source, Out>(
  format: RowFormat<Source, Out>,
  source: Source,
  end: number,
): Batch<Source> => ({ source, steps: format.steps(source), end });

/**
 * The rows of the batches whose step is inside `[lo, hi)`, below the batch's end and above every
 * step already emitted, in step order. Servers send rows sorted: the sort usually only checks.
 */
function strictlyIncreasing<Source, Out, E, R>(
  format: RowFormat<Source, Out>,
  batches: Stream.Stream<Batch<Source>, E, R>,
  lo: number,
  hi: number,
): Stream.Stream<Out, E, R> {
  return Stream.suspend(() => {
    let last = -Infinity;
    return Stream.flatMap(batches, ({ source, steps, end }) => {
      const keys = sortKeys(steps);
      let order: ReadonlyArray<number> | undefined;
      for (let i = 1; i < keys.length && order === undefined; i++) {
        if (keys[i - 1]! > keys[i]!) {
          order = Array.from(keys, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
        }
      }
      const below = Math.min(hi, end);
      // The usual page keeps every row in the order sent: no list of indices is made for it.
      let kept: Array<number> | undefined = order === undefined ? undefined : [];
      for (let k = 0; k < steps.length; k++) {
        const i = order === undefined ? k : order[k]!;
        const step = steps[i]!;
        // A row without a step cannot be placed or de-duplicated by it: it is kept where the
        // server put it, as the official client yields it, rather than dropped.
        if (step === noStep) {
          kept?.push(i);
          continue;
        }
        if (step < lo || step >= below || step <= last) {
          kept ??= Array.from({ length: k }, (_, j) => j);
          continue;
        }
        last = step;
        kept?.push(i);
      }
      return Stream.fromIterable(format.pick(source, kept));
    });
  });
}

/** The step the readers give a row without one. */
const noStep = -1;

/**
 * The keys rows are ordered by: their steps, a row without one taking the highest step sent
 * before it (so it stays after the rows the server sent before it).
 */
function sortKeys(steps: ArrayLike<number>): ArrayLike<number> {
  let keys: Float64Array | undefined;
  let highest = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step === noStep) {
      keys ??= Float64Array.from(steps);
      keys[i] = highest;
    } else if (step > highest) {
      highest = step;
    }
  }
  return keys ?? steps;
}

/** `[start, end)` cut into pieces of at most `size`: step windows, row-group slices. */
function slices(start: number, end: number, size: number): Array<readonly [number, number]> {
  const pieces: Array<readonly [number, number]> = [];
  for (let from = start; from < end; from += size) pieces.push([from, Math.min(end, from + size)]);
  return pieces;
}

/** One GraphQL window `[lo, hi)`. */
function fetchWindow<Source, Out>(
  format: RowFormat<Source, Out>,
  client: WandbClient,
  path: RunPath,
  keys: ReadonlyArray<string> | undefined,
  lo: number,
  hi: number,
): Effect.Effect<Batch<Source>, RequestError | NotFoundError> {
  const rows = keys === undefined
    ? format.page(client, path, lo, hi)
    // sampledHistory's maxStep is inclusive on the real server (wandb-core sends maxStep - 1);
    // the Python client sends the exclusive bound and can repeat the boundary row. We send
    // hi - 1, and strictlyIncreasing() drops a repeat if a server treats it as exclusive.
    : client.execute(
      sampledHistoryPageQuery(path, { keys, minStep: lo, maxStep: hi - 1, samples: hi - lo }),
    ).pipe(
      Effect.flatMap(runOf("SampledHistoryPage", path)),
      Effect.flatMap((run) =>
        format.fromObjects(
          "SampledHistoryPage",
          "project.run.sampledHistory.0",
          run.sampledHistory[0] ?? [],
        )
      ),
    );
  return Effect.map(rows, (source) => batchOf(format, source, hi));
}

function graphqlScan<Source, Out>(
  format: RowFormat<Source, Out>,
  client: WandbClient,
  path: RunPath,
  keys: ReadonlyArray<string> | undefined,
  lo: number,
  hi: number,
  pageSize: number,
  concurrency: number,
): Stream.Stream<Batch<Source>, RequestError | NotFoundError> {
  return Stream.fromIterable(slices(lo, hi, pageSize)).pipe(
    // Ordered: at most `concurrency` windows are in flight or waiting to be emitted.
    Stream.mapEffect(([a, b]) => fetchWindow(format, client, path, keys, a, b), { concurrency }),
  );
}

const parquetDownload = { operation: "GET parquet history", authenticated: false } as const;

const unreadable = (what: string, error: unknown) =>
  new DecodeError({
    operation: parquetDownload.operation,
    path: what.startsWith("http") ? new URL(what).pathname : what,
    message: `Cannot read the Parquet export: ${String(error)}`,
  });

/** The last bytes fetched first: enough for the metadata of all but very wide files. */
const footerGuess = 64 * 1024;

/**
 * Opens a Parquet export by its metadata: its last bytes, fetched by range (a second request
 * when the metadata is larger than the first guess). A server that ignores ranges sends the
 * whole file, which is then read as it is. Signed URLs are fetched without our credentials:
 * the key never reaches storage.
 */
function openParquetExport(
  client: WandbClient,
  url: string,
): Effect.Effect<ParquetFile, RequestError> {
  const footerOf = (tail: RangeDownload) =>
    Effect.tryPromise({
      try: () =>
        tail.start === 0 && tail.bytes.length === tail.totalSize
          ? parquetFile(tail.bytes)
          : parquetFooter(tail.bytes, tail.totalSize),
      catch: (e) => unreadable(url, e),
    });
  return client.downloadRange(url, { suffix: footerGuess }, parquetDownload).pipe(
    Effect.flatMap((tail) =>
      Effect.try({ try: () => parquetFooterLength(tail.bytes), catch: (e) => unreadable(url, e) })
        .pipe(
          Effect.flatMap((needed) =>
            needed <= tail.bytes.length
              ? footerOf(tail)
              : client.downloadRange(url, { suffix: needed }, parquetDownload).pipe(
                Effect.flatMap(footerOf),
              )
          ),
        )
    ),
  );
}

/** Row group `index` of an export, ready to decode: fetched by range unless the file is whole. */
function rowGroupOf(
  client: WandbClient,
  url: string,
  file: ParquetFile,
  index: number,
): Effect.Effect<ParquetFile, RequestError> {
  if (file.source instanceof ArrayBuffer) return Effect.succeed(file);
  const [start, end] = rowGroupByteRange(file, index);
  // A row group without bytes (no rows, or no column metadata) has nothing to fetch.
  if (end <= start) return Effect.succeed(withRowGroupBytes(file, new Uint8Array(0), start));
  return client.downloadRange(url, { start, end }, parquetDownload).pipe(
    Effect.map((group) => withRowGroupBytes(file, group.bytes, group.start)),
  );
}

/** The Parquet export of a run, when the server has one. */
interface ParquetExport {
  readonly urls: ReadonlyArray<string>;
  /** The first step not in the export (live rows are fetched with GraphQL from here). */
  readonly firstLiveStep: number | undefined;
}

function parquetExport(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<ParquetExport, RequestError | NotFoundError> {
  return client.execute(parquetHistoryQuery(path)).pipe(
    Effect.flatMap(runOf("RunParquetHistory", path)),
    Effect.map(({ parquetHistory }) => {
      const live = parquetHistory.liveData.map(stepOf).filter((s) => s >= 0);
      return {
        urls: parquetHistory.parquetUrls,
        firstLiveStep: live.length === 0 ? undefined : Math.min(...live),
      };
    }),
  );
}

/**
 * Runs requests against a signed URL, asking the server to sign it again when storage refuses
 * it: a long export read by range can outlive its URL (storage answers 403, or 400 on GCS).
 * The fresh URL is the one naming the same object; without one, the refusal stands.
 */
function resigning(
  client: WandbClient,
  path: RunPath,
  first: string,
): <A>(
  use: (url: string) => Effect.Effect<A, RequestError>,
) => Effect.Effect<A, RequestError | NotFoundError> {
  const objectOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  };
  let current = first;
  return (use) =>
    Effect.suspend(() => use(current)).pipe(
      Effect.catchIf(
        (error) =>
          error._tag === "PermissionError" ||
          (error._tag === "ServerError" && error.status === 400),
        (refused) =>
          Effect.flatMap(parquetExport(client, path), ({ urls }) => {
            const again = urls.find((url) => objectOf(url) === objectOf(first));
            if (again === undefined) return Effect.fail(refused);
            current = again;
            return use(again);
          }),
      ),
    );
}

/**
 * Rows decoded from a Parquet row group at once: ten pages' worth, so that the exports we know
 * (row groups of a few thousand rows) are decoded whole, and a larger group in pieces.
 */
const parquetSliceRows = (pageSize: number): number => 10 * pageSize;

function parquetScan<Source, Out>(
  format: RowFormat<Source, Out>,
  client: WandbClient,
  path: RunPath,
  exported: ParquetExport,
  lo: number,
  hi: number,
  pageSize: number,
  concurrency: number,
): Stream.Stream<Batch<Source>, RequestError | NotFoundError> {
  const exportedEnd = exported.firstLiveStep ?? hi;
  // Files one after the other; in each, row groups fetched by HTTP range, `concurrency - 1` at
  // a time (at least one): memory holds a row group or two per run, never a whole export,
  // however long the run.
  const files = Stream.fromIterable(exported.urls).pipe(
    Stream.flatMap((url) => {
      const signed = resigning(client, path, url);
      return Stream.unwrap(
        Effect.map(
          signed((u) => openParquetExport(client, u)),
          (file) =>
            Stream.fromIterable(file.rowGroups.map((rows, index) => ({ rows, index }))).pipe(
              Stream.mapEffect(
                ({ rows: [start, end], index }) =>
                  signed((u) => rowGroupOf(client, u, file, index)).pipe(
                    Effect.flatMap((group) => {
                      const decode = (from: number, to: number) =>
                        Effect.tryPromise({
                          try: () => format.fromParquet(group, from, to),
                          catch: (e) => unreadable(url, e),
                        }).pipe(Effect.map((rows) => batchOf(format, rows, exportedEnd)));
                      // Decoded a slice at a time when it is large: an export that puts a long
                      // run in one row group (a writer's default can be a million rows) then
                      // costs a slice of rows, not the run. A usual group is decoded here, whole.
                      const sliceRows = parquetSliceRows(pageSize);
                      return end - start <= sliceRows
                        ? Effect.map(decode(start, end), (batch) => Stream.make(batch))
                        : Effect.succeed(
                          Stream.fromIterable(slices(start, end, sliceRows)).pipe(
                            Stream.mapEffect(([from, to]) => decode(from, to)),
                          ),
                        );
                    }),
                  ),
                // A row group holds several pages' rows: one fewer in flight than windows
                // (with the defaults, one per run; the other runs keep the connection busy).
                { concurrency: Math.max(1, concurrency - 1) },
              ),
              Stream.flatten(),
            ),
        ),
      );
    }),
  );
  const live = exportedEnd < hi
    ? graphqlScan(
      format,
      client,
      path,
      undefined,
      Math.max(lo, exportedEnd),
      hi,
      pageSize,
      concurrency,
    )
    : Stream.empty;
  return Stream.concat(files, live);
}

/**
 * Every history row of a run, in step order, each exactly once (Python's `run.scan_history`).
 *
 * Requests: one `RunHistoryKeys` for the last step, then either step windows
 * `[lo, lo + pageSize)` (`HistoryPage`, or `SampledHistoryPage` with `keys`), or the Parquet
 * export plus GraphQL windows for the steps not exported yet. Windows are fetched `concurrency`
 * at a time, in order, only as the stream is pulled: `Stream.take` stops the requests. Memory:
 * at most `concurrency` windows (or Parquet row groups, read by HTTP range) of rows. Empty
 * windows do not end the scan.
 * Each request is retried on its own (429s slow the scan down; they do not fail it); the stream
 * fails with the first error that is not retryable or outlasts the retry schedule.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { scanHistory, type WandbClient } from "@effect-wandb/api";
 * const losses = (client: WandbClient) =>
 *   scanHistory(client, { entity: "acme", project: "mnist", runId: "abc" }, { keys: ["loss"] }).pipe(
 *     Stream.map((row) => row.loss),
 *     Stream.runCollect,
 *   );
 * ```
 */
export function scanHistory(
  client: WandbClient,
  path: RunPath,
  options?: ScanHistoryOptions,
): Stream.Stream<HistoryRow, WandbError> {
  return scan(objectRows, client, path, options);
}

/**
 * Every history row of a run as JSON text, in step order, each exactly once: the rows of
 * {@link scanHistory} (`JSON.parse(line)` equals its row), with the same requests, options and
 * memory bounds, but without a row object per row. GraphQL rows are passed on as the server sent
 * them (checked to be object-shaped, not parsed); Parquet rows are printed from decoded columns.
 * The fast way to NDJSON: pipe it into {@link writeJsonLines}.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { scanHistoryJson, type WandbClient, writeJsonLines } from "@effect-wandb/api";
 * const toNdjson = (client: WandbClient) =>
 *   writeJsonLines(
 *     "history.ndjson",
 *     scanHistoryJson(client, { entity: "acme", project: "mnist", runId: "abc" }),
 *   );
 * ```
 */
export function scanHistoryJson(
  client: WandbClient,
  path: RunPath,
  options?: ScanHistoryOptions,
): Stream.Stream<string, WandbError> {
  return scan(jsonRows(options?.nonFinite ?? "null"), client, path, options);
}

/**
 * A scan's own pool: room for a chunk and its scratch arrays per page in flight, which the
 * `Api`-wide request limit bounds, so a few MB serve a whole export.
 */
const scanPool = (): BufferPool => new BufferPool(32);

/** Options of {@link scanHistoryNdjson}: those of {@link scanHistory}, and its buffers. */
export interface NdjsonScanOptions extends ScanHistoryOptions {
  /**
   * The pool the chunks' buffers are taken from. By default each scan has a pool of its own,
   * and `writeBytes` gives every chunk back to it once written, so an export reuses a few
   * buffers instead of leaving one per page for the garbage collector. A consumer that keeps
   * chunks simply never gives them back: a chunk is only reused once given back
   * (`BufferPool.giveBack(chunk.buffer)` or `pool.give(chunk.buffer)`).
   */
  readonly buffers?: BufferPool | undefined;
}

/**
 * Every history row of a run as NDJSON bytes, in step order, each exactly once: the rows of
 * {@link scanHistoryJson}, each followed by `\n`, emitted a page or Parquet row group at a time
 * (one `Uint8Array` of whole lines per chunk). GraphQL rows go from the answer's bytes to the
 * output's without becoming strings; Parquet rows are printed from decoded columns. Same
 * requests, options, order and memory bounds as {@link scanHistory}; the export path that makes
 * the least garbage, the least of all with a `buffers` pool. Write it with {@link writeBytes},
 * or serve it as a `Response`.
 *
 * @example
 * ```ts
 * import { BufferPool, scanHistoryNdjson, type WandbClient, writeBytes } from "@effect-wandb/api";
 * const toNdjson = (client: WandbClient) => {
 *   const pool = new BufferPool(8);
 *   const run = { entity: "acme", project: "mnist", runId: "abc" };
 *   return writeBytes("history.ndjson", scanHistoryNdjson(client, run, { buffers: pool }), {
 *     recycle: pool,
 *   });
 * };
 * ```
 */
export function scanHistoryNdjson(
  client: WandbClient,
  path: RunPath,
  options?: NdjsonScanOptions,
): Stream.Stream<Uint8Array, WandbError> {
  return scan(
    ndjsonRows(undefined, options?.buffers ?? scanPool(), options?.nonFinite ?? "null"),
    client,
    path,
    options,
  );
}

function scan<Source, Out>(
  format: RowFormat<Source, Out>,
  client: WandbClient,
  path: RunPath,
  options: ScanHistoryOptions | undefined,
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
    // A Parquet cell cannot tell a logged `null` from a key the step never logged (both are
    // null cells, read as absent), while GraphQL rows keep `"x": null`: "auto" stays on GraphQL
    // for a run that logged nulls, so the path it picks never changes the rows.
    // "auto" takes the export when it pays: a run of a page or two is as many GraphQL requests
    // as the export's footer and row group, and a GraphQL page costs less to decode.
    const useParquet = wantsParquet && exported !== undefined &&
      (mode === "parquet" ||
        (exported.urls.length > 0 && !loggedNull && hi - lo > 2 * pageSize));
    const rows = useParquet
      ? parquetScan(format, client, path, exported, lo, hi, pageSize, concurrency)
      : graphqlScan(format, client, path, keys, lo, hi, pageSize, concurrency);
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

/** Options of {@link history}. */
export interface HistoryOptions {
  /**
   * How many rows to sample. Required: W&B silently samples 500 rows by default, which surprises
   * everyone (wandb/wandb#1783); here the count is always explicit.
   */
  readonly samples: number;
  /** Only rows holding every key (plus the x axis), with only those keys. */
  readonly keys?: ReadonlyArray<string> | undefined;
  /**
   * The x-axis key added to `keys`.
   * @default {"_step"}
   */
  readonly xAxis?: string | undefined;
  /**
   * `"default"` for logged metrics, `"system"` for system metrics (`events`).
   * @default {"default"}
   */
  readonly stream?: "default" | "system" | undefined;
}

/**
 * A sample of a run's history (Python's `run.history(samples, keys, x_axis, stream)`): one
 * request, at most `samples` rows spread over the whole run, in step order.
 *
 * @example
 * ```ts
 * import { history, type WandbClient } from "@effect-wandb/api";
 * const sample = (client: WandbClient) =>
 *   history(client, { entity: "acme", project: "mnist", runId: "abc" }, { samples: 100, keys: ["loss"] });
 * ```
 */
export function history(
  client: WandbClient,
  path: RunPath,
  options: HistoryOptions,
): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError> {
  return Effect.gen(function* () {
    yield* checkInt("samples", options.samples, 1);
    const stream = options.stream ?? "default";
    if (stream === "system") {
      if (options.keys !== undefined) {
        return yield* Effect.fail(
          invalid("keys", options.keys, "System metrics cannot be selected by keys"),
        );
      }
      return yield* client.execute(runEventsQuery(path, options.samples)).pipe(
        Effect.flatMap(runOf("RunFullHistory", path)),
        Effect.flatMap((run) =>
          parseHistoryRows("RunFullHistory", "project.run.events", run.events)
        ),
      );
    }
    if (options.keys !== undefined) {
      const xAxis = options.xAxis ?? "_step";
      const keys = [xAxis, ...options.keys.filter((k) => k !== xAxis)];
      return yield* client.execute(
        runSampledHistoryQuery(path, [{ keys, samples: options.samples }]),
      ).pipe(
        Effect.flatMap(runOf("RunSampledHistory", path)),
        Effect.flatMap((run) =>
          parseHistoryRows(
            "RunSampledHistory",
            "project.run.sampledHistory.0",
            run.sampledHistory[0] ?? [],
          )
        ),
      );
    }
    return yield* client.execute(runFullHistoryQuery(path, options.samples)).pipe(
      Effect.flatMap(runOf("RunFullHistory", path)),
      Effect.flatMap((run) =>
        parseHistoryRows("RunFullHistory", "project.run.history", run.history)
      ),
    );
  });
}

/**
 * A sample of a run's system metrics (CPU, memory, GPU…): `history` on the system stream.
 *
 * @example
 * ```ts
 * import { systemMetrics, type WandbClient } from "@effect-wandb/api";
 * const sample = (client: WandbClient) =>
 *   systemMetrics(client, { entity: "acme", project: "mnist", runId: "abc" }, { samples: 100 });
 * ```
 */
export function systemMetrics(
  client: WandbClient,
  path: RunPath,
  options: { readonly samples: number },
): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError> {
  return history(client, path, { samples: options.samples, stream: "system" });
}

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
   * into memory (a few windows or row groups each). By default enough runs to fill the `Api`'s
   * request limit with their windows (`concurrency / windows`: 8 with the defaults). A run whose
   * requests wait to retry (a 429's `RateLimit-Reset`) steps aside for another meanwhile, so
   * more may be started (at most eight times as many), this many at work.
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
 * import { histories, type Run, type WandbClient } from "@effect-wandb/api";
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
      { concurrency: options.runConcurrency ?? client.config.concurrency },
    ),
    Stream.flatMap((rows) => Stream.fromIterable(rows)),
  );
}

/**
 * Full histories of many runs, each row tagged with `run_id` and `run_path`: `scanHistory` for
 * every run of a stream, `runConcurrency` runs at a time (each with its own window
 * concurrency), all under the `Api`-wide request limit.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type Run, scanHistories, type WandbClient } from "@effect-wandb/api";
 * const all = (client: WandbClient, runs: Stream.Stream<Run>) =>
 *   scanHistories(client, runs, { runConcurrency: 8 });
 * ```
 */
export function scanHistories<E, R>(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options?: ScanHistoryOptions & MultiRunOptions,
): Stream.Stream<TaggedHistoryRow, E | WandbError, R> {
  return eachRun(
    client,
    runs,
    options,
    (run) => scanHistory(client, runPathOf(run), options).pipe(Stream.map(tag(run))),
  );
}

/**
 * Enough runs to fill the `Api`'s request limit with each run's windows, and no more: more runs
 * would not go faster (they wait for the same permits) but would each hold a buffered chunk.
 */
const defaultRunConcurrency = (
  client: WandbClient,
  options: { readonly concurrency?: number | undefined } | undefined,
): number => Math.max(1, Math.ceil(client.config.concurrency / (options?.concurrency ?? 2)));

/**
 * The streams of every run one after another, `runConcurrency` runs read at a time; a run whose
 * requests all wait to retry (a 429's `RateLimit-Reset`, a back-off) steps aside for the next
 * run meanwhile.
 */
function eachRun<A, E, R>(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options: (MultiRunOptions & { readonly concurrency?: number | undefined }) | undefined,
  scanRun: (run: Run) => Stream.Stream<A, WandbError>,
): Stream.Stream<A, E | WandbError, R> {
  return orderedFlatMap(
    runs,
    options?.runConcurrency ?? defaultRunConcurrency(client, options),
    scanRun,
  );
}

/**
 * Appends `run_id` and `run_path` to a row given as JSON text (the text form of
 * {@link TaggedHistoryRow}), without parsing it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tagHistoryJson } from "@effect-wandb/api";
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

/**
 * Full histories of many runs as JSON text, each row tagged with `run_id` and `run_path`:
 * {@link scanHistoryJson} for every run of a stream, `runConcurrency` runs at a time, under the
 * `Api`-wide request limit. `JSON.parse` of each line equals the row {@link scanHistories} gives.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type Run, scanHistoriesJson, type WandbClient, writeJsonLines } from "@effect-wandb/api";
 * const exportAll = (client: WandbClient, runs: Stream.Stream<Run>) =>
 *   writeJsonLines("histories.ndjson", scanHistoriesJson(client, runs, { runConcurrency: 8 }));
 * ```
 */
export function scanHistoriesJson<E, R>(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options?: ScanHistoryOptions & MultiRunOptions,
): Stream.Stream<string, E | WandbError, R> {
  return eachRun(
    client,
    runs,
    options,
    (run) => scanHistoryJson(client, runPathOf(run), options).pipe(Stream.map(tagHistoryJson(run))),
  );
}

/**
 * Full histories of many runs as NDJSON bytes, each row tagged with `run_id` and `run_path`:
 * {@link scanHistoryNdjson} for every run of a stream, `runConcurrency` runs at a time, under
 * the `Api`-wide request limit. Each line parses to the row {@link scanHistories} gives; a
 * chunk holds whole lines of one run. With a `buffers` pool, see {@link NdjsonScanOptions}.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import {
 *   BufferPool,
 *   type Run,
 *   scanHistoriesNdjson,
 *   type WandbClient,
 *   writeBytes,
 * } from "@effect-wandb/api";
 * const exportAll = (client: WandbClient, runs: Stream.Stream<Run>) => {
 *   const pool = new BufferPool(32);
 *   const chunks = scanHistoriesNdjson(client, runs, { runConcurrency: 8, buffers: pool });
 *   return writeBytes("histories.ndjson", chunks, { recycle: pool });
 * };
 * ```
 */
export function scanHistoriesNdjson<E, R>(
  client: WandbClient,
  runs: Stream.Stream<Run, E, R>,
  options?: NdjsonScanOptions & MultiRunOptions,
): Stream.Stream<Uint8Array, E | WandbError, R> {
  const buffers = options?.buffers ?? scanPool();
  return eachRun(
    client,
    runs,
    options,
    (run) =>
      scan(
        ndjsonRows({ id: run.id, path: run.path }, buffers, options?.nonFinite ?? "null"),
        client,
        runPathOf(run),
        options,
      ),
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
