/**
 * The sweeps' slice of the `Api`: a sweep, a project's sweeps, a sweep's runs and best run, a
 * run's sweep.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Run } from "../runs/decoders.ts";
import type { Sweep } from "./sweeps.ts";

/** The sweeps' methods of the `Api`. */
export interface SweepsApi {
  /** A sweep by `entity/project/sweep_id` (Python's `api.sweep(path)`). */
  sweep(path: string): Effect.Effect<Sweep, WandbError>;
  /** A project's sweeps (Python's `project.sweeps()`). */
  sweeps(project?: string): Stream.Stream<Sweep, WandbError>;
  /** A sweep's runs (Python's `sweep.runs`). */
  sweepRuns(
    sweep: Sweep,
    options?: { readonly order?: string | undefined },
  ): Stream.Stream<Run, WandbError>;
  /**
   * A sweep's best run by its metric and goal, or by `order` (Python's `sweep.best_run(order)`);
   * `null` without runs or metric.
   */
  bestRun(
    sweep: Sweep,
    options?: { readonly order?: string | undefined },
  ): Effect.Effect<Run | null, WandbError>;
  /** A run's sweep (Python's `run.sweep`), or `null` when it belongs to none. */
  runSweep(run: Run): Effect.Effect<Sweep | null, WandbError>;
}

const sweeps = loadOnce(() => import("./sweeps.ts"));

/** Builds the sweeps' slice. */
export function sweepsApi(context: ApiContext): SweepsApi {
  const { client, paths } = context;
  return {
    sweep: (path) =>
      Effect.flatMap(
        Effect.zip(paths.named(path), sweeps),
        ([{ project, name }, m]) => m.getSweep(client, project, name),
      ),
    sweeps: (project) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), sweeps), ([p, m]) => m.listSweeps(client, p)),
      ),
    sweepRuns: (sweep, options) =>
      Stream.unwrap(Effect.map(sweeps, (m) => m.sweepRuns(client, sweep, options))),
    bestRun: (sweep, options) =>
      Effect.flatMap(sweeps, (m) => m.bestSweepRun(client, sweep, options)),
    runSweep: (run) =>
      run.sweepName === null ? Effect.succeed(null) : Effect.flatMap(
        sweeps,
        (m) => m.getSweep(client, { entity: run.entity, project: run.project }, run.sweepName!),
      ),
  };
}
