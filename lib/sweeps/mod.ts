/**
 * Sweeps: a sweep with its config and metric, a project’s sweeps, their runs and best run.
 *
 * Everything here is also reachable through the `Api` (its `SweepsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { SweepsApi } from "@effect-wandb/api/sweeps";
 * type Methods = keyof SweepsApi;
 * ```
 *
 * @module
 */
export { type SweepsApi, sweepsApi } from "./api.ts";
export {
  bestSweepRun,
  getSweep,
  listSweeps,
  parseSweepConfig,
  type Sweep,
  sweepRuns,
  toSweep,
} from "./sweeps.ts";
