/**
 * Writing any Stream of records to NDJSON, CSV or Parquet files, incrementally.
 *
 * Each writer pulls the stream chunk by chunk and writes as it goes: memory holds one chunk
 * (one Parquet row group), never the whole stream. Records are plain objects: history rows,
 * runs-table rows, anything JSON-shaped.
 *
 * @module
 */
import * as Data from "effect/Data";
import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import * as Stream from "effect/Stream";
import * as Csv from "effect/encoding/Csv";
import type { ParquetWriter } from "hyparquet-writer";
import { BufferPool } from "../core/buffers.ts";
import { writeAll } from "../core/_write_all.ts";
import { type NonFiniteNumbers, printWandbJson } from "../core/wandb_json.ts";
import type { RuntimePermissionError } from "../core/errors.ts";
import { permissionDenied } from "../core/_permissions.ts";

/** A record to export: JSON-shaped values keyed by column name. */
export type ExportRecord = Readonly<Record<string, unknown>>;

/**
 * Writing an export file failed (permissions, disk, or a value the format cannot hold).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExportError } from "@effect-wandb/api";
 * const e = new ExportError({ path: "out.csv", message: "Permission denied" });
 * assert.ok(e._tag === "ExportError");
 * ```
 */
export class ExportError extends Data.Error<{
  /** The file being written. */
  readonly path: string;
  /** What went wrong. */
  readonly message: string;
}> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "ExportError" as const;
}

/** Why a sink failed: the file (an {@link ExportError}), or Deno refusing to write it. */
export type SinkError = ExportError | RuntimePermissionError;

/**
 * A failed file operation on `path`: Deno's refusal as what it is, else an `ExportError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileFailure } from "./sinks.ts";
 * assert.equal(fileFailure("out.csv")(new Error("disk full"))._tag, "ExportError");
 * ```
 */
export function fileFailure(path: string): (error: unknown) => SinkError {
  return (error) =>
    permissionDenied("write", error, { permission: "write", target: path }) ??
      new ExportError({ path, message: error instanceof Error ? error.message : String(error) });
}

/** Options of {@link writeNdjson}. */
export interface NdjsonOptions {
  /**
   * How `NaN`, `Infinity` and `-Infinity` are written (see {@link NonFiniteNumbers}); bigints
   * are written as their digits.
   * @default {"null"}
   */
  readonly nonFinite?: NonFiniteNumbers | undefined;
}

/**
 * Writes records as NDJSON (one JSON object per line) and returns how many were written.
 * Non-finite numbers are written as `null` unless `options.nonFinite` says otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeNdjson } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * const n = await Effect.runPromise(writeNdjson(path, Stream.make({ a: 1 }, { a: 2, b: "x" })));
 * assert.equal(n, 2);
 * assert.equal(await Deno.readTextFile(path), '{"a":1}\n{"a":2,"b":"x"}\n');
 * ```
 */
export function writeNdjson<E, R>(
  path: string,
  records: Stream.Stream<ExportRecord, E, R>,
  options?: NdjsonOptions,
): Effect.Effect<number, E | SinkError, R> {
  const nonFinite = options?.nonFinite ?? "null";
  return writeJsonLines(path, Stream.map(records, (record) => printWandbJson(record, nonFinite)));
}

/**
 * Writes lines of JSON text (one JSON value each, such as the rows of `scanHistory(run, { format: "json" })`) as an
 * NDJSON file and returns how many were written. The lines are written as they are: nothing is
 * parsed or printed again, which makes this the fast end of a history export.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeJsonLines } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * const n = await Effect.runPromise(writeJsonLines(path, Stream.make('{"a":1}', '{"a":2}')));
 * assert.equal(n, 2);
 * assert.equal(await Deno.readTextFile(path), '{"a":1}\n{"a":2}\n');
 * ```
 */
export function writeJsonLines<E, R>(
  path: string,
  lines: Stream.Stream<string, E, R>,
): Effect.Effect<number, E | SinkError, R> {
  return writeText(path, lines, "\n");
}

/** Options of {@link writeBytes}. */
export interface WriteBytesOptions {
  /**
   * What becomes of each chunk's buffer once written. By default (`"origin"`) it goes back to
   * the {@link BufferPool} it was taken from, if any, as the chunks of `scanHistories(runs, { format: "ndjson" })` are:
   * an export then reuses a few buffers instead of allocating one per page (and frees at once
   * one its pool does not keep: a written chunk is not to be read again). A pool gives every
   * buffer to that pool; `false` keeps them all, for chunks something else still reads (a
   * stream broadcast to two sinks).
   * @default {"origin"}
   */
  readonly recycle?: BufferPool | "origin" | false | undefined;
}

/**
 * Writes a stream of bytes (such as the NDJSON of `scanHistories(runs, { format: "ndjson" })`) to a file, chunk by
 * chunk as it streams, and returns how many bytes were written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeBytes } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * const lines = Stream.make(new TextEncoder().encode('{"a":1}\n'), new TextEncoder().encode('{"a":2}\n'));
 * assert.equal(await Effect.runPromise(writeBytes(path, lines)), 16);
 * assert.equal(await Deno.readTextFile(path), '{"a":1}\n{"a":2}\n');
 * ```
 */
export function writeBytes<E, R>(
  path: string,
  chunks: Stream.Stream<Uint8Array, E, R>,
  options?: WriteBytesOptions,
): Effect.Effect<number, E | SinkError, R> {
  const recycle = options?.recycle ?? "origin";
  const giveBack = recycle === false
    ? undefined
    : recycle === "origin"
    ? (buffer: ArrayBufferLike) => void BufferPool.giveBack(buffer)
    : (buffer: ArrayBufferLike) => recycle.give(buffer);
  return Effect.scoped(Effect.gen(function* () {
    const file = yield* openFile(path);
    let size = 0;
    yield* Stream.runForEach(chunks, (chunk) => {
      size += chunk.length;
      const written = writeAllOrFail(path, file, chunk);
      return giveBack === undefined
        ? written
        : Effect.tap(written, () => Effect.sync(() => giveBack(chunk.buffer)));
    });
    return size;
  }));
}

/**
 * Writes text pieces to a file, each followed by `terminator`, and returns how many there were.
 * One string, one encode and one write per chunk: per-piece writes cost more than the pieces.
 */
function writeText<E, R>(
  path: string,
  pieces: Stream.Stream<string, E, R>,
  terminator: string,
): Effect.Effect<number, E | SinkError, R> {
  return Effect.scoped(Effect.gen(function* () {
    const file = yield* openFile(path);
    const encoder = new TextEncoder();
    let count = 0;
    yield* Stream.runForEachArray(pieces, (chunk) => {
      count += chunk.length;
      return writeAllOrFail(path, file, encoder.encode(chunk.join(terminator) + terminator));
    });
    return count;
  }));
}

/** Opens (creating or truncating) a file for the life of the scope. */
function openFile(path: string): Effect.Effect<Deno.FsFile, SinkError, Scope.Scope> {
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: () => Deno.open(path, { write: true, create: true, truncate: true }),
      catch: fileFailure(path),
    }),
    (file) => Effect.sync(() => file.close()),
  );
}

function writeAllOrFail(
  path: string,
  file: Deno.FsFile,
  bytes: Uint8Array,
): Effect.Effect<void, SinkError> {
  return Effect.tryPromise({
    try: () => writeAll(file, bytes),
    catch: fileFailure(path),
  });
}

/** Options of {@link writeCsv}. */
export interface CsvOptions {
  /**
   * The columns, in order. When absent, the stream is run twice: once to collect the union of
   * every record's keys (in first-seen order), once to write. Give the columns to read a
   * source only once.
   */
  readonly columns?: ReadonlyArray<string> | undefined;
}

/**
 * A CSV cell: strings as they are, other scalars printed (`NaN`, `Infinity` and `-Infinity` as
 * those words, as W&B's own CSV export writes them; bigints as their digits), objects and
 * arrays as JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { csvCell } from "@effect-wandb/api";
 * assert.ok(csvCell(NaN) === "NaN" && csvCell(-Infinity) === "-Infinity");
 * assert.ok(csvCell(9007199254740993n) === "9007199254740993" && csvCell(null) === undefined);
 * ```
 */
export function csvCell(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  return printWandbJson(value);
}

/**
 * The union of the records' keys, in first-seen order (one pass, keeping only the names).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { unionColumns } from "@effect-wandb/api";
 * const columns = await Effect.runPromise(unionColumns(Stream.make({ a: 1 }, { b: 2, a: 3 })));
 * assert.deepEqual(columns, ["a", "b"]);
 * ```
 */
export function unionColumns<E, R>(
  records: Stream.Stream<ExportRecord, E, R>,
): Effect.Effect<ReadonlyArray<string>, E, R> {
  return Stream.runFold(records, () => new Set<string>(), (columns, record) => {
    for (const key of Object.keys(record)) columns.add(key);
    return columns;
  }).pipe(Effect.map((set) => [...set]));
}

/**
 * Writes records as CSV (RFC 4180, a header line, `\n` line ends) and returns how many were
 * written. Missing values are empty cells; objects and arrays are written as JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeCsv } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeCsv(path, Stream.make({ a: 1 }, { a: "x,y", b: [1] })));
 * assert.equal(await Deno.readTextFile(path), 'a,b\n1,\n"x,y",[1]\n');
 * ```
 */
export function writeCsv<E, R>(
  path: string,
  records: Stream.Stream<ExportRecord, E, R>,
  options?: CsvOptions,
): Effect.Effect<number, E | SinkError, R> {
  return Effect.gen(function* () {
    const columns = options?.columns ?? (yield* unionColumns(records));
    if (columns.length === 0) {
      yield* Effect.tryPromise({
        try: () => Deno.writeTextFile(path, ""),
        catch: fileFailure(path),
      });
      return 0;
    }
    let count = 0;
    yield* records.pipe(
      Stream.map((record): Record<string, string | undefined> => {
        count++;
        const row: Record<string, string | undefined> = {};
        for (const column of columns) row[column] = csvCell(record[column]);
        return row;
      }),
      Stream.pipeThroughChannel(Csv.encodeString({ columns, headers: true, newline: "\n" })),
      (text) => writeText(path, text, ""),
    );
    return count;
  }) as Effect.Effect<number, E | SinkError, R>;
}

/** Options of {@link writeParquet}. */
export interface ParquetOptions {
  /** The columns, in order; as for CSV, the stream runs twice when they are not given. */
  readonly columns?: ReadonlyArray<string> | undefined;
  /**
   * Rows per row group: what the writer holds in memory at once.
   * @default {10000}
   */
  readonly rowGroupSize?: number | undefined;
}

type ParquetColumnType = "DOUBLE" | "INT64" | "BOOLEAN" | "STRING";

const parquetType = (values: ReadonlyArray<unknown>): ParquetColumnType => {
  const present = values.filter((v) => v !== null && v !== undefined);
  // Integers beyond 2^53 (bigints) would be rounded by a DOUBLE: a column of integers holding
  // one is INT64.
  if (
    present.some((v) => typeof v === "bigint") &&
    present.every((v) => typeof v === "bigint" || Number.isInteger(v))
  ) {
    return "INT64";
  }
  if (present.length > 0 && present.every((v) => typeof v === "number")) return "DOUBLE";
  if (present.length > 0 && present.every((v) => typeof v === "boolean")) return "BOOLEAN";
  return "STRING";
};

/**
 * Writes records as a Parquet file (Snappy-compressed), one row group per `rowGroupSize`
 * records, and returns how many were written.
 *
 * Each column's type comes from the first row group: all numbers → DOUBLE (`NaN` and
 * `±Infinity` stored as the IEEE values), integers with one beyond 2^53 (a bigint) → INT64, all
 * booleans → BOOLEAN, anything else → STRING, with objects and arrays (W&B media, histograms) stored as
 * JSON text. A later value that does not fit its column fails with an `ExportError` naming the
 * column, rather than being dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { parquetReadObjects } from "hyparquet";
 * import { writeParquet } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0, loss: 1.5 }, { _step: 1 })));
 * const bytes = await Deno.readFile(path);
 * const rows = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer });
 * assert.deepEqual(rows, [{ _step: 0, loss: 1.5 }, { _step: 1, loss: null }]);
 * ```
 */
export function writeParquet<E, R>(
  path: string,
  records: Stream.Stream<ExportRecord, E, R>,
  options?: ParquetOptions,
): Effect.Effect<number, E | SinkError, R> {
  const fail = (message: string) => new ExportError({ path, message });
  return Effect.gen(function* () {
    const columns = options?.columns ?? (yield* unionColumns(records));
    // Loaded here, not at import: programs that never write Parquet do not hold its code.
    const { fileWriter, ParquetWriter } = yield* Effect.promise(() => import("hyparquet-writer"));
    const groupSize = options?.rowGroupSize ?? 10_000;
    let writer: ParquetWriter | undefined;
    let types: ReadonlyArray<ParquetColumnType> = [];
    let count = 0;
    const open = (first: ReadonlyArray<ExportRecord>) =>
      Effect.try({
        try: () => {
          types = columns.map((c) => parquetType(first.map((r) => r[c])));
          const out = fileWriter(path);
          writer = new ParquetWriter({
            writer: out,
            schema: [
              { name: "root", num_children: columns.length },
              ...columns.map((name, i) => ({
                name,
                type: types[i] === "DOUBLE"
                  ? "DOUBLE" as const
                  : types[i] === "INT64"
                  ? "INT64" as const
                  : types[i] === "BOOLEAN"
                  ? "BOOLEAN" as const
                  : "BYTE_ARRAY" as const,
                converted_type: types[i] === "STRING" ? "UTF8" as const : undefined,
                repetition_type: "OPTIONAL" as const,
              })),
            ],
          });
        },
        catch: fileFailure(path),
      });
    const column = (group: ReadonlyArray<ExportRecord>, name: string, i: number) => {
      const type = types[i]!;
      return group.map((record, row) => {
        const value = record[name];
        if (value === undefined || value === null) return null;
        if (type === "STRING") return typeof value === "string" ? value : printWandbJson(value);
        if (type === "INT64" && (typeof value === "bigint" || Number.isInteger(value))) {
          return BigInt(value as number | bigint);
        }
        if (
          (type === "DOUBLE" && typeof value === "number") ||
          (type === "BOOLEAN" && typeof value === "boolean")
        ) {
          return value;
        }
        throw fail(
          `Column '${name}' holds ${type} values but row ${count + row} has ${
            printWandbJson(value, "token")
          }`,
        );
      });
    };
    yield* records.pipe(
      Stream.grouped(groupSize),
      Stream.runForEach((group) =>
        Effect.gen(function* () {
          if (writer === undefined) yield* open(group);
          const columnData = yield* Effect.try({
            try: () => columns.map((name, i) => ({ name, data: column(group, name, i) })),
            catch: (e) => e instanceof ExportError ? e : fail(String(e)),
          });
          yield* Effect.tryPromise({
            try: async () => await writer!.write({ columnData, rowGroupSize: group.length }),
            catch: fileFailure(path),
          });
          count += group.length;
        })
      ),
    );
    if (writer === undefined) yield* open([]);
    yield* Effect.tryPromise({
      try: async () => await writer!.finish(),
      catch: fileFailure(path),
    });
    return count;
  }) as Effect.Effect<number, E | SinkError, R>;
}
