/**
 * W&B's JSON: the JSON text the server hands over inside GraphQL strings (history rows,
 * `summaryMetrics`, `config`, `systemMetrics`, `events`, `sampledHistory`, …) is JSON extended
 * with the bare tokens `NaN`, `Infinity` and `-Infinity`, which wandb-core and the Python
 * encoders write for non-finite floats, and integers of any size. `JSON.parse` rejects the
 * tokens and rounds the integers; Python's `json.loads`, which the official client uses, does
 * neither. This module reads that text as Python does and prints values back, as JSON that
 * other tools read or as W&B's own text.
 *
 * No npm package reads exactly this dialect: JSON5 accepts the tokens but also comments, single
 * quotes and trailing commas (so broken rows would pass), and rounds large integers; the
 * big-integer parsers reject the tokens. The parser below is only the slow path: text without
 * the tokens goes through `JSON.parse`.
 *
 * @module
 */

import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as SchemaIssue from "effect/SchemaIssue";
import * as SchemaTransformation from "effect/SchemaTransformation";

/**
 * How non-finite numbers (`NaN`, `Infinity`, `-Infinity`) are written where the output is JSON
 * text (NDJSON exports, JSON-text rows):
 * - `"null"`: as `null`, what `JSON.stringify` does: every JSON reader (jq, DuckDB, BigQuery)
 *   loads the file, and a numeric column stays numeric (a missing value, as W&B's charts treat it).
 * - `"string"`: as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`: the value survives, but
 *   the column becomes mixed-type for readers that infer types.
 * - `"token"`: as W&B's bare tokens, exactly as the server sent them: not JSON, but what
 *   Python's `json.loads` and this module's {@link parseWandbJson} read back.
 */
export type NonFiniteNumbers = "null" | "string" | "token";

/**
 * Text that is not W&B's JSON, with the offset of the first character that does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWandbJson, WandbJsonError } from "@effect-wandb/api";
 * try {
 *   parseWandbJson('{"loss": nan}');
 * } catch (e) {
 *   assert.ok(e instanceof WandbJsonError && e.offset === 9);
 * }
 * ```
 */
export class WandbJsonError extends Error {
  override readonly name = "WandbJsonError";
  constructor(
    /** Where the text stops being W&B's JSON (a UTF-16 index, or a byte index for bytes). */
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses W&B's JSON text as Python's `json.loads` does: `NaN`, `Infinity` and `-Infinity`
 * become the JS numbers, integers beyond ±2^53 become exact `bigint`s (a `number` would round
 * 9007199254740993 to …992), and `"__proto__"` is an own key as with `JSON.parse`. Text without
 * those is parsed by `JSON.parse`, at its speed. Throws {@link WandbJsonError} for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWandbJson } from "@effect-wandb/api";
 * const row = parseWandbJson('{"_step": 1, "loss": NaN, "best": -Infinity, "id": 9007199254740993}');
 * assert.ok(Number.isNaN(row.loss) && row.best === -Infinity && row.id === 9007199254740993n);
 * ```
 */
// deno-lint-ignore no-explicit-any -- JSON is untyped, as JSON.parse's result is.
export function parseWandbJson(text: string): any {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new ExtendedJsonParser(text).document();
  }
  return hasUnsafeInteger(value) ? JSON.parse(text, exactIntegers) : value;
}

/** Integer literals beyond ±2^53 as exact bigints (a reviver for `JSON.parse`). */
function exactIntegers(this: unknown, _key: string, value: unknown, context?: { source?: string }) {
  if (
    typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) &&
    context?.source !== undefined && integerLiteral.test(context.source)
  ) {
    return BigInt(context.source);
  }
  return value;
}

const integerLiteral = /^-?\d+$/;

/** Whether a parsed value holds an integer beyond ±2^53 (or one written as `1e300`). */
function hasUnsafeInteger(value: unknown): boolean {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value !== "object" || value === null) return false;
  // A stack rather than recursion: nesting as deep as JSON.parse accepts does not overflow.
  const pending: Array<unknown> = [value];
  while (pending.length > 0) {
    const next = pending.pop() as object;
    for (const item of Array.isArray(next) ? next : Object.values(next)) {
      if (typeof item === "number") {
        if (Number.isInteger(item) && !Number.isSafeInteger(item)) return true;
      } else if (typeof item === "object" && item !== null) {
        pending.push(item);
      }
    }
  }
  return false;
}

/** Nesting deeper than this is refused rather than allowed to exhaust the stack. */
const maxDepth = 4096;

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The slow path of {@link parseWandbJson}: a JSON parser that also reads W&B's tokens. */
class ExtendedJsonParser {
  private i = 0;
  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value(0);
    this.blanks();
    if (this.i < this.text.length) this.fail("Expected the end of the text");
    return value;
  }

  private fail(message: string): never {
    throw new WandbJsonError(this.i, `${message} at offset ${this.i}`);
  }

  private blanks(): void {
    const text = this.text;
    let i = this.i;
    for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9;) {
      c = text.charCodeAt(++i);
    }
    this.i = i;
  }

  private word(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    this.i += word.length;
    return true;
  }

  private value(depth: number): unknown {
    this.blanks();
    const c = this.text.charCodeAt(this.i);
    if (c === 0x22) return this.string();
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (this.word("true")) return true;
    if (this.word("false")) return false;
    if (this.word("null")) return null;
    if (this.word("NaN")) return NaN;
    if (this.word("Infinity")) return Infinity;
    if (this.word("-Infinity")) return -Infinity;
    return this.number();
  }

  private number(): number | bigint {
    numberPattern.lastIndex = this.i;
    const match = numberPattern.exec(this.text);
    if (match === null) this.fail("Expected a value");
    this.i += match[0].length;
    const value = Number(match[0]);
    return Number.isSafeInteger(value) || !integerLiteral.test(match[0]) ? value : BigInt(match[0]);
  }

  private string(): string {
    const text = this.text;
    const start = this.i;
    let i = start + 1;
    let escaped = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.i = start;
        this.fail("Unterminated string");
      }
      if (c === 0x22) break;
      if (c === 0x5c) {
        escaped = true;
        i++;
      } else if (c < 0x20) {
        this.i = i;
        this.fail("Control character in a string");
      }
      i++;
    }
    this.i = i + 1;
    if (!escaped) return text.slice(start + 1, i);
    try {
      // The escapes are JSON's: JSON.parse reads them, and checks them.
      return JSON.parse(text.slice(start, i + 1));
    } catch {
      this.i = start;
      return this.fail("Invalid escape in a string");
    }
  }

  private object(depth: number): Record<string, unknown> {
    if (depth > maxDepth) this.fail(`Nesting deeper than ${maxDepth}`);
    this.i++;
    const object: Record<string, unknown> = {};
    this.blanks();
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return object;
    }
    for (;;) {
      this.blanks();
      if (this.text.charCodeAt(this.i) !== 0x22) this.fail("Expected a key");
      const key = this.string();
      this.blanks();
      if (this.text.charCodeAt(this.i) !== 0x3a) this.fail("Expected ':'");
      this.i++;
      const value = this.value(depth);
      if (key === "__proto__") {
        Object.defineProperty(object, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        object[key] = value;
      }
      this.blanks();
      const c = this.text.charCodeAt(this.i++);
      if (c === 0x7d) return object;
      if (c !== 0x2c) {
        this.i--;
        this.fail("Expected ',' or '}'");
      }
    }
  }

  private array(depth: number): Array<unknown> {
    if (depth > maxDepth) this.fail(`Nesting deeper than ${maxDepth}`);
    this.i++;
    const array: Array<unknown> = [];
    this.blanks();
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return array;
    }
    for (;;) {
      array.push(this.value(depth));
      this.blanks();
      const c = this.text.charCodeAt(this.i++);
      if (c === 0x5d) return array;
      if (c !== 0x2c) {
        this.i--;
        this.fail("Expected ',' or ']'");
      }
    }
  }
}

/**
 * Prints a value as JSON text, like `JSON.stringify`, but with non-finite numbers written as
 * `nonFinite` says and `bigint`s as their digits (where `JSON.stringify` throws). The printer
 * of rows and summaries that {@link parseWandbJson} read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printWandbJson } from "@effect-wandb/api";
 * const row = { _step: 1, loss: NaN, id: 9007199254740993n };
 * assert.ok(printWandbJson(row) === '{"_step":1,"loss":null,"id":9007199254740993}');
 * assert.ok(printWandbJson(row, "string") === '{"_step":1,"loss":"NaN","id":9007199254740993}');
 * assert.ok(printWandbJson(row, "token") === '{"_step":1,"loss":NaN,"id":9007199254740993}');
 * ```
 */
export function printWandbJson(value: unknown, nonFinite: NonFiniteNumbers = "null"): string {
  if (nonFinite === "null") {
    try {
      return JSON.stringify(value);
    } catch (e) {
      // JSON.stringify throws on a bigint (and on cycles, which printValue reports in turn).
      if (!(e instanceof TypeError)) throw e;
    }
  } else if (!needsOwnPrinter(value)) {
    return JSON.stringify(value);
  }
  return printValue(value, nonFinite) ?? "null";
}

/** Prints what `JSON.stringify` cannot: bigints, and non-finite numbers other than as null. */
function printValue(value: unknown, nonFinite: NonFiniteNumbers): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) || nonFinite === "token"
        ? String(value)
        : nonFinite === "string"
        ? `"${value}"`
        : "null";
    case "bigint":
      return value.toString();
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        return `[${value.map((item) => printValue(item, nonFinite) ?? "null").join(",")}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return JSON.stringify(value);
      }
      const members: Array<string> = [];
      for (const [key, item] of Object.entries(value)) {
        const printed = printValue(item, nonFinite);
        if (printed !== undefined) members.push(`${JSON.stringify(key)}:${printed}`);
      }
      return `{${members.join(",")}}`;
    }
    default:
      return JSON.stringify(value);
  }
}

/** Whether printing `value` needs {@link printValue}: it holds a bigint or a non-finite number. */
function needsOwnPrinter(value: unknown): boolean {
  const special = (item: unknown) =>
    typeof item === "bigint" || (typeof item === "number" && !Number.isFinite(item));
  if (special(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const pending: Array<unknown> = [value];
  while (pending.length > 0) {
    const next = pending.pop() as object;
    for (const item of Array.isArray(next) ? next : Object.values(next)) {
      if (special(item)) return true;
      if (typeof item === "object" && item !== null) pending.push(item);
    }
  }
  return false;
}

/** What {@link checkWandbJsonBytes} found besides plain JSON: a `NaN` or `±Infinity` token. */
export const HAS_NON_FINITE = 1;

// Bytes of JSON text.
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const UPPER_I = 0x49;
const UPPER_N = 0x4e;
const OPEN_ARRAY = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_ARRAY = 0x5d;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

const NAN_TEXT = new TextEncoder().encode("NaN");
const INFINITY_TEXT = new TextEncoder().encode("Infinity");
const TRUE_TEXT = new TextEncoder().encode("true");
const FALSE_TEXT = new TextEncoder().encode("false");
const NULL_TEXT = new TextEncoder().encode("null");

const isDigit = (byte: number) => byte >= ZERO && byte <= NINE;
const isBlank = (byte: number) =>
  byte === SPACE || byte === NEWLINE || byte === RETURN || byte === TAB;

function wordAt(src: Uint8Array, i: number, end: number, word: Uint8Array): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (src[i + k] !== word[k]) return -1;
  return i + word.length;
}

function isHex(byte: number): boolean {
  const lower = byte | 0x20;
  return isDigit(byte) || (lower >= 0x61 && lower <= 0x66);
}

/** The index after the string whose opening quote is at `i`, or -1 - the offending index. */
function checkString(src: Uint8Array, i: number, end: number): number {
  i++;
  while (i < end) {
    const byte = src[i]!;
    if (byte === QUOTE) return i + 1;
    if (byte < 0x20) return -1 - i;
    if (byte === BACKSLASH) {
      const escaped = src[i + 1];
      if (escaped === LOWER_U) {
        for (let k = 2; k < 6; k++) if (i + k >= end || !isHex(src[i + k]!)) return -1 - i;
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (
        escaped !== QUOTE && escaped !== BACKSLASH && escaped !== 0x2f &&
        escaped !== 0x62 && escaped !== LOWER_F && escaped !== LOWER_N &&
        escaped !== 0x72 && escaped !== LOWER_T
      ) return -1 - i;
      i += 2;
      continue;
    }
    i++;
  }
  return -1 - end;
}

/** The index after the number at `i` (JSON's grammar), or -1 - the offending index. */
function checkNumber(src: Uint8Array, i: number, end: number): number {
  const start = i;
  if (src[i] === MINUS) i++;
  if (src[i] === ZERO) i++;
  else if (i < end && isDigit(src[i]!)) { while (i < end && isDigit(src[i]!)) i++; }
  else return -1 - start;
  if (src[i] === DOT) {
    i++;
    if (i >= end || !isDigit(src[i]!)) return -1 - i;
    while (i < end && isDigit(src[i]!)) i++;
  }
  if (src[i] === LOWER_E || src[i] === UPPER_E) {
    i++;
    if (src[i] === PLUS || src[i] === MINUS) i++;
    if (i >= end || !isDigit(src[i]!)) return -1 - i;
    while (i < end && isDigit(src[i]!)) i++;
  }
  return i;
}

/**
 * Checks that the bytes `[start, end)` are one value of W&B's JSON (blanks around it allowed),
 * without building it: how the NDJSON export checks a row it copies as bytes. Returns 0, or
 * {@link HAS_NON_FINITE} when a `NaN`/`±Infinity` token stands outside a string; for bytes
 * that are not W&B's JSON, `-1 - offset` of the first byte that does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkWandbJsonBytes, HAS_NON_FINITE } from "@effect-wandb/api/graphql";
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * const check = (text: string) => checkWandbJsonBytes(bytes(text), 0, bytes(text).length);
 * assert.ok(check('{"a":[1,"NaN"]}') === 0);
 * assert.ok(check('{"a": NaN, "b": -Infinity}') === HAS_NON_FINITE);
 * assert.ok(check('{"a": 1.2.3}') === -1 - 9); // the second "."
 * ```
 */
export function checkWandbJsonBytes(src: Uint8Array, start: number, end: number): number {
  // Most rows are flat objects of numbers: checked by a loop made for them, five times faster
  // than the general one below, which takes every other row (and every row it refuses).
  while (start < end && isBlank(src[start]!)) start++;
  while (end > start && isBlank(src[end - 1]!)) end--;
  return isFlatNumberObject(src, start, end) ? 0 : checkValue(src, start, end);
}

/**
 * Whether `[start, end)` is exactly an object of keys without escapes and plain JSON numbers,
 * `{"_step":1,"loss":0.5}`: W&B's usual history row. `false` says only "not that shape".
 */
function isFlatNumberObject(src: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (src[i] !== OPEN_OBJECT) return false;
  let c = src[++i];
  if (c === CLOSE_OBJECT) return i + 1 === end;
  // Reads past `end` (the buffer may go on) are caught by the checks of `i` against it.
  for (;;) {
    if (c !== QUOTE) return false;
    for (c = src[++i]; c !== QUOTE; c = src[++i]) {
      if (c === BACKSLASH || c! < 0x20 || i >= end) return false;
    }
    if (src[++i] !== COLON) return false;
    c = src[++i];
    if (c === MINUS) c = src[++i];
    if (c === ZERO) c = src[++i];
    else if (c! > ZERO && c! <= NINE) {
      do c = src[++i]; while (c! >= ZERO && c! <= NINE);
    } else return false;
    if (c === DOT) {
      c = src[++i];
      if (!(c! >= ZERO && c! <= NINE)) return false;
      do c = src[++i]; while (c! >= ZERO && c! <= NINE);
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = src[++i];
      if (c === PLUS || c === MINUS) c = src[++i];
      if (!(c! >= ZERO && c! <= NINE)) return false;
      do c = src[++i]; while (c! >= ZERO && c! <= NINE);
    }
    if (i >= end) return false;
    if (c === CLOSE_OBJECT) return i + 1 === end;
    if (c !== COMMA) return false;
    c = src[++i];
  }
}

/** Open containers of {@link checkValue}, innermost last: 1 for an object, 0 for an array. */
let containers = new Uint8Array(64);

/** {@link checkWandbJsonBytes} for any value. */
function checkValue(src: Uint8Array, start: number, end: number): number {
  let stack = containers;
  let depth = 0;
  let flags = 0;
  let i = start;
  for (;;) {
    // A value is expected at i.
    while (i < end && isBlank(src[i]!)) i++;
    if (i >= end) return -1 - i;
    const first = src[i]!;
    if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      if (depth === stack.length) {
        if (depth >= maxDepth) return -1 - i;
        const grown = new Uint8Array(depth * 2);
        grown.set(stack);
        stack = containers = grown;
      }
      const isObject = first === OPEN_OBJECT;
      stack[depth++] = isObject ? 1 : 0;
      i++;
      while (i < end && isBlank(src[i]!)) i++;
      if (src[i] === (isObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        depth--;
        i++;
      } else if (isObject) {
        i = keyAndColon(src, i, end);
        if (i < 0) return i;
        continue;
      } else {
        continue;
      }
    } else if (first === QUOTE) {
      i = checkString(src, i, end);
      if (i < 0) return i;
    } else if (first === MINUS && src[i + 1] === UPPER_I) {
      const after = wordAt(src, i + 1, end, INFINITY_TEXT);
      if (after < 0) return -1 - i;
      i = after;
      flags |= HAS_NON_FINITE;
    } else if (first === MINUS || isDigit(first)) {
      i = checkNumber(src, i, end);
      if (i < 0) return i;
    } else {
      const word = first === UPPER_N
        ? NAN_TEXT
        : first === UPPER_I
        ? INFINITY_TEXT
        : first === LOWER_T
        ? TRUE_TEXT
        : first === LOWER_F
        ? FALSE_TEXT
        : first === LOWER_N
        ? NULL_TEXT
        : undefined;
      const after = word === undefined ? -1 : wordAt(src, i, end, word);
      if (after < 0) return -1 - i;
      if (word === NAN_TEXT || word === INFINITY_TEXT) flags |= HAS_NON_FINITE;
      i = after;
    }
    // After a value: a comma, the close of its container, or the end.
    for (;;) {
      while (i < end && isBlank(src[i]!)) i++;
      if (depth === 0) return i === end ? flags : -1 - i;
      const byte = src[i];
      const inObject = stack[depth - 1] === 1;
      if (byte === COMMA) {
        i++;
        if (inObject) {
          while (i < end && isBlank(src[i]!)) i++;
          i = keyAndColon(src, i, end);
          if (i < 0) return i;
        }
        break;
      }
      if (byte !== (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1 - i;
      depth--;
      i++;
    }
  }
}

/** A key and its colon at `i`: the index after the colon, or -1 - the offending index. */
function keyAndColon(src: Uint8Array, i: number, end: number): number {
  if (src[i] !== QUOTE) return -1 - i;
  i = checkString(src, i, end);
  if (i < 0) return i;
  while (i < end && isBlank(src[i]!)) i++;
  return src[i] === COLON ? i + 1 : -1 - i;
}

const encoder = new TextEncoder();

/**
 * The bytes `[start, end)` (checked W&B JSON holding a `NaN`/`±Infinity` token) with each
 * token written as `nonFinite` says: the NDJSON export's way to keep its lines JSON.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rewriteNonFiniteBytes } from "@effect-wandb/api/graphql";
 * const row = new TextEncoder().encode('{"a":NaN,"b":"NaN","c":-Infinity}');
 * const text = (b: Uint8Array) => new TextDecoder().decode(b);
 * assert.ok(text(rewriteNonFiniteBytes(row, 0, row.length, "null")) === '{"a":null,"b":"NaN","c":null}');
 * assert.ok(text(rewriteNonFiniteBytes(row, 0, row.length, "string")) === '{"a":"NaN","b":"NaN","c":"-Infinity"}');
 * ```
 */
export function rewriteNonFiniteBytes(
  src: Uint8Array,
  start: number,
  end: number,
  nonFinite: NonFiniteNumbers,
): Uint8Array {
  // "NaN" -> "null" or "\"NaN\"": at most two bytes more per token, a token at least 3 bytes.
  const out = new Uint8Array(end - start + Math.ceil((end - start) / 3) * 2 + 2);
  let o = 0;
  let i = start;
  const write = (token: Uint8Array, negative: boolean) => {
    if (nonFinite === "token") {
      if (negative) out[o++] = MINUS;
      out.set(token, o);
      o += token.length;
    } else if (nonFinite === "null") {
      out.set(NULL_TEXT, o);
      o += NULL_TEXT.length;
    } else {
      out[o++] = QUOTE;
      if (negative) out[o++] = MINUS;
      out.set(token, o);
      o += token.length;
      out[o++] = QUOTE;
    }
  };
  while (i < end) {
    const byte = src[i]!;
    if (byte === QUOTE) {
      const after = checkString(src, i, end);
      const stop = after < 0 ? end : after;
      out.set(src.subarray(i, stop), o);
      o += stop - i;
      i = stop;
    } else if (byte === UPPER_N && wordAt(src, i, end, NAN_TEXT) > 0) {
      write(NAN_TEXT, false);
      i += NAN_TEXT.length;
    } else if (byte === UPPER_I && wordAt(src, i, end, INFINITY_TEXT) > 0) {
      write(INFINITY_TEXT, false);
      i += INFINITY_TEXT.length;
    } else if (byte === MINUS && wordAt(src, i + 1, end, INFINITY_TEXT) > 0) {
      write(INFINITY_TEXT, true);
      i += 1 + INFINITY_TEXT.length;
    } else {
      out[o++] = byte;
      i++;
    }
  }
  return out.subarray(0, o);
}

/**
 * {@link rewriteNonFiniteBytes} for text: a JSON-text row with its tokens written as
 * `nonFinite` says (text without tokens is returned as it is).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rewriteNonFiniteText } from "@effect-wandb/api/graphql";
 * assert.ok(rewriteNonFiniteText('{"a": -Infinity}', "string") === '{"a": "-Infinity"}');
 * ```
 */
export function rewriteNonFiniteText(text: string, nonFinite: NonFiniteNumbers): string {
  if (nonFinite === "token") return text;
  const bytes = encoder.encode(text);
  return new TextDecoder().decode(rewriteNonFiniteBytes(bytes, 0, bytes.length, nonFinite));
}

/**
 * A Schema for W&B's JSON strings (`config`, `summaryMetrics`, `systemMetrics`, …): decodes the
 * text with {@link parseWandbJson}, then with `schema`; encodes with the tokens W&B writes.
 * `Schema.fromJsonString` would reject `NaN` and round large integers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Schema } from "effect";
 * import { fromWandbJsonString } from "@effect-wandb/api/graphql";
 * const Summary = fromWandbJsonString(Schema.Record(Schema.String, Schema.Unknown));
 * const summary = Schema.decodeUnknownSync(Summary)('{"loss": NaN, "acc": 0.5}');
 * assert.ok(Number.isNaN(summary.loss) && summary.acc === 0.5);
 * ```
 */
export function fromWandbJsonString<S extends Schema.Top>(
  schema: S,
): Schema.decodeTo<S, Schema.String> {
  return Schema.String.pipe(
    Schema.decodeTo(
      schema,
      SchemaTransformation.transformEffect<S["Encoded"], string>({
        decode: (text) =>
          Effect.try({
            try: () => parseWandbJson(text),
            catch: (e) =>
              new SchemaIssue.InvalidValue({
                message: `Expected W&B's JSON text: ${e instanceof Error ? e.message : String(e)}`,
              }),
          }),
        encode: (value) => Effect.succeed(printWandbJson(value, "token")),
      }),
    ),
  );
}
