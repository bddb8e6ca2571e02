/**
 * The three shapes a history scan gives the same rows in: parsed records, each row's JSON text,
 * or NDJSON bytes. Requests, windows, order and de-duplication are the same for all three (see
 * `windows.ts`): each page or row group is read into a format's `Source`, and the rows a scan
 * keeps are picked out of it.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { BufferPool } from "../core/buffers.ts";
import type { DecodeError, NotFoundError, RequestError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import {
  checkWandbJsonBytes,
  HAS_NON_FINITE,
  rewriteNonFiniteText,
} from "../core/wandb_json_bytes.ts";
import { type NonFiniteNumbers, parseWandbJson, printWandbJson } from "../core/wandb_json.ts";
import { runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
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
  readParquetHistoryJson,
  readParquetHistoryNdjson,
  readParquetHistorySlice,
} from "./parquet.ts";
import {
  badHistoryRow,
  type HistoryField,
  historyPageQuery,
  type HistoryRow,
  parseHistoryRows,
  type RunFieldData,
} from "./queries.ts";

/** The run of an answer, or a `NotFoundError` naming it. */
export const runOf =
  <A>(operation: string, path: RunPath) =>
  (data: RunFieldData<A>): Effect.Effect<A, NotFoundError> =>
    data.project === null || data.project.run === null
      ? Effect.fail(runNotFound(operation, path))
      : Effect.succeed(data.project.run);

/** A row's `_step`, or -1. */
export const stepOf = (row: HistoryRow): number => stepValue(row["_step"]);

/**
 * How a scan carries rows: parsed objects ({@link scanHistory}), the JSON text of each row
 * (`format: "json"`) or NDJSON bytes (`format: "ndjson"`). Requests, windows,
 * order and de-duplication are the same for all three: each page or row group is read into a
 * `Source`, and the rows a scan keeps are picked out of it as `Out`s.
 */
export interface RowFormat<Source, Out> {
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

/** Parsed records. */
export const objectRows: RowFormat<ReadonlyArray<HistoryRow>, HistoryRow> = {
  page: decodedPage(parseHistoryRows),
  fromObjects: parseHistoryRows,
  fromParquet: readParquetHistorySlice,
  steps: (rows) => rows.map(stepOf),
  pick: pickRows,
};

/** JSON text, each row's `NaN`/`±Infinity` written as `nonFinite` says. */
export function jsonRows(nonFinite: NonFiniteNumbers): RowFormat<ReadonlyArray<string>, string> {
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
export function ndjsonRows(
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

export const isBlank = (code: number) => code === 32 || code === 10 || code === 13 || code === 9;

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
 * import { historyJsonStep } from "@effect-wandb/api/history";
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
 * A scan's own pool: room for a chunk and its scratch arrays per page in flight, which the
 * `Api`-wide request limit bounds, so a few MB serve a whole export.
 */
export const scanPool = (): BufferPool => new BufferPool(32);
