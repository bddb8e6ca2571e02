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
  listJobs,
  queuedRunState,
  runQueueItems,
  upsertRunQueue,
  waitUntilQueuedRunFinished,
  waitUntilRunning,
} from "./operations.ts";
export { launchProject, type QueuedRun, type RunQueue, type RunQueueSpec } from "./decoders.ts";
