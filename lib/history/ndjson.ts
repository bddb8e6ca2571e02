/**
 * History rows as NDJSON bytes: each row's JSON text and a newline, written straight from the
 * bytes of a GraphQL answer (where W&B sends each row as an escaped JSON string) or printed
 * from decoded Parquet columns, optionally tagged with its run. No string or object is made
 * per row on the GraphQL path; the bytes go to a file or a socket as they are.
 *
 * @module
 */
import type { BufferPool } from "../core/buffers.ts";
import {
  BACKSLASH,
  CLOSE_OBJECT,
  COMMA,
  isJsonBlank,
  type JsonStringReader,
  OPEN_OBJECT,
  QUOTE,
  readGraphqlStrings,
} from "../core/json_bytes.ts";
import {
  checkWandbJsonBytes,
  HAS_NON_FINITE,
  rewriteNonFiniteBytes,
} from "../core/wandb_json_bytes.ts";
import { type NonFiniteNumbers, parseWandbJson } from "../core/wandb_json.ts";

/** NDJSON rows of one page or row group: the bytes, and where each row ends and its step. */
export interface NdjsonBatch {
  /** The rows, each its JSON text followed by `\n`. */
  readonly bytes: Uint8Array;
  /** The offset just past each row's `\n`. */
  readonly ends: ArrayLike<number>;
  /** Each row's `_step`, or -1. */
  readonly steps: ArrayLike<number>;
}

/** The run a row is tagged with (the `run_id` and `run_path` keys of multi-run scans). */
export interface RunTag {
  readonly id: string;
  readonly path: string;
}

const NEWLINE = 0x0a;
const SPACE = 0x20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const leadingStep = encoder.encode('{"_step":');

/** The hex digit's value, or -1. */
function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** The UTF-16 code unit of the `XXXX` of a `\uXXXX` at `i`, or -1. */
function codeUnitAt(src: Uint8Array, i: number): number {
  let unit = 0;
  for (let k = 0; k < 4; k++) {
    const digit = hexValue(src[i + k] ?? -1);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

/**
 * Collects NDJSON rows into one buffer. A row is appended (from escaped bytes, or from text),
 * then finished: checked to be an object, tagged, terminated and its step read.
 */
export class NdjsonBuilder {
  private out: Uint8Array;
  private length = 0;
  private rowStart = 0;
  // Typed and sized up front (growing plain arrays a row at a time made most of a page's
  // garbage), both views of one buffer, which comes from the pool too.
  private ends: Float64Array;
  private steps: Float64Array;
  private rowCount = 0;
  /** `,"run_id":…,"run_path":…}` and `\n`; the comma is skipped for an empty object. */
  private readonly tag: Uint8Array | undefined;
  /** Room a row needs beyond its own bytes: the tag and the newline. */
  private readonly extra: number;

  /**
   * @param tag The run to add to every row, if any.
   * @param bytes The size of the rows' text expected, and
   * @param rows their number: the buffer starts with room for both (and grows if need be).
   * @param pool Where the buffer comes from (and where one outgrown goes back), if anywhere.
   * @param nonFinite How `NaN` and `±Infinity` tokens in a row are written.
   */
  constructor(
    tag: RunTag | undefined,
    bytes: number,
    rows: number,
    private readonly pool?: BufferPool,
    private readonly nonFinite: NonFiniteNumbers = "null",
  ) {
    this.tag = tag === undefined ? undefined : encoder.encode(
      `,"run_id":${JSON.stringify(tag.id)},"run_path":${JSON.stringify(tag.path)}}`,
    );
    this.extra = (this.tag?.length ?? 0) + 1;
    this.out = this.allocate(Math.max(64, bytes + rows * this.extra));
    [this.ends, this.steps] = this.index(Math.max(16, rows));
  }

  /** Room for the ends and steps of `rows` rows: two views of one buffer. */
  private index(rows: number): [Float64Array, Float64Array] {
    const buffer = this.allocate(rows * 16).buffer;
    return [new Float64Array(buffer, 0, rows), new Float64Array(buffer, rows * 8, rows)];
  }

  private allocate(size: number): Uint8Array {
    return this.pool === undefined ? new Uint8Array(size) : this.pool.take(size);
  }

  private ensure(more: number): void {
    const needed = this.length + more;
    if (needed <= this.out.length) return;
    const grown = this.allocate(Math.max(needed, this.out.length * 2));
    grown.set(this.out.subarray(0, this.length));
    this.pool?.give(this.out.buffer);
    this.out = grown;
  }

  /**
   * Appends the row held by a JSON string in `src`, unescaping it: `bodyStart` is the index
   * after its opening quote. Returns the index after its closing quote, or -1 when the string
   * is malformed or cut off. A `\n` or `\r` escape (whitespace between the row's tokens, as
   * row text cannot hold raw control characters elsewhere) becomes a space: a line stays a
   * line.
   */
  readonly appendEscaped: JsonStringReader = (src, bodyStart) => {
    // The row is at most the rest of the body: check room once, not per byte.
    this.ensure(src.length - bodyStart + this.extra);
    const out = this.out;
    let o = this.length;
    let i = bodyStart;
    const end = src.length;
    while (i < end) {
      const byte = src[i++]!;
      if (byte === QUOTE) {
        this.length = o;
        return i;
      }
      if (byte !== BACKSLASH) {
        out[o++] = byte;
        continue;
      }
      const escaped = src[i++];
      switch (escaped) {
        case QUOTE:
        case BACKSLASH:
        case 0x2f: // "/"
          out[o++] = escaped;
          break;
        case 0x6e: // "n"
        case 0x72: // "r"
          out[o++] = SPACE;
          break;
        case 0x74: // "t"
          out[o++] = 0x09;
          break;
        case 0x62: // "b"
          out[o++] = 0x08;
          break;
        case 0x66: // "f"
          out[o++] = 0x0c;
          break;
        case 0x75: { // "u"
          let point = codeUnitAt(src, i);
          if (point < 0) return -1;
          i += 4;
          if (point >= 0xd800 && point < 0xdc00 && src[i] === BACKSLASH && src[i + 1] === 0x75) {
            const low = codeUnitAt(src, i + 2);
            if (low >= 0xdc00 && low < 0xe000) {
              point = 0x10000 + ((point - 0xd800) << 10) + (low - 0xdc00);
              i += 6;
            }
          }
          // A lone surrogate cannot be UTF-8: it becomes U+FFFD, as TextEncoder makes it.
          if (point >= 0xd800 && point < 0xe000) point = 0xfffd;
          o = writeCodePoint(out, o, point);
          break;
        }
        default:
          return -1;
      }
    }
    return -1;
  };

  /**
   * Room for `more` bytes of the current row: the buffer to write them into, from
   * {@link NdjsonBuilder.cursor} on; set the cursor past what was written. For printers that
   * write a row piece by piece (a call per piece would cost more than the pieces).
   */
  room(more: number): Uint8Array {
    this.ensure(more + this.extra);
    return this.out;
  }

  /** Where the next byte of the current row goes. */
  get cursor(): number {
    return this.length;
  }

  set cursor(at: number) {
    this.length = at;
  }

  /** Appends a row given as text (a row from a parsed answer, or printed from Parquet). */
  appendText(text: string): void {
    // UTF-16 to UTF-8 takes at most 3 bytes per code unit.
    this.ensure(text.length * 3 + this.extra);
    this.length += encoder.encodeInto(text, this.out.subarray(this.length)).written;
  }

  /**
   * The row {@link NdjsonBuilder.finishRow} last refused: its text and where in it the text
   * stops being a W&B JSON object.
   */
  rejected: { readonly text: string; readonly offset: number } | undefined;

  /**
   * Ends the row appended since the last call: checks it is an object of W&B's JSON (its
   * `NaN`/`±Infinity` tokens written as the builder's `nonFinite` says), tags it, adds the
   * newline and reads its step. Returns `false` when it is not such an object: the row is then
   * taken out and kept in {@link NdjsonBuilder.rejected}, for the error that reports it.
   * `printed` skips the check for rows this library printed itself.
   */
  finishRow(printed = false): boolean {
    let out = this.out;
    const start = this.rowStart;
    let first = start;
    let last = this.length - 1;
    while (first <= last && isJsonBlank(out[first]!)) first++;
    while (last > first && isJsonBlank(out[last]!)) last--;
    const checked = printed
      ? 0
      : out[first] !== OPEN_OBJECT || out[last] !== CLOSE_OBJECT
      ? -1 - first
      : checkWandbJsonBytes(out, first, last + 1);
    if (checked < 0) {
      this.rejected = {
        text: decoder.decode(out.subarray(start, this.length)),
        offset: Math.max(0, -1 - checked - start),
      };
      this.length = start;
      return false;
    }
    if ((checked & HAS_NON_FINITE) !== 0 && this.nonFinite !== "token") {
      const rewritten = rewriteNonFiniteBytes(out, first, last + 1, this.nonFinite);
      this.length = first;
      out = this.room(rewritten.length);
      out.set(rewritten, first);
      last = first + rewritten.length - 1;
      this.length = last + 1;
    }
    const step = this.stepOf(first, last + 1);
    let o = last + 1;
    if (this.tag !== undefined) {
      let before = last - 1;
      while (before > first && isJsonBlank(out[before]!)) before--;
      o = last;
      // `{}` takes the tag without its comma.
      const tag = before === first ? this.tag.subarray(1) : this.tag;
      out.set(tag, o);
      o += tag.length;
    }
    out[o++] = NEWLINE;
    this.length = o;
    this.rowStart = o;
    if (this.rowCount === this.ends.length) {
      const [ends, steps] = this.index(this.rowCount * 2);
      ends.set(this.ends);
      steps.set(this.steps);
      this.pool?.give(this.ends.buffer);
      this.ends = ends;
      this.steps = steps;
    }
    this.ends[this.rowCount] = o;
    this.steps[this.rowCount++] = step;
    return true;
  }

  /**
   * The `_step` of the row at `[first, end)`: read in place from the `{"_step":<integer>` W&B
   * rows begin with, else parsed from the row.
   */
  private stepOf(first: number, end: number): number {
    const out = this.out;
    let i = first;
    let matched = true;
    for (let k = 0; k < leadingStep.length && matched; k++) {
      matched = out[i + k] === leadingStep[k];
    }
    if (matched) {
      i += leadingStep.length;
      const digitsFrom = i;
      let step = 0;
      while (i < end && out[i]! >= 0x30 && out[i]! <= 0x39) step = step * 10 + out[i++]! - 0x30;
      const next = out[i];
      if (i > digitsFrom && i - digitsFrom < 16 && (next === COMMA || next === CLOSE_OBJECT)) {
        return step;
      }
    }
    try {
      return stepValue(parseWandbJson(decoder.decode(out.subarray(first, end)))?._step);
    } catch {
      return -1;
    }
  }

  /** The rows finished so far. The builder is not used after this. */
  build(): NdjsonBatch {
    return {
      bytes: this.out.subarray(0, this.length),
      ends: this.ends.subarray(0, this.rowCount),
      steps: this.steps.subarray(0, this.rowCount),
    };
  }
}

/**
 * A row's `_step` value as a step: a number, a bigint step as the nearest number, or -1 for a
 * row without one.
 */
export const stepValue = (step: unknown): number =>
  typeof step === "number" ? step : typeof step === "bigint" ? Number(step) : -1;

function writeCodePoint(out: Uint8Array, o: number, point: number): number {
  if (point < 0x80) {
    out[o++] = point;
  } else if (point < 0x800) {
    out[o++] = 0xc0 | (point >> 6);
    out[o++] = 0x80 | (point & 0x3f);
  } else if (point < 0x10000) {
    out[o++] = 0xe0 | (point >> 12);
    out[o++] = 0x80 | ((point >> 6) & 0x3f);
    out[o++] = 0x80 | (point & 0x3f);
  } else {
    out[o++] = 0xf0 | (point >> 18);
    out[o++] = 0x80 | ((point >> 12) & 0x3f);
    out[o++] = 0x80 | ((point >> 6) & 0x3f);
    out[o++] = 0x80 | (point & 0x3f);
  }
  return o;
}

/**
 * The rows of a batch at `indices` (in that order) as one chunk of NDJSON: the batch's own
 * bytes for all of them in order (`indices` absent), a copy of the chosen rows otherwise, the
 * batch's buffer then going back to `pool`. The batch's ends and steps go back to `pool`
 * either way: the batch is not read again.
 */
export function pickNdjsonRows(
  batch: NdjsonBatch,
  indices: ReadonlyArray<number> | undefined,
  pool?: BufferPool,
): Uint8Array {
  const { bytes, ends } = batch;
  if (indices === undefined) {
    releaseIndex(batch, pool);
    return bytes;
  }
  let size = 0;
  for (const i of indices) size += ends[i]! - (i === 0 ? 0 : ends[i - 1]!);
  const picked = new Uint8Array(size);
  let o = 0;
  for (const i of indices) {
    const row = bytes.subarray(i === 0 ? 0 : ends[i - 1]!, ends[i]!);
    picked.set(row, o);
    o += row.length;
  }
  pool?.give(bytes.buffer);
  releaseIndex(batch, pool);
  return picked;
}

/** Gives a batch's ends and steps (one buffer) back to `pool`. */
export function releaseIndex(batch: NdjsonBatch, pool: BufferPool | undefined): void {
  if (pool !== undefined && batch.ends instanceof Float64Array) pool.give(batch.ends.buffer);
}

const readHistoryStrings = readGraphqlStrings(["project", "run", "history"]);

/**
 * The rows of a `HistoryPage` answer's bytes as NDJSON, tagged with `tag` when given; or
 * `undefined` when the answer is not a complete page of object rows (an error, a `null` run, a
 * malformed row): decoding it the ordinary way then says what is wrong.
 */
export function readHistoryPageNdjson(
  body: Uint8Array,
  expectedRows: number,
  tag?: RunTag,
  pool?: BufferPool,
  nonFinite?: NonFiniteNumbers,
): NdjsonBatch | undefined {
  // The rows are at most the body; the tags and newlines are added per row.
  const builder = new NdjsonBuilder(tag, body.length, expectedRows, pool, nonFinite);
  const ok = readHistoryStrings(body, (src, start) => {
    const next = builder.appendEscaped(src, start);
    return next >= 0 && builder.finishRow() ? next : -1;
  });
  const batch = builder.build();
  if (ok) return batch;
  pool?.give(batch.bytes.buffer);
  releaseIndex(batch, pool);
  return undefined;
}
