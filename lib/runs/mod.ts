/**
 * Runs: listing, counting and looking up runs (batched), their changes, paths and the runs table.
 *
 * Everything here is also reachable through the `Api` (its `RunsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { RunsApi } from "@effect-wandb/api/runs";
 * type Methods = keyof RunsApi;
 * ```
 *
 * @module
 */
export {
  classifyPath,
  formatRunPath,
  isValidName,
  type ParsedPath,
  parseProjectPath,
  parseRunPath,
  type PartialProjectPath,
  type PartialRunPath,
} from "../core/paths.ts";
export {
  type CreateRunOptions,
  type PathTarget,
  type RunsApi,
  runsApi,
  type RunsOptions,
} from "./api.ts";
export {
  maxRunsPerBatch,
  RunCountLookup,
  runCountResolver,
  RunLookup,
  runLookupResolver,
} from "./batch.ts";
export {
  appUrl,
  createProject,
  createRun,
  deleteRun,
  isFinishedState,
  type RunChanges,
  runMetadata,
  runUrl,
  stopRun,
  updateRun,
  updateRunState,
  type WaitOptions,
  waitUntilFinished,
} from "./changes.ts";
export {
  allRunFields,
  type HistoryKeysInfo,
  type JsonObject,
  type Run,
  type RunField,
  selectedRunNode,
  type SelectedRunNodeData,
  unwrapConfig,
} from "./decoders.ts";
export { countRuns, getRun, listRuns, listRunsPages } from "./operations.ts";
export { followRuns, type FollowRunsOptions, type RunEvent } from "./follow.ts";
export { type RunSchemas, type SkippedRun, typedRun, typedRuns } from "./typed.ts";
export { runsTableBaseColumns, type RunsTableRow, runsTableRow } from "./table.ts";
