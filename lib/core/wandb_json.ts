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
export const maxDepth = 4096;

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
