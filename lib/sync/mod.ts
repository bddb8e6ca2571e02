/**
 * Incremental exports: `syncProject` with checkpoints in a file or Deno KV, and `exportWithLeases`, many workers sharing one export through expiring leases.
 *
 * @example
 * ```ts
 * import { Checkpoints, syncProject } from "@effect-wandb/api/sync";
 * const sync = syncProject({ project: "acme/mnist", out: "export" });
 * ```
 *
 * @module
 */
export {
  type Checkpoint,
  CheckpointError,
  Checkpoints,
  type CheckpointStore,
  emptyCheckpoint,
  type RunCheckpoint,
} from "./checkpoints.ts";
export { type SyncOptions, type SyncProgress, syncProject, type SyncReport } from "./sync.ts";
export {
  exportWithLeases,
  type LeasedExportOptions,
  type LeasedExportReport,
  readSegments,
} from "./workers.ts";
