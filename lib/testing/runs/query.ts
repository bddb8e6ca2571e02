/**
 * Run filtering and ordering with the real server's semantics.
 *
 * Filters are W&B's MongoDB-style documents, evaluated with mingo over one document per run:
 * run columns, `config.<key>` (stored `{value, desc}`, so `config.lr` is read as
 * `config.lr.value` unless the path says `.value` itself) and `summary_metrics.<key>`.
 *
 * @module
 */
import { Query } from "mingo";
import { Context } from "mingo/core";
import type { AnyObject, Options, QueryOperator } from "mingo/types";
import { resolve } from "mingo/util";
import { parseWandbJson } from "../../core/wandb_json.ts";
import type { StoredRun } from "./store.ts";

/** A filter or order the server refuses; the resolver turns it into a GraphQL error. */
export class RunQueryError extends Error {
  /** Names the error for logs. */
  override readonly name = "RunQueryError";
}

const operators = new Set([
  "$and",
  "$or",
  "$nor",
  "$eq",
  "$ne",
  "$gt",
  "$gte",
  "$lt",
  "$lte",
  "$in",
  "$nin",
  "$exists",
  "$regex",
  "$options",
  "$not",
]);

/**
 * Comparisons with a number or a big integer go through the exact operators below: mingo orders
 * a bigint apart from numbers (and two bigints by their text), so `$gt: 5` would never match
 * 9007199254740993n and W&B's integers past 2^53 could not be filtered exactly.
 */
const exactOperators: Record<string, string> = {
  $eq: "$exactEq",
  $ne: "$exactNe",
  $gt: "$exactGt",
  $gte: "$exactGte",
  $lt: "$exactLt",
  $lte: "$exactLte",
  $in: "$exactIn",
  $nin: "$exactNin",
};

const isNumeric = (value: unknown): value is number | bigint =>
  typeof value === "number" || typeof value === "bigint";

/** An exact operand as mingo can hold it (it prints its query as JSON): a bigint as digits. */
const exactOperand = (value: unknown): unknown => typeof value === "bigint" ? `${value}n` : value;

/** The run columns that hold times: W&B compares them as instants, whatever their offset. */
const timeColumns = new Set([
  "createdAt",
  "created_at",
  "heartbeatAt",
  "heartbeat_at",
  "updatedAt",
  "updated_at",
]);

/** A time as W&B's server reads one: ISO 8601, UTC unless it names an offset; else `NaN`. */
export function instantMillis(text: string): number {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return NaN;
  const withOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) || !trimmed.includes("T")
    ? trimmed
    : `${trimmed}Z`;
  return Date.parse(withOffset);
}

/** A time column's operand as milliseconds since the epoch (its operators' operands too). */
function timeOperand(key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => timeOperand(key, v));
  if (typeof value === "string") {
    const millis = instantMillis(value);
    if (Number.isNaN(millis)) {
      throw new RunQueryError(`invalid filters: ${key} takes a time, not '${value}'`);
    }
    return millis;
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([op, v]) => [op, timeOperand(key, v)]));
  }
  return value;
}

/** Rewrites `config.k…` to `config.k.value…` (the stored form) and checks operators. */
function normalise(filter: unknown): unknown {
  if (Array.isArray(filter)) return filter.map(normalise);
  if (typeof filter !== "object" || filter === null) return filter;
  const out: Record<string, unknown> = {};
  for (const [key, rawValue] of Object.entries(filter)) {
    const value = timeColumns.has(key) ? timeOperand(key, rawValue) : rawValue;
    if (key.startsWith("$")) {
      if (!operators.has(key)) {
        throw new RunQueryError(`invalid filters: unsupported operator ${key}`);
      }
      if (key === "$regex" && typeof value === "string") {
        try {
          new RegExp(value);
        } catch {
          throw new RunQueryError(`invalid filters: bad regular expression ${value}`);
        }
      }
      const exact = exactOperators[key];
      const numeric = Array.isArray(value)
        ? value.some((v) => typeof v === "bigint")
        : typeof value === "bigint" ||
          (typeof value === "number" && key !== "$eq" && key !== "$ne");
      if (exact !== undefined && numeric) {
        out[exact] = Array.isArray(value) ? value.map(exactOperand) : exactOperand(value);
      } else {
        out[key] = normalise(value);
      }
    } else if (typeof value === "bigint") {
      out[configPath(key)] = { $exactEq: exactOperand(value) };
    } else {
      out[configPath(key)] = normalise(value);
    }
  }
  return out;
}

/** An exact operand back from its form in the query. */
const operandValue = (operand: unknown): unknown =>
  typeof operand === "string" && /^-?\d+n$/.test(operand) ? BigInt(operand.slice(0, -1)) : operand;

/**
 * Compares two numbers exactly, a bigint with a bigint or a whole number as integers; `NaN`
 * (W&B's diverged metrics) compares with nothing, as in W&B's filters.
 */
function compareExact(a: number | bigint, b: number | bigint): number | undefined {
  if (typeof a === "number" && Number.isNaN(a)) return undefined;
  if (typeof b === "number" && Number.isNaN(b)) return undefined;
  if (typeof a === "bigint" && typeof b === "number" && Number.isInteger(b)) b = BigInt(b);
  if (typeof b === "bigint" && typeof a === "number" && Number.isInteger(a)) a = BigInt(a);
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  const [x, y] = [Number(a), Number(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A mingo query operator over the value at `selector` (each element, for a list). */
const exactOperator = (test: (value: unknown, operand: unknown) => boolean) =>
(
  selector: string,
  operand: unknown,
  _options: Options,
) => {
  const wanted = Array.isArray(operand) ? operand.map(operandValue) : operandValue(operand);
  return (document: AnyObject) => {
    const value = resolve(document, selector);
    return Array.isArray(value) ? value.some((v) => test(v, wanted)) : test(value, wanted);
  };
};

const ordered = (accept: (cmp: number) => boolean) =>
  exactOperator((value, operand) => {
    if (!isNumeric(value) || !isNumeric(operand)) return false;
    const cmp = compareExact(value, operand);
    return cmp !== undefined && accept(cmp);
  });

const equal = (value: unknown, operand: unknown) =>
  isNumeric(value) && isNumeric(operand) ? compareExact(value, operand) === 0 : value === operand;

// mingo types its operator map by the names it knows: ours are new names, of the same shape.
const exactContext = Context.init({
  query: {
    $exactEq: exactOperator(equal),
    $exactNe: exactOperator((v, o) => !equal(v, o)),
    $exactGt: ordered((c) => c > 0),
    $exactGte: ordered((c) => c >= 0),
    $exactLt: ordered((c) => c < 0),
    $exactLte: ordered((c) => c <= 0),
    $exactIn: exactOperator((v, o) => (o as Array<unknown>).some((x) => equal(v, x))),
    $exactNin: exactOperator((v, o) => !(o as Array<unknown>).some((x) => equal(v, x))),
  } as unknown as Record<string, QueryOperator>,
});

function configPath(key: string): string {
  if (!key.startsWith("config.")) return key;
  const [, name, ...rest] = key.split(".");
  if (rest[0] === "value") return key;
  return ["config", name, "value", ...rest].join(".");
}

/** The document a filter sees for a run. */
function filterDocument(run: StoredRun): Record<string, unknown> {
  const safeParse = (text: string) => {
    try {
      return parseWandbJson(text);
    } catch {
      return {};
    }
  };
  const created = instantMillis(run.createdAt);
  const heartbeat = run.heartbeatAt === null ? created : instantMillis(run.heartbeatAt);
  return {
    name: run.name,
    displayName: run.displayName,
    display_name: run.displayName,
    state: run.state,
    tags: run.tags,
    group: run.group,
    jobType: run.jobType,
    sweep: run.sweepName,
    sweepName: run.sweepName,
    username: run.username,
    host: run.host,
    // Times as instants (milliseconds), compared with filters' times read the same way.
    createdAt: created,
    created_at: created,
    heartbeatAt: run.heartbeatAt === null ? null : heartbeat,
    heartbeat_at: run.heartbeatAt === null ? null : heartbeat,
    duration: (heartbeat - created) / 1000,
    // Parsed only when a filter reads them: a filter on names or states over thousands of runs
    // would otherwise parse every run's config and summary.
    get config() {
      return safeParse(run.configJson);
    },
    get summary_metrics() {
      return safeParse(run.summaryJson);
    },
  };
}

/**
 * Parses a `filters` JSON string into a run predicate.
 *
 * @example
 * ```ts
 * import { runFilter } from "@effect-wandb/api/testing";
 * const finished = runFilter('{"state":"finished"}');
 * ```
 */
export function runFilter(filters: string | null | undefined): (run: StoredRun) => boolean {
  if (filters === null || filters === undefined || filters.trim() === "") return () => true;
  let parsed: unknown;
  try {
    // W&B's JSON: a big integer in a filter is compared exactly, as the server compares it.
    parsed = parseWandbJson(filters);
  } catch {
    throw new RunQueryError("invalid filters: not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new RunQueryError("invalid filters: expected an object");
  }
  if (Object.keys(parsed).length === 0) return () => true;
  let query: Query;
  try {
    query = new Query(normalise(parsed) as Record<string, unknown>, { context: exactContext });
  } catch (error) {
    if (error instanceof RunQueryError) throw error;
    throw new RunQueryError(`invalid filters: ${(error as Error).message}`);
  }
  return (run) => query.test(filterDocument(run));
}

const columnAliases: Record<string, string> = {
  created_at: "createdAt",
  createdAt: "createdAt",
  heartbeat_at: "heartbeatAt",
  heartbeatAt: "heartbeatAt",
  updated_at: "heartbeatAt",
  name: "name",
  display_name: "displayName",
  displayName: "displayName",
  state: "state",
  group: "group",
  job_type: "jobType",
  jobType: "jobType",
};

const readPath = (doc: unknown, path: ReadonlyArray<string>): unknown => {
  let current = doc;
  for (const part of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
};

/**
 * Parses an order key (`+created_at`, `-summary_metrics.loss`, `+config.lr`) into a comparator.
 * Runs without the key sort last; ties keep creation order.
 *
 * @example
 * ```ts
 * import { runOrder } from "@effect-wandb/api/testing";
 * const newestFirst = runOrder("-created_at");
 * ```
 */
export function runOrder(order: string | null | undefined): (a: StoredRun, b: StoredRun) => number {
  const text = order === null || order === undefined || order.trim() === ""
    ? "+created_at"
    : order.trim();
  const descending = text.startsWith("-");
  const key = text.replace(/^[+-]/, "");
  let value: (run: StoredRun) => unknown;
  if (columnAliases[key] !== undefined) {
    const column = columnAliases[key];
    value = column === "createdAt" ? (r) => r.seq : (r) => filterDocument(r)[column];
  } else if (key.startsWith("config.") || key.startsWith("summary_metrics.")) {
    const path = configPath(key).split(".");
    // Metric names may contain dots' cousin, the slash; only dots split the path.
    value = (r) => readPath(filterDocument(r), path);
  } else {
    throw new RunQueryError(`invalid order: unknown key ${key}`);
  }
  return (a, b) => {
    const va = value(a);
    const vb = value(b);
    // NaN has no place among numbers: it sorts with the missing values, last either way.
    const missingA = va === undefined || va === null || Number.isNaN(va);
    const missingB = vb === undefined || vb === null || Number.isNaN(vb);
    if (missingA || missingB) {
      if (missingA && missingB) return a.seq - b.seq;
      return missingA ? 1 : -1;
    }
    const cmp = va < vb ? -1 : va > vb ? 1 : 0;
    return cmp !== 0 ? (descending ? -cmp : cmp) : a.seq - b.seq;
  };
}
