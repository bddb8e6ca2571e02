/**
 * Launch: run queues, queued runs and waiting for them, jobs.
 *
 * Everything here is also reachable through the `Api` (its `LaunchApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { LaunchApi } from "@effect-wandb/api/launch";
 * type Methods = keyof LaunchApi;
 * ```
 *
 * @module
 */
export { type LaunchApi, launchApi } from "./api.ts";
export {
  createRunQueue,
  deleteQueuedRun,
  deleteRunQueue,
  getJob,
  getQueuedRun,
  getRunQueue,
  launchProject,
  listJobs,
  type QueuedRun,
  queuedRunState,
  type RunQueue,
  runQueueItems,
  type RunQueueSpec,
  upsertRunQueue,
  waitUntilQueuedRunFinished,
  waitUntilRunning,
} from "./launch.ts";
