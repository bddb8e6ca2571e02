/**
 * W&B's JSON as bytes: checking that a row is one object of W&B's JSON without parsing it (the
 * NDJSON export's check, with a fast loop for W&B's usual flat rows of numbers), and writing its
 * `NaN`/`±Infinity` tokens as an export asks.
 *
 * @module
 */
import { maxDepth, type NonFiniteNumbers } from "./wandb_json.ts";

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
