/**
 * Typed runs: a run's config and summary decoded by your own Schemas, so a script reads
 * `run.config.lr` as a number instead of re-checking an `unknown` by hand. NaN, ±Infinity and
 * integers past 2^53 keep their meaning (the values are W&B's JSON as read: `NaN`, `bigint`).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import { DecodeError } from "../core/errors.ts";
import { issuePath } from "../core/_graphql_execution.ts";
import type { Run } from "./decoders.ts";

/** The Schemas a run's config and summary are decoded with, and what to do with a misfit. */
export interface RunSchemas<C, S> {
  /** Decodes the run's config (unwrapped: `{ lr: 0.1 }`, not `{ lr: { value: 0.1 } }`). */
  readonly config?: Schema.Decoder<C> | undefined;
  /** Decodes the run's summary. */
  readonly summary?: Schema.Decoder<S> | undefined;
  /**
   * A run whose config or summary does not fit: `"fail"` the stream with a `DecodeError`
   * naming the run and the key, or `"skip"` it (and tell `onSkip`).
   * @default {"fail"}
   */
  readonly invalid?: "fail" | "skip" | undefined;
  /** Told of each run skipped, with why. */
  readonly onSkip?: ((skipped: SkippedRun) => Effect.Effect<void>) | undefined;
}

/** A run left out of a typed listing, and why. */
export interface SkippedRun {
  readonly run: Run;
  readonly error: DecodeError;
}

/**
 * A run with its config and summary decoded by `schemas` (each left as it is without one).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Schema } from "effect";
 * import { typedRun } from "@effect-wandb/api/runs";
 * import type { Run } from "@effect-wandb/api";
 * const run = { path: "acme/mnist/abc", config: { lr: 0.1 }, summary: { loss: 0.5 } } as unknown as Run;
 * const typed = Effect.runSync(typedRun(run, { config: Schema.Struct({ lr: Schema.Number }) }));
 * assert.ok(typed.config?.lr === 0.1);
 * ```
 */
export function typedRun<C = Run["config"], S = Run["summary"]>(
  run: Run,
  schemas: RunSchemas<C, S>,
): Effect.Effect<Run<C, S>, DecodeError> {
  const part = <A>(field: "config" | "summary", schema: Schema.Decoder<A> | undefined) =>
    schema === undefined || run[field] === undefined
      ? Effect.succeed(run[field] as unknown as A | undefined)
      : Schema.decodeUnknownEffect(schema)(run[field]).pipe(
        Effect.mapError((e) =>
          new DecodeError({
            operation: "Runs",
            path: `${run.path}.${field}.${issuePath(e.issue)}`,
            message: `Run ${run.path}: its ${field} does not fit the Schema given: ${e.message}`,
          })
        ),
      );
  return Effect.map(
    Effect.all([part("config", schemas.config), part("summary", schemas.summary)]),
    ([config, summary]) => ({ ...run, config, summary }) as Run<C, S>,
  );
}

/**
 * Runs with their config and summary decoded by `schemas`; a run that does not fit fails the
 * stream, or is skipped with `invalid: "skip"`.
 *
 * @example
 * ```ts
 * import { Schema, Stream } from "effect";
 * import { typedRuns } from "@effect-wandb/api/runs";
 * import type { Run } from "@effect-wandb/api";
 * const Config = Schema.Struct({ lr: Schema.Number, optimizer: Schema.String });
 * const typed = (runs: Stream.Stream<Run>) => runs.pipe(typedRuns({ config: Config }));
 * ```
 */
export function typedRuns<C = Run["config"], S = Run["summary"]>(
  schemas: RunSchemas<C, S>,
): <E, R>(runs: Stream.Stream<Run, E, R>) => Stream.Stream<Run<C, S>, E | DecodeError, R> {
  return (runs) =>
    schemas.invalid === "skip"
      ? Stream.mapEffect(runs, (run) =>
        typedRun(run, schemas).pipe(
          Effect.map((typed): ReadonlyArray<Run<C, S>> => [typed]),
          Effect.catchTag(
            "DecodeError",
            (error) => Effect.as(schemas.onSkip?.({ run, error }) ?? Effect.void, []),
          ),
        )).pipe(Stream.flattenIterable)
      : Stream.mapEffect(runs, (run) => typedRun(run, schemas));
}
