/**
 * A typed builder for W&B's MongoDB-style run filters and order keys.
 *
 * The server takes `filters` as a JSON string (`$and $or $nor $eq $ne $gt $gte $lt $lte $in
 * $nin $exists $regex`) over run columns, `config.<key>` and `summary_metrics.<key>`. The builder
 * produces exactly that JSON; a raw object is accepted too and checked the same way.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { InvalidArgumentError } from "./errors.ts";
import { printWandbJson } from "./wandb_json.ts";

/** A W&B run filter: a MongoDB-style query document. */
export type RunFilter = { readonly [field: string]: unknown };

/** A JSON scalar a filter can compare against. */
export type FilterValue = string | number | bigint | boolean | null;

/** A filterable field, with one method per comparison operator. */
export interface FilterField {
  /** The server-side path, e.g. `config.lr` or `summary_metrics.val/loss`. */
  readonly path: string;
  /** Equal to (sent as the plain value, as the official client does). */
  eq(value: FilterValue): RunFilter;
  /** Not equal to. */
  ne(value: FilterValue): RunFilter;
  /** Greater than. */
  gt(value: number | bigint | string): RunFilter;
  /** Greater than or equal to. */
  gte(value: number | bigint | string): RunFilter;
  /** Less than. */
  lt(value: number | bigint | string): RunFilter;
  /** Less than or equal to. */
  lte(value: number | bigint | string): RunFilter;
  /** One of the values. */
  in(values: ReadonlyArray<FilterValue>): RunFilter;
  /** None of the values. */
  nin(values: ReadonlyArray<FilterValue>): RunFilter;
  /** Present (or absent, with `false`). */
  exists(present?: boolean): RunFilter;
  /** Matches a regular expression (server-side syntax: a string). */
  regex(pattern: string): RunFilter;
  /** Ascending order key: `+path`. */
  readonly asc: string;
  /** Descending order key: `-path`. */
  readonly desc: string;
}

/**
 * A field by its server-side path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { field } from "@effect-wandb/api";
 * assert.ok(JSON.stringify(field("state").eq("finished")) === '{"state":"finished"}');
 * ```
 */
export function field(path: string): FilterField {
  const op = (name: string, value: unknown): RunFilter => ({ [path]: { [name]: value } });
  return {
    path,
    eq: (value) => ({ [path]: value }),
    ne: (value) => op("$ne", value),
    gt: (value) => op("$gt", value),
    gte: (value) => op("$gte", value),
    lt: (value) => op("$lt", value),
    lte: (value) => op("$lte", value),
    in: (values) => op("$in", [...values]),
    nin: (values) => op("$nin", [...values]),
    exists: (present = true) => op("$exists", present),
    regex: (pattern) => op("$regex", pattern),
    asc: `+${path}`,
    desc: `-${path}`,
  };
}

/**
 * A config key (`config.<key>`; nested keys with dots, e.g. `model.layers`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { config } from "@effect-wandb/api";
 * assert.ok(JSON.stringify(config("lr").lt(0.01)) === '{"config.lr":{"$lt":0.01}}');
 * ```
 */
export function config(key: string): FilterField {
  return field(`config.${key}`);
}

/**
 * A summary metric (`summary_metrics.<key>`; names may contain `/`, e.g. `val/loss`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summary } from "@effect-wandb/api";
 * assert.ok(summary("val/loss").desc === "-summary_metrics.val/loss");
 * ```
 */
export function summary(key: string): FilterField {
  return field(`summary_metrics.${key}`);
}

/**
 * The run columns W&B filters and orders on.
 *
 * @example
 * ```ts
 * import { runField } from "@effect-wandb/api";
 * const finished = runField.state.eq("finished");
 * const newestFirst = runField.createdAt.desc;
 * ```
 */
export const runField: {
  readonly state: FilterField;
  readonly tags: FilterField;
  readonly displayName: FilterField;
  readonly name: FilterField;
  readonly createdAt: FilterField;
  readonly heartbeatAt: FilterField;
  readonly group: FilterField;
  readonly jobType: FilterField;
  readonly sweep: FilterField;
  readonly username: FilterField;
  readonly host: FilterField;
  readonly duration: FilterField;
} = {
  state: field("state"),
  tags: field("tags"),
  displayName: field("displayName"),
  name: field("name"),
  createdAt: field("createdAt"),
  heartbeatAt: field("heartbeatAt"),
  group: field("group"),
  jobType: field("jobType"),
  sweep: field("sweep"),
  username: field("username"),
  host: field("host"),
  duration: field("duration"),
};

/**
 * All of the filters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { and, config, runField } from "@effect-wandb/api";
 * const f = and(runField.state.eq("finished"), config("lr").lt(0.01));
 * assert.ok(JSON.stringify(f) === '{"$and":[{"state":"finished"},{"config.lr":{"$lt":0.01}}]}');
 * ```
 */
export function and(...filters: ReadonlyArray<RunFilter>): RunFilter {
  return { $and: [...filters] };
}

/**
 * Any of the filters.
 *
 * @example
 * ```ts
 * import { or, runField } from "@effect-wandb/api";
 * const f = or(runField.state.eq("crashed"), runField.state.eq("failed"));
 * ```
 */
export function or(...filters: ReadonlyArray<RunFilter>): RunFilter {
  return { $or: [...filters] };
}

/**
 * None of the filters.
 *
 * @example
 * ```ts
 * import { nor, runField } from "@effect-wandb/api";
 * const f = nor(runField.state.eq("running"));
 * ```
 */
export function nor(...filters: ReadonlyArray<RunFilter>): RunFilter {
  return { $nor: [...filters] };
}

const logical = new Set(["$and", "$or", "$nor"]);
const comparison = new Set([
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
]);

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u);

/**
 * How deeply a filter may nest (operators and values together). W&B's own filters nest a few
 * levels; the bound keeps a runaway value (200,000 levels, or a cycle) a typed error instead of
 * a stack overflow.
 */
export const maxFilterDepth = 64;

/** A filter's walk: its depth and the objects on the way down, to tell a cycle. */
interface Walk {
  readonly depth: number;
  readonly above: ReadonlyArray<object>;
}

const deeper = (walk: Walk, value: object): Walk => ({
  depth: walk.depth + 1,
  above: [...walk.above, value],
});

/** The problem of a value nested past the bound or inside itself, if it is one. */
function shapeProblem(value: unknown, at: string, walk: Walk): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (walk.above.includes(value)) return `${at} contains itself (a cycle), which JSON cannot carry`;
  if (walk.depth >= maxFilterDepth) {
    return `${shortPath(at)} nests deeper than ${maxFilterDepth} levels, which no W&B filter needs`;
  }
  return undefined;
}

/** A location shortened to its first and last steps, for a value nested very deep. */
const shortPath = (at: string) => at.length > 200 ? `${at.slice(0, 80)}…${at.slice(-80)}` : at;

/** Finds the first problem in a filter, as a message with its location, or `undefined`. */
function filterProblem(filter: unknown, at: string, walk: Walk): string | undefined {
  if (!isPlainObject(filter)) return `${at} must be an object`;
  const shape = shapeProblem(filter, at, walk);
  if (shape !== undefined) return shape;
  const inner = deeper(walk, filter);
  for (const [key, value] of Object.entries(filter)) {
    const here = `${at}.${key}`;
    if (key.startsWith("$")) {
      if (!logical.has(key)) return `${here}: unsupported operator '${key}' at the top of a filter`;
      if (!Array.isArray(value)) return `${here} must be an array of filters`;
      for (const [i, sub] of value.entries()) {
        const problem = filterProblem(sub, `${here}[${i}]`, inner);
        if (problem !== undefined) return problem;
      }
      continue;
    }
    if (key.length === 0) return `${at} has an empty field name`;
    const problem = conditionProblem(value, here, inner);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function conditionProblem(value: unknown, at: string, walk: Walk): string | undefined {
  if (!isPlainObject(value)) return jsonProblem(value, at, walk);
  const keys = Object.keys(value);
  if (!keys.some((k) => k.startsWith("$"))) return jsonProblem(value, at, walk);
  const shape = shapeProblem(value, at, walk);
  if (shape !== undefined) return shape;
  const inner = deeper(walk, value);
  for (const [op, operand] of Object.entries(value)) {
    if (!comparison.has(op)) {
      return `${at}: unsupported operator '${op}' (the operators are ${[...comparison].join(" ")})`;
    }
    if ((op === "$in" || op === "$nin") && !Array.isArray(operand)) {
      return `${at}.${op} must be an array`;
    }
    if (op === "$exists" && typeof operand !== "boolean") return `${at}.$exists must be a boolean`;
    if (op === "$regex" && typeof operand !== "string") return `${at}.$regex must be a string`;
    const problem = jsonProblem(operand, `${at}.${op}`, inner);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function jsonProblem(value: unknown, at: string, walk: Walk): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
    // An integer past 2^53, as W&B keeps it and this library reads it: written as its digits.
    case "bigint":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${at} is ${value}, which JSON cannot carry`;
    case "object": {
      if (value === null) return undefined;
      const shape = shapeProblem(value, at, walk);
      if (shape !== undefined) return shape;
      const inner = deeper(walk, value);
      for (const [k, v] of Object.entries(value)) {
        const problem = jsonProblem(v, `${at}.${k}`, inner);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    default:
      return `${at} is ${typeof value}, which JSON cannot carry`;
  }
}

/**
 * Checks a filter (built or raw) and encodes it as the JSON string the server expects
 * (`"{}"` for no filter).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { encodeFilters, runField } from "@effect-wandb/api";
 * assert.ok(Effect.runSync(encodeFilters(runField.state.eq("finished"))) === '{"state":"finished"}');
 * ```
 */
export function encodeFilters(
  filter: RunFilter | undefined,
): Effect.Effect<string, InvalidArgumentError> {
  return Effect.suspend(() => {
    if (filter === undefined) return Effect.succeed("{}");
    const problem = filterProblem(filter, "filters", { depth: 0, above: [] });
    return problem === undefined
      // Big integers go as their digits, exactly (JSON.stringify refuses them).
      ? Effect.succeed(printWandbJson(filter))
      : Effect.fail(new InvalidArgumentError({ argument: "filters", message: problem }));
  });
}

const orderPattern = /^[+-]?[A-Za-z_][\w.\/\- ]*$/;

/**
 * Checks an order key (`+created_at`, `-summary_metrics.loss`, `+config.lr.value`). A key
 * without a sign is ascending, written with `+` as the server expects. Empty means the server's
 * default, `+created_at`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { encodeOrder } from "@effect-wandb/api";
 * assert.ok(Effect.runSync(encodeOrder("createdAt")) === "+createdAt");
 * ```
 */
export function encodeOrder(
  order: string | undefined,
): Effect.Effect<string, InvalidArgumentError> {
  return Effect.suspend(() => {
    if (order === undefined || order.trim() === "") return Effect.succeed("+created_at");
    const text = order.trim();
    if (!orderPattern.test(text)) {
      return Effect.fail(
        new InvalidArgumentError({
          argument: "order",
          value: order,
          message: `Cannot use '${order}' as an order key; expected +field or -field`,
        }),
      );
    }
    return Effect.succeed(text.startsWith("+") || text.startsWith("-") ? text : `+${text}`);
  });
}
