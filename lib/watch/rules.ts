/**
 * Watch rules as data: what makes a run worth an alert. Written in a JSON file (an array, or
 * `{ "rules": [...] }`) and checked against a Schema before any request, so a bad rule is an
 * error naming the rule and the field, never a silent miss.
 *
 * @module
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import { InvalidArgumentError } from "../core/errors.ts";
import { issuePath } from "../core/_graphql_execution.ts";

/** A duration as the rules file writes it: `"30 minutes"`, `"2 hours"`, `"90 seconds"`. */
const DurationText = Schema.String.pipe(
  Schema.check(
    Schema.makeFilter((text: string) => {
      const d = Duration.fromInput(text as Duration.Input);
      return d._tag === "Some" && Duration.isPositive(d.value) && Duration.isFinite(d.value)
        ? undefined
        : `a positive duration like "30 minutes", not ${JSON.stringify(text)}`;
    }),
  ),
);

const Named = { name: Schema.String.pipe(Schema.check(Schema.isNonEmpty())) };

/** The metric is NaN or ±Infinity in a logged row (a loss that diverged). */
const NonFinite = Schema.Struct({
  ...Named,
  kind: Schema.Literal("nonFinite"),
  metric: Schema.String,
});

/** The metric stayed above (or below) a threshold for `forSteps` logged rows in a row. */
const Threshold = Schema.Struct({
  ...Named,
  kind: Schema.Literals(["above", "below"]),
  metric: Schema.String,
  threshold: Schema.Finite,
  forSteps: Schema.optional(Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0)))),
});

/** A running run that has not heartbeated for `for`. */
const NoHeartbeat = Schema.Struct({
  ...Named,
  kind: Schema.Literal("noHeartbeat"),
  for: DurationText,
});

/** A run in one of these states (`crashed`, `failed`, …). */
const State = Schema.Struct({
  ...Named,
  kind: Schema.Literal("state"),
  states: Schema.Array(Schema.Literals(["crashed", "failed", "killed", "finished", "preempted"])),
});

/** A run still running after `for`. */
const RunningLongerThan = Schema.Struct({
  ...Named,
  kind: Schema.Literal("runningLongerThan"),
  for: DurationText,
});

/** A watch rule, as data (each named, for its alerts and errors). */
export type WatchRule =
  /** The metric is NaN or ±Infinity in a logged row. */
  | { readonly name: string; readonly kind: "nonFinite"; readonly metric: string }
  /** The metric above (or below) `threshold` for `forSteps` logged rows in a row (default 1). */
  | {
    readonly name: string;
    readonly kind: "above" | "below";
    readonly metric: string;
    readonly threshold: number;
    readonly forSteps?: number | undefined;
  }
  /** A running run silent for `for` (`"15 minutes"`). */
  | { readonly name: string; readonly kind: "noHeartbeat"; readonly for: string }
  /** A run in one of `states`. */
  | {
    readonly name: string;
    readonly kind: "state";
    readonly states: ReadonlyArray<"crashed" | "failed" | "killed" | "finished" | "preempted">;
  }
  /** A run still running after `for`. */
  | { readonly name: string; readonly kind: "runningLongerThan"; readonly for: string };

/** Each kind's Schema: a rule is checked against its own kind's, for errors that say one thing. */
const byKind: Readonly<Record<string, Schema.Decoder<WatchRule>>> = {
  nonFinite: NonFinite,
  above: Threshold,
  below: Threshold,
  noHeartbeat: NoHeartbeat,
  state: State,
  runningLongerThan: RunningLongerThan,
};

const bad = (message: string) => new InvalidArgumentError({ argument: "rules", message });

/**
 * Checks rules given as data: each against the Schema, names unique. A bad one is an
 * `InvalidArgumentError` naming the rule (its index and name) and the field.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { decodeWatchRules } from "@effect-wandb/api/watch";
 * const rules = Effect.runSync(decodeWatchRules([{ name: "nan", kind: "nonFinite", metric: "loss" }]));
 * assert.equal(rules[0]!.kind, "nonFinite");
 * const refused = Effect.runSync(Effect.flip(decodeWatchRules([{ name: "x", kind: "above", metric: "loss", threshold: "ten" }])));
 * assert.match(refused.message, /rules\[0\] \("x"\): threshold/);
 * ```
 */
export function decodeWatchRules(
  value: unknown,
): Effect.Effect<ReadonlyArray<WatchRule>, InvalidArgumentError> {
  return Effect.gen(function* () {
    const list = Array.isArray(value) ? value : (value as { rules?: unknown } | null)?.rules;
    if (!Array.isArray(list)) {
      return yield* Effect.fail(bad('A rules file is an array of rules, or { "rules": [...] }'));
    }
    const rules: Array<WatchRule> = [];
    for (const [index, raw] of list.entries()) {
      const name = typeof raw?.name === "string" ? ` (${JSON.stringify(raw.name)})` : "";
      const schema = byKind[typeof raw?.kind === "string" ? raw.kind : ""];
      if (schema === undefined) {
        return yield* Effect.fail(
          bad(`rules[${index}]${name}: kind: one of ${Object.keys(byKind).join(", ")}`),
        );
      }
      const rule = yield* Schema.decodeUnknownEffect(schema)(raw).pipe(
        Effect.mapError((e) => {
          const field = issuePath(e.issue);
          const why = e.message.split("\n")[0]!;
          return bad(`rules[${index}]${name}: ${field === "" ? "" : `${field}: `}${why}`);
        }),
      );
      if (rules.some((r) => r.name === rule.name)) {
        return yield* Effect.fail(bad(`rules[${index}]${name}: name: another rule has this name`));
      }
      rules.push(rule);
    }
    return rules;
  });
}

/**
 * Reads and checks a rules file (JSON).
 *
 * @example
 * ```ts
 * import { readWatchRules } from "@effect-wandb/api/watch";
 * const rules = readWatchRules("rules.json");
 * ```
 */
export function readWatchRules(
  path: string,
): Effect.Effect<ReadonlyArray<WatchRule>, InvalidArgumentError> {
  return Effect.tryPromise({
    try: () => Deno.readTextFile(path),
    catch: (e) => bad(`${path}: ${e instanceof Error ? e.message : String(e)}`),
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (e) => bad(`${path}: not JSON (${(e as Error).message})`),
      })
    ),
    Effect.flatMap(decodeWatchRules),
    Effect.mapError((e) => e.message.startsWith(path) ? e : bad(`${path}: ${e.message}`)),
  );
}
