/**
 * Following a project's runs: new runs, state changes, heartbeats gone quiet and runs that
 * ended, as a Stream of events. Each look lists only what may have changed (runs created or
 * heartbeating since the last look, and those running then), not the whole project.
 *
 * @module
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Ref from "effect/Ref";
import * as Schedule from "effect/Schedule";
import * as Stream from "effect/Stream";
import type { WandbError } from "../core/errors.ts";
import { and, encodeFilters, or, runField, type RunFilter } from "../core/filters.ts";
import type { ProjectPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import type { Run } from "./decoders.ts";
import { listRuns } from "./operations.ts";

/** What happened to a run between two looks. */
export type RunEvent =
  /** A run created since following began (or, with `includeExisting`, one already there). */
  | { readonly _tag: "RunCreated"; readonly run: Run }
  /** Its state changed (`running` → `crashed`, `finished` → `pending`, …). */
  | { readonly _tag: "RunStateChanged"; readonly run: Run; readonly from: string }
  /** A running run whose last heartbeat is older than `staleAfter` (once per silence). */
  | {
    readonly _tag: "RunHeartbeatStale";
    readonly run: Run;
    /** How long it has been silent, in milliseconds. */
    readonly silentMillis: number;
  }
  /** It reached a final state: finished, crashed, failed or killed. */
  | { readonly _tag: "RunFinished"; readonly run: Run };

/** Options of {@link followRuns}. */
export interface FollowRunsOptions {
  /** Only runs matching these filters. */
  readonly filters?: RunFilter | undefined;
  /**
   * When to look again.
   * @default {Schedule.spaced("30 seconds")}
   */
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined;
  /**
   * A running run silent for longer than this is reported stale.
   * @default {Duration.minutes(5)}
   */
  readonly staleAfter?: Duration.Input | undefined;
  /**
   * Report the runs already there as created on the first look. Without it, the first look
   * only notes the runs that are running, to report what becomes of them.
   * @default {false}
   */
  readonly includeExisting?: boolean | undefined;
}

const finalStates: ReadonlySet<string> = new Set(["finished", "crashed", "failed", "killed"]);

/** What a follower knows of a run. */
interface Known {
  readonly state: string;
  readonly stale: boolean;
}

/** How far back each look reaches past the last: clocks of client and server differ. */
const overlapMillis = 60_000;

/**
 * A project's run events as they happen, polled on `schedule`, until interrupted.
 *
 * @example Reporting runs that crash
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { followRuns } from "@effect-wandb/api/runs";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const crashes = (client: WandbClient) =>
 *   followRuns(client, { entity: "acme", project: "mnist" }).pipe(
 *     Stream.filter((e) => e._tag === "RunFinished" && e.run.state === "crashed"),
 *     Stream.runForEach((e) => Effect.log(`${e.run.path} crashed`)),
 *   );
 * ```
 */
export function followRuns(
  client: WandbClient,
  project: ProjectPath,
  options?: FollowRunsOptions,
): Stream.Stream<RunEvent, WandbError> {
  const staleAfter = Duration.toMillis(
    Duration.fromInputUnsafe(options?.staleAfter ?? "5 minutes"),
  );
  return Stream.unwrap(Effect.gen(function* () {
    const known = yield* Ref.make(new Map<string, Known>());
    const since = yield* Ref.make<string | undefined>(undefined);
    const list = (filters: RunFilter) =>
      Effect.flatMap(
        encodeFilters(options?.filters === undefined ? filters : and(options.filters, filters)),
        (encoded) =>
          Stream.runCollect(
            listRuns(client, {
              project,
              filters: encoded,
              order: "+created_at",
              perPage: 100,
              full: false,
            }),
          ),
      );
    const look = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis;
      const before = yield* Ref.get(known);
      const mark = yield* Ref.get(since);
      const first = mark === undefined;
      const seen = new Map<string, Run>();
      const add = (runs: ReadonlyArray<Run>) => {
        for (const run of runs) seen.set(run.id, run);
      };
      if (first) {
        add(yield* list(options?.includeExisting === true ? {} : runField.state.eq("running")));
      } else {
        add(
          yield* list(or(
            runField.state.eq("running"),
            runField.createdAt.gte(mark),
            runField.heartbeatAt.gte(mark),
          )),
        );
        // Runs running at the last look that this one did not see: what became of them.
        const gone = [...before].filter(([id, k]) => k.state === "running" && !seen.has(id));
        for (let i = 0; i < gone.length; i += 50) {
          add(yield* list(runField.name.in(gone.slice(i, i + 50).map(([id]) => id))));
        }
      }
      const events: Array<RunEvent> = [];
      const after = new Map(before);
      for (const run of seen.values()) {
        const was = before.get(run.id);
        const silent = run.state === "running" && run.heartbeatAt !== null
          ? now -
            Date.parse(run.heartbeatAt.endsWith("Z") ? run.heartbeatAt : `${run.heartbeatAt}Z`)
          : 0;
        const stale = silent > staleAfter;
        if (was === undefined) {
          if (!first || options?.includeExisting === true) {
            events.push({ _tag: "RunCreated", run });
          }
        } else if (was.state !== run.state) {
          events.push({ _tag: "RunStateChanged", run, from: was.state });
        }
        if (stale && (was === undefined || !was.stale || was.state !== "running")) {
          events.push({ _tag: "RunHeartbeatStale", run, silentMillis: silent });
        }
        if (
          finalStates.has(run.state) && (was === undefined ? !first : !finalStates.has(was.state))
        ) {
          events.push({ _tag: "RunFinished", run });
        }
        after.set(run.id, { state: run.state, stale });
      }
      yield* Ref.set(known, after);
      yield* Ref.set(since, new Date(now - overlapMillis).toISOString());
      return events;
    });
    return Stream.fromEffect(look).pipe(
      Stream.repeat(options?.schedule ?? Schedule.spaced("30 seconds")),
      Stream.flatMap((events) => Stream.fromIterable(events)),
    );
  }));
}
