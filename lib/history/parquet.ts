/**
 * Reading W&B history exports (Parquet) into history rows.
 *
 * @module
 */
import type { AsyncBuffer, FileMetaData } from "hyparquet";
import { type BufferPool, releaseMemory } from "../core/buffers.ts";
import { CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_OBJECT } from "../core/json_bytes.ts";
import {
  type NonFiniteNumbers,
  parseWandbJson,
  printWandbJson,
  WandbJsonError,
} from "../core/wandb_json.ts";
import { type NdjsonBatch, NdjsonBuilder, type RunTag } from "./ndjson.ts";
import { badHistoryRow, type HistoryRow } from "./queries.ts";

/**
 * The Parquet key-value metadata entry listing the columns that hold JSON text (W&B media,
 * histograms, lists): readers parse them back so both history paths yield identical rows.
 */
export const jsonColumnsMetadataKey = "effect-wandb.json_columns";

let hyparquet: Promise<typeof import("hyparquet")> | undefined;

/**
 * hyparquet, loaded on the first Parquet read: a program that never reads Parquet does not pay
 * its ~10 MB of resident code.
 */
function loadHyparquet(): Promise<typeof import("hyparquet")> {
  return hyparquet ??= import("hyparquet");
}

/**
 * Decodes one Parquet history file into rows, in file order. Null cells are left out of the
 * row (a key a step did not log is absent, as in GraphQL rows); 64-bit integers become numbers
 * (`bigint`s beyond ±2^53, as W&B's JSON reads); doubles keep `NaN` and `±Infinity`; JSON
 * columns named in {@link jsonColumnsMetadataKey} are parsed back as W&B's JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeParquet } from "@effect-wandb/api";
 * import { readParquetHistory } from "@effect-wandb/api/history";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0, loss: 1 })));
 * const rows = await readParquetHistory(await Deno.readFile(path));
 * assert.ok(rows[0]!.loss === 1);
 * ```
 */
export async function readParquetHistory(bytes: Uint8Array): Promise<Array<HistoryRow>> {
  const file = await parquetFile(bytes);
  const rows: Array<HistoryRow> = [];
  for (const [start, end] of file.rowGroups) {
    for (const row of await readParquetHistorySlice(file, start, end)) rows.push(row);
  }
  return rows;
}

/**
 * A Parquet file's metadata, parsed once, and its bytes: all of them ({@link parquetFile}), or
 * one row group's at a time ({@link parquetFooter} and {@link withRowGroupBytes}).
 */
export interface ParquetFile {
  /** The bytes rows are decoded from. */
  readonly source: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly rows: number;
  readonly columns: ReadonlyArray<string>;
  readonly jsonColumns: ReadonlySet<string>;
  /** Row ranges `[start, end)` of the file's row groups, the slices worth decoding alone. */
  readonly rowGroups: ReadonlyArray<readonly [number, number]>;
}

/**
 * Parses a Parquet file's metadata (no rows are decoded).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeParquet } from "@effect-wandb/api";
 * import { parquetFile, readParquetHistorySlice } from "@effect-wandb/api/history";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0 }, { _step: 1 }, { _step: 2 })));
 * const file = await parquetFile(await Deno.readFile(path));
 * const middle = await readParquetHistorySlice(file, 1, 2);
 * assert.ok(file.rows === 3 && middle[0]!._step === 1);
 * ```
 */
export async function parquetFile(bytes: Uint8Array): Promise<ParquetFile> {
  // Downloads with a Content-Length arrive as a whole ArrayBuffer of their size: use it as it
  // is rather than copy megabytes.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes.buffer as ArrayBuffer
    : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const { parquetMetadata } = await loadHyparquet();
  return fileOf(buffer, parquetMetadata(buffer));
}

function fileOf(source: AsyncBuffer, metadata: FileMetaData): ParquetFile {
  const jsonEntry = metadata.key_value_metadata?.find((kv) => kv.key === jsonColumnsMetadataKey);
  return {
    source,
    metadata,
    rows: Number(metadata.num_rows),
    columns: metadata.schema.slice(1).map((element) => element.name),
    jsonColumns: new Set<string>(jsonEntry?.value ? JSON.parse(jsonEntry.value) : []),
    rowGroups: rowGroupRanges(metadata),
  };
}

/**
 * How many bytes at the end of a Parquet file hold its metadata (and the 8 bytes after it),
 * read from its last 8 bytes: what a reader fetching by range asks for next.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parquetFooterLength } from "@effect-wandb/api/history";
 * const tail = new Uint8Array([0, 0, 0, 0, 100, 0, 0, 0, 0x50, 0x41, 0x52, 0x31]); // …, 100, "PAR1"
 * assert.ok(parquetFooterLength(tail) === 108);
 * ```
 */
export function parquetFooterLength(tail: Uint8Array): number {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  if (tail.byteLength < 8 || view.getUint32(tail.byteLength - 4, true) !== 0x31524150) {
    throw new Error("not a Parquet file (no PAR1 at its end)");
  }
  return view.getUint32(tail.byteLength - 8, true) + 8;
}

/**
 * A Parquet file known by its footer only (its last bytes, holding the metadata): rows are
 * decoded after {@link withRowGroupBytes} gives a row group's bytes, so a reader fetching row
 * groups by HTTP range holds one row group, not the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeParquet } from "@effect-wandb/api";
 * import { parquetFooter, readParquetHistorySlice, rowGroupByteRange, withRowGroupBytes } from "@effect-wandb/api/history";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0 }, { _step: 1 })));
 * const bytes = await Deno.readFile(path);
 * const file = await parquetFooter(bytes.subarray(bytes.length - 1000 > 0 ? bytes.length - 1000 : 0), bytes.length);
 * const [start, end] = rowGroupByteRange(file, 0);
 * const group = withRowGroupBytes(file, bytes.slice(start, end), start);
 * assert.ok((await readParquetHistorySlice(group, 0, 2))[1]!._step === 1);
 * ```
 */
export async function parquetFooter(tail: Uint8Array, totalSize: number): Promise<ParquetFile> {
  const start = totalSize - tail.byteLength;
  const { parquetMetadata } = await loadHyparquet();
  return fileOf(windowBuffer(new Uint8Array(0), start, totalSize), parquetMetadata(tail));
}

/**
 * The bytes `[start, end)` of the file holding row group `index`'s column chunks: the range to
 * fetch to decode that row group. See {@link parquetFooter} for an example.
 */
export function rowGroupByteRange(file: ParquetFile, index: number): readonly [number, number] {
  let start = Infinity;
  let end = 0;
  for (const column of file.metadata.row_groups[index]!.columns) {
    const meta = column.meta_data;
    if (meta === undefined) continue;
    // Where hyparquet reads a column chunk from (a 0 dictionary offset means none).
    const offset = Number(meta.dictionary_page_offset || meta.data_page_offset);
    start = Math.min(start, offset);
    end = Math.max(end, offset + Number(meta.total_compressed_size));
  }
  return start === Infinity ? [0, 0] : [start, end];
}

/**
 * The file with `bytes` (starting at file offset `start`) as the bytes rows are read from: a
 * row group fetched by {@link rowGroupByteRange}. See {@link parquetFooter} for an example.
 */
export function withRowGroupBytes(
  file: ParquetFile,
  bytes: Uint8Array,
  start: number,
): ParquetFile {
  return { ...file, source: windowBuffer(bytes, start, file.source.byteLength) };
}

/** A file of `totalSize` bytes of which only `[start, start + bytes.length)` is at hand. */
function windowBuffer(bytes: Uint8Array, start: number, totalSize: number): AsyncBuffer {
  return {
    byteLength: totalSize,
    slice: (from, to = totalSize) => {
      if (from < start || to > start + bytes.length) {
        throw new Error(
          `Parquet bytes ${from}-${to} are outside the ${start}-${start + bytes.length} held`,
        );
      }
      return bytes.buffer.slice(
        bytes.byteOffset + from - start,
        bytes.byteOffset + to - start,
      ) as ArrayBuffer;
    },
  };
}

function rowGroupRanges(metadata: FileMetaData): Array<readonly [number, number]> {
  const ranges: Array<readonly [number, number]> = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/**
 * Decodes rows `[rowStart, rowEnd)` of a Parquet history file: the unit a stream reads, so that
 * memory holds one slice of a run's history rather than all of it. See {@link parquetFile} for
 * an example.
 */
export async function readParquetHistorySlice(
  file: ParquetFile,
  rowStart: number,
  rowEnd: number,
): Promise<Array<HistoryRow>> {
  const { count, names, cell } = await readCells(file, rowStart, rowEnd);
  const proto = names.indexOf("__proto__");
  const rows: Array<HistoryRow> = new Array(count);
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) {
      const value = cell(c, i);
      if (value === undefined) continue;
      if (c === proto) ownKey(row, "__proto__", value);
      else row[names[c]!] = value;
    }
    rows[i] = row;
  }
  return rows;
}

/**
 * Rows `[rowStart, rowEnd)` decoded by column (hyparquet's row objects would be built twice),
 * and each cell as a history row holds it: absent as `undefined`, 64-bit integers as numbers,
 * JSON columns parsed.
 */
async function readCells(file: ParquetFile, rowStart: number, rowEnd: number): Promise<{
  readonly count: number;
  readonly names: ReadonlyArray<string>;
  readonly cell: (column: number, row: number) => unknown;
  /**
   * The columns whose every cell is a number (no nulls) that prints as JSON prints numbers with
   * non-finite numbers written as `nonFinite` says, for the NDJSON path to print in one go;
   * worked out only when asked (the other readers do not need it).
   */
  readonly numbers: (nonFinite: NonFiniteNumbers) => ReadonlyArray<ArrayLike<number> | undefined>;
  /** Whether a row needs more than `JSON.stringify` to print as `nonFinite` says. */
  readonly special: (nonFinite: NonFiniteNumbers) => boolean;
  /**
   * Frees the decoded columns' memory, for a reader that has printed every cell (a cell read
   * afterwards is gone): hyparquet's pages would otherwise wait for a full collection, tens of
   * MB of them in a long export.
   */
  readonly release: () => void;
}> {
  const end = Math.min(rowEnd, file.rows);
  const count = Math.max(0, end - rowStart);
  // Every buffer hyparquet makes on the way to the cells: freed with the cells (see `release`).
  const scratch: Array<ArrayBuffer> = [];
  const columns = await readColumns(file, rowStart, end, count, scratch);
  const json = file.columns.map((name) => file.jsonColumns.has(name));
  const steps = columns[file.columns.indexOf("_step")];
  return {
    count,
    names: file.columns,
    cell: (column, row) => {
      const value = columns[column]![row];
      if (value === null || value === undefined) return undefined;
      if (typeof value === "bigint") return exactInteger(value);
      if (!json[column] || typeof value !== "string") return value;
      try {
        return parseWandbJson(value);
      } catch (e) {
        // The row's error: it names the row and its step, the column and the text.
        const step = steps?.[row];
        const text = `{"_step":${step},${JSON.stringify(file.columns[column])}:${value}}`;
        const offset = e instanceof WandbJsonError ? e.offset : undefined;
        throw new Error(
          badHistoryRow("parquet", "rows", rowStart + row, text, offset).message,
        );
      }
    },
    numbers: (nonFinite) =>
      columns.map((cells, c) => json[c] ? undefined : numbersOf(cells, nonFinite !== "null")),
    special: (nonFinite) =>
      columns.some((cells, c) =>
        // A JSON cell may hold anything: tokens, or integers only a bigint holds.
        json[c] || hasUnsafeInteger(cells) || (nonFinite !== "null" && hasNonFinite(cells))
      ),
    release: () => {
      for (const cells of columns) if (ArrayBuffer.isView(cells)) releaseMemory(cells.buffer);
      for (const buffer of scratch) releaseMemory(buffer);
    },
  };
}

/** A 64-bit integer cell as a history row holds it: a number, or a bigint beyond ±2^53. */
const exactInteger = (value: bigint): number | bigint =>
  value >= -maxSafe && value <= maxSafe ? Number(value) : value;

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

function hasUnsafeInteger(cells: ArrayLike<unknown>): boolean {
  if (
    !(cells instanceof BigInt64Array || cells instanceof BigUint64Array || Array.isArray(cells))
  ) {
    return false;
  }
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell === "bigint" && (cell > maxSafe || cell < -maxSafe)) return true;
  }
  return false;
}

function hasNonFinite(cells: ArrayLike<unknown>): boolean {
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell === "number" && !Number.isFinite(cell)) return true;
  }
  return false;
}

/**
 * The cells as numbers when every one is a number (64-bit integers converted), else nothing:
 * nothing too when a 64-bit integer is beyond ±2^53, or (`keepNonFinite`) a cell is not finite,
 * as printing them as numbers would change them.
 */
function numbersOf(
  cells: ArrayLike<unknown>,
  keepNonFinite: boolean,
): ArrayLike<number> | undefined {
  if (keepNonFinite && hasNonFinite(cells)) return undefined;
  if (cells instanceof Float64Array || cells instanceof Float32Array) return cells;
  if (cells instanceof Int32Array || cells instanceof Uint32Array) return cells;
  if (cells instanceof BigInt64Array || cells instanceof BigUint64Array) {
    return hasUnsafeInteger(cells) ? undefined : Array.from(cells, Number);
  }
  for (let i = 0; i < cells.length; i++) if (typeof cells[i] !== "number") return undefined;
  return cells as ArrayLike<number>;
}

/**
 * Defines an own, enumerable key: what `JSON.parse` makes of `"__proto__"`, where assigning it
 * would set the object's prototype instead.
 */
function ownKey(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * Decodes rows `[rowStart, rowEnd)` of a Parquet history file as JSON text, one object per row:
 * `JSON.stringify` of each row {@link readParquetHistorySlice} returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeParquet } from "@effect-wandb/api";
 * import { parquetFile, readParquetHistoryJson } from "@effect-wandb/api/history";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0, loss: 1.5 }, { _step: 1 })));
 * const lines = await readParquetHistoryJson(await parquetFile(await Deno.readFile(path)), 0, 2);
 * assert.ok(lines.join("\n") === '{"_step":0,"loss":1.5}\n{"_step":1}');
 * ```
 */
export async function readParquetHistoryJson(
  file: ParquetFile,
  rowStart: number,
  rowEnd: number,
  nonFinite: NonFiniteNumbers = "null",
): Promise<Array<string>> {
  const lines: Array<string> = [];
  await printRows(file, rowStart, rowEnd, nonFinite, (line) => lines.push(line));
  return lines;
}

/**
 * Decodes rows `[rowStart, rowEnd)` of a Parquet history file as NDJSON bytes, each row tagged
 * with `tag` when given: the lines of {@link readParquetHistoryJson}, each followed by `\n`,
 * in a buffer from `pool` when given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { writeParquet } from "@effect-wandb/api";
 * import { parquetFile, readParquetHistoryNdjson } from "@effect-wandb/api/history";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0, loss: 1.5 }, { _step: 1 })));
 * const rows = await readParquetHistoryNdjson(await parquetFile(await Deno.readFile(path)), 0, 2);
 * assert.ok(new TextDecoder().decode(rows.bytes) === '{"_step":0,"loss":1.5}\n{"_step":1}\n');
 * assert.ok(rows.steps[1] === 1);
 * ```
 */
export async function readParquetHistoryNdjson(
  file: ParquetFile,
  rowStart: number,
  rowEnd: number,
  tag?: RunTag,
  pool?: BufferPool,
  nonFinite: NonFiniteNumbers = "null",
): Promise<NdjsonBatch> {
  const { count, names, cell, numbers: numberColumns, release } = await readCells(
    file,
    rowStart,
    rowEnd,
  );
  const numbers = numberColumns(nonFinite);
  const builder = new NdjsonBuilder(tag, count * 24 * names.length, count, pool, nonFinite);
  // Every number of the all-number columns, printed by one JSON.stringify of a flat list: V8
  // prints a list of numbers faster than the same numbers as an object's values, and the cost
  // of a history export from Parquet is printing numbers. Rows then take their values from that
  // text, as `JSON.stringify(row)` prints them (NaN and ±Infinity as null).
  const numeric = numbers.flatMap((cells, c) => cells === undefined ? [] : [c]);
  const keys = names.map((name) => encoder.encode(`${JSON.stringify(name)}:`));
  // A number prints in at most 24 characters.
  const rowRoom = keys.reduce((n, key) => n + key.length + 1, 2) + 24 * numeric.length;
  // The numbers are printed a block of rows at a time: a block's text stays small enough for
  // V8's young generation, where it dies cheaply (one text per row group would be a large
  // object, collected only by a full collection).
  const blockRows = Math.max(1, Math.floor(4096 / Math.max(1, numeric.length)));
  // One list and one text buffer for every call (nothing awaits between their fills and their
  // reads): made per row group, they lived long enough to be promoted and piled up in the old
  // generation until a full collection.
  const flat = blockNumbers;
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (i % blockRows === 0 && numeric.length > 0) {
      const rows = Math.min(blockRows, count - i);
      flat.length = rows * numeric.length;
      for (let k = 0; k < numeric.length; k++) {
        const cells = numbers[numeric[k]!]!;
        for (let r = 0, f = k; r < rows; r++, f += numeric.length) flat[f] = cells[i + r]!;
      }
      const text = JSON.stringify(flat);
      if (blockText.length < text.length) blockText = new Uint8Array(text.length * 2);
      encoder.encodeInto(text, blockText);
      at = 1; // after the list's "["
    }
    let out = builder.room(rowRoom);
    let o = builder.cursor;
    out[o++] = OPEN_OBJECT;
    let first = true;
    for (let c = 0; c < names.length; c++) {
      let text: string | undefined;
      if (numbers[c] === undefined) {
        const value = cell(c, i);
        if (value === undefined) continue;
        text = printWandbJson(value, nonFinite);
      }
      if (!first) out[o++] = COMMA;
      first = false;
      const key = keys[c]!;
      for (let k = 0; k < key.length; k++) out[o++] = key[k]!;
      if (text === undefined) {
        for (
          let byte = blockText[at++]!;
          byte !== COMMA && byte !== CLOSE_ARRAY;
          byte = blockText[at++]!
        ) {
          out[o++] = byte;
        }
      } else {
        builder.cursor = o;
        builder.appendText(text);
        out = builder.room(rowRoom);
        o = builder.cursor;
      }
    }
    out[o++] = CLOSE_OBJECT;
    builder.cursor = o;
    // Printed here, as JSON with non-finite numbers already written as asked: not checked again.
    builder.finishRow(true);
  }
  // Every cell is in the NDJSON bytes now.
  release();
  return builder.build();
}

const encoder = new TextEncoder();

/** A block's numbers, and their JSON text as bytes: see {@link readParquetHistoryNdjson}. */
const blockNumbers: Array<number> = [];
let blockText = new Uint8Array(0);

/** Prints rows `[rowStart, rowEnd)` as JSON text, one `JSON.stringify` of the row each. */
async function printRows(
  file: ParquetFile,
  rowStart: number,
  rowEnd: number,
  nonFinite: NonFiniteNumbers,
  onRow: (line: string) => void,
): Promise<void> {
  const { count, names, cell, special, release } = await readCells(file, rowStart, rowEnd);
  // JSON.stringify prints non-finite numbers as null and cannot print bigints: rows of a slice
  // holding either (and asked for something else) go through the slower printer.
  const print = special(nonFinite)
    ? (row: unknown) => printWandbJson(row, nonFinite)
    : (row: unknown) => JSON.stringify(row);
  // One record of every column, refilled and printed per row: V8 prints an object of a fixed
  // shape fastest, and a cell set to `undefined` drops its key, as an absent key should.
  const record: Record<string, unknown> = {};
  for (const name of names) ownKey(record, name, undefined);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < names.length; c++) record[names[c]!] = cell(c, i);
    onRow(print(record));
  }
  // Every cell is in the printed rows now.
  release();
}

/**
 * Every column of rows `[rowStart, end)`, each as one array of `count` cells. Each buffer
 * hyparquet makes on the way is added to `scratch`: the bytes it copies out of the file (a row
 * group's, then each column chunk's) and the pages it decompresses, about four times a run's
 * export in all. Left to the collector they pile up between collections, tens of MB in a long
 * export; a reader that has printed every cell frees them at once.
 */
async function readColumns(
  file: ParquetFile,
  rowStart: number,
  end: number,
  count: number,
  scratch: Array<ArrayBuffer>,
): Promise<Array<ArrayLike<unknown>>> {
  const index = new Map(file.columns.map((name, i) => [name, i]));
  const chunks: Array<Array<{ start: number; data: ArrayLike<unknown> }>> = file.columns.map(
    () => [],
  );
  const { parquetRead, snappyUncompress } = await loadHyparquet();
  // hyparquet slices what it reads out of the file, and slices those slices per column chunk:
  // each slice it gets is given a `slice` that keeps what it cuts too.
  const kept = (buffer: ArrayBuffer): ArrayBuffer => {
    scratch.push(buffer);
    Object.defineProperty(buffer, "slice", {
      value: (from?: number, to?: number) =>
        kept(ArrayBuffer.prototype.slice.call(buffer, from, to)),
    });
    return buffer;
  };
  const source = file.source;
  await parquetRead({
    file: {
      byteLength: source.byteLength,
      slice: (from, to) => {
        const bytes = source.slice(from, to);
        return bytes instanceof Promise ? bytes.then(kept) : kept(bytes);
      },
    },
    // hyparquet's own Snappy decoder, into pages kept the same way.
    compressors: {
      SNAPPY: (input, size) => {
        const page = new Uint8Array(size);
        snappyUncompress(input, page);
        scratch.push(page.buffer);
        return page;
      },
    },
    metadata: file.metadata,
    rowStart,
    rowEnd: end,
    onChunk: ({ columnName, columnData, rowStart: start }) => {
      const i = index.get(columnName);
      if (i !== undefined) chunks[i]!.push({ start, data: columnData as ArrayLike<unknown> });
    },
  });
  return chunks.map((parts) => {
    // The usual case: one chunk holding exactly the rows asked for.
    if (parts.length === 1 && parts[0]!.start === rowStart && parts[0]!.data.length === count) {
      return parts[0]!.data;
    }
    const cells: Array<unknown> = new Array(count).fill(null);
    for (const { start, data } of parts) {
      for (let i = Math.max(0, rowStart - start); i < data.length; i++) {
        const at = start + i - rowStart;
        if (at >= count) break;
        cells[at] = data[i];
      }
    }
    return cells;
  });
}
