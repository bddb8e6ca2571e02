/**
 * Following a run's history while it is logged: the rows so far, then each new row as it comes,
 * until the run ends. Each round asks the run's state, then reads the rows after the last one
 * emitted; a round that saw a final state before reading is the last, so no row logged before
 * the run ended is missed, and none is emitted twice.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Ref from "effect/Ref";
import * as Schedule from "effect/Schedule";
import * as Stream from "effect/Stream";
import type { NotFoundError, RequestError, WandbError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import { runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { runStateQuery } from "../runs/mutations.ts";
import type { HistoryRow } from "./queries.ts";
import { scanHistory } from "./scan.ts";

/** The states a run no longer leaves by itself. */
export const finalRunStates: ReadonlySet<string> = new Set([
  "finished",
  "crashed",
  "failed",
  "killed",
]);

/** Options of {@link followHistory}. */
export interface FollowHistoryOptions {
  /**
   * The first step to emit: a follower restarted from the step after the last one it kept
   * gets every later row once.
   * @default {0}
   */
  readonly fromStep?: number | undefined;
  /** Only rows that hold every one of these keys, with only these keys (and `_step`). */
  readonly keys?: ReadonlyArray<string> | undefined;
  /**
   * When to look again after the rows so far. Each look is a request for the run's state and
   * one for its new rows; both are retried and paced as every request of the client is.
   * @default {Schedule.spaced("10 seconds")}
   */
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined;
  /**
   * Steps per request while catching up.
   * @default {1000}
   */
  readonly pageSize?: number | undefined;
}

const roundEnd: unique symbol = Symbol("follow round end");
type RoundEnd = { readonly [roundEnd]: true; readonly final: boolean };
const isRoundEnd = (item: HistoryRow | RoundEnd): item is RoundEnd => roundEnd in item;

/**
 * A run's history rows as they are logged: the rows from `fromStep` so far, then the new ones,
 * polled on `schedule`, ending once the run has finished, crashed, failed or been killed (its
 * last rows included), or when the stream is interrupted.
 *
 * @example Printing a live run's loss until it ends
 * ```ts
 * import { Effect, Schedule, Stream } from "effect";
 * import { followHistory } from "@effect-wandb/api/history";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const watchLoss = (client: WandbClient) =>
 *   followHistory(client, { entity: "acme", project: "mnist", runId: "abc123" }, {
 *     keys: ["loss"],
 *     schedule: Schedule.spaced("30 seconds"),
 *   }).pipe(Stream.runForEach((row) => Effect.log(row._step, row.loss)));
 * ```
 */
export function followHistory(
  client: WandbClient,
  path: RunPath,
  options?: FollowHistoryOptions,
): Stream.Stream<HistoryRow, WandbError> {
  return Stream.unwrap(Effect.gen(function* () {
    const next = yield* Ref.make(options?.fromStep ?? 0);
    const state: Effect.Effect<string, RequestError | NotFoundError> = client.execute(
      runStateQuery(path),
    ).pipe(
      Effect.flatMap((data) =>
        data.project?.run == null
          ? Effect.fail(runNotFound("RunState", path))
          : Effect.succeed(data.project.run.state)
      ),
    );
    // One look: the state first, then the rows after the last one emitted, then a marker
    // saying whether the run had ended before its rows were read.
    const round: Stream.Stream<HistoryRow | RoundEnd, WandbError> = Stream.unwrap(
      Effect.gen(function* () {
        const final = finalRunStates.has(yield* state);
        const from = yield* Ref.get(next);
        const rows = scanHistory(client, path, {
          minStep: from,
          keys: options?.keys,
          pageSize: options?.pageSize,
          // A live run's Parquet export lags its rows: the windows are read as logged.
          mode: "graphql",
        }).pipe(
          Stream.tap((row) => Ref.set(next, (row["_step"] as number) + 1)),
        );
        return Stream.concat(
          rows as Stream.Stream<HistoryRow | RoundEnd, WandbError>,
          Stream.succeed({ [roundEnd]: true, final } as const),
        );
      }),
    );
    return round.pipe(
      Stream.repeat(options?.schedule ?? Schedule.spaced("10 seconds")),
      Stream.takeUntil((item) => isRoundEnd(item) && item.final),
      Stream.filter((item): item is HistoryRow => !isRoundEnd(item)),
    );
  }));
}
