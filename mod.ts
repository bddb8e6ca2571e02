/**
 * effect-wandb: the Weights & Biases public API (Python's `wandb.Api()`) for Deno and Effect.
 *
 * Every call is an `Effect` with typed errors; every collection is a lazy `Stream`. Start with
 * the {@link Api} service, provided by `Api.layer(options)` or `Api.layerFromEnv`. This entry
 * holds what a program calls: the `Api` and its layers, the options and results of its methods,
 * errors, the retry policy, filters and sinks. Each resource's functions over a `WandbClient`
 * have an entry of their own (`@effect-wandb/api/history`, `/artifacts`, `/launch`, …), and the
 * query builders under them are in `@effect-wandb/api/graphql`.
 *
 * @example Counting a project's finished runs
 * ```ts
 * import { Effect, Layer } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { Api, runField } from "@effect-wandb/api";
 *
 * const finished = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.runCount("acme/mnist", { filters: runField.state.eq("finished") });
 * });
 * const live = Api.layerFromEnv.pipe(Layer.provide(FetchHttpClient.layer));
 * // await Effect.runPromise(finished.pipe(Effect.provide(live)));
 * ```
 *
 * @module
 */
export { Api, type ApiCore, type ApiShape, makeApi } from "./lib/api/api.ts";
export {
  type Artifact,
  type ArtifactCollection,
  type ArtifactFile,
  type ArtifactManifest,
  type ArtifactManifestEntry,
  type ArtifactType,
} from "./lib/artifacts/decoders.ts";
export { type ArtifactDownload, type ArtifactDownloadOptions } from "./lib/artifacts/download.ts";
export {
  type ArtifactChanges,
  type CollectionChanges,
  type LinkedArtifact,
} from "./lib/artifacts/mutations.ts";
export {
  type ArtifactVersionsOptions,
  type GetArtifactOptions,
} from "./lib/artifacts/operations.ts";
export { BufferPool } from "./lib/core/buffers.ts";
export {
  type ApiConfig,
  type ApiOptions,
  defaultBaseUrl,
  defaultConcurrency,
  defaultMaxResponseBytes,
  defaultRetryBudget,
  defaultTimeout,
  libraryVersion,
  makeApiConfig,
} from "./lib/core/config.ts";
export {
  apiConfigFromEnv,
  apiOptionsConfig,
  apiOptionsFromEnv,
  checkedEnvVarsProvider,
  envVarsProvider,
  wandbEnvProvider,
  wandbEnvVars,
} from "./lib/core/env.ts";
export { type RunRef } from "./lib/core/context.ts";
export {
  type DownloadedFile,
  type DownloadFilesOptions,
  type ExistingFileOptions,
  type MultipartOptions,
} from "./lib/core/download.ts";
export {
  AuthenticationError,
  ChecksumError,
  DecodeError,
  type DenoPermission,
  type DownloadError,
  GraphqlError,
  type GraphqlErrorEntry,
  InvalidArgumentError,
  isRetryable,
  LocalFileError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type RequestError,
  type RequestFacts,
  RuntimePermissionError,
  ServerError,
  TransportError,
  type TransportFailure,
  UnsupportedByServerError,
  WaitTimeoutError,
  type WandbError,
} from "./lib/core/errors.ts";
export {
  and,
  config,
  encodeFilters,
  encodeOrder,
  field,
  type FilterField,
  type FilterValue,
  nor,
  or,
  runField,
  type RunFilter,
  summary,
} from "./lib/core/filters.ts";
export { type Page } from "./lib/core/pagination.ts";
export { type ProjectPath, type RunPath } from "./lib/core/paths.ts";
export {
  atLeastServerDelay,
  defaultRetrySchedule,
  retryAfterMillisFromHeaders,
  serverRequestedDelay,
} from "./lib/core/retry.ts";
export {
  type NonFiniteNumbers,
  parseWandbJson,
  printWandbJson,
  WandbJsonError,
} from "./lib/core/wandb_json.ts";
export {
  csvCell,
  type CsvOptions,
  ExportError,
  type ExportRecord,
  type NdjsonOptions,
  type ParquetOptions,
  type SinkError,
  unionColumns,
  writeBytes,
  type WriteBytesOptions,
  writeCsv,
  writeJsonLines,
  writeNdjson,
  writeParquet,
} from "./lib/export/sinks.ts";
export { type RunFile } from "./lib/files/decoders.ts";
export {
  type RunFileDownloadOptions,
  type RunFilesOptions,
  type UploadRunFileOptions,
} from "./lib/files/operations.ts";
export {
  type MultiRunOptions,
  type TaggedHistoryFormats,
  type TaggedHistoryRow,
} from "./lib/history/multi_run.ts";
export { type FollowHistoryOptions } from "./lib/history/follow.ts";
export { type TypedRows } from "./lib/history/api.ts";
export { type HistoryRow } from "./lib/history/queries.ts";
export { type HistoryOptions } from "./lib/history/sampled.ts";
export {
  decodeHistoryRows,
  type HistoryFormat,
  type HistoryFormats,
  type ScanHistoryOptions,
  type ScanMode,
} from "./lib/history/scan.ts";
export { type QueuedRun, type RunQueue, type RunQueueSpec } from "./lib/launch/decoders.ts";
export { type ProjectsOptions } from "./lib/projects/api.ts";
export { type Project } from "./lib/projects/projects.ts";
export { type ReportsOptions } from "./lib/reports/api.ts";
export { type Report, type ReportSection } from "./lib/reports/reports.ts";
export { type CreateRunOptions, type PathTarget, type RunsOptions } from "./lib/runs/api.ts";
export { type RunChanges, type WaitOptions } from "./lib/runs/changes.ts";
export { type FollowRunsOptions, type RunEvent } from "./lib/runs/follow.ts";
export { type RunSchemas, type SkippedRun } from "./lib/runs/typed.ts";
export { type ConsoleLogLine, type ConsoleLogsOptions } from "./lib/console/operations.ts";
export {
  type Integration,
  type SlackIntegration,
  type WebhookIntegration,
} from "./lib/integrations/operations.ts";
export { type ServerCapabilities } from "./lib/core/capabilities.ts";
export { type JsonObject, type Run, unwrapConfig } from "./lib/runs/decoders.ts";
export { type RunsTableRow, runsTableRow } from "./lib/runs/table.ts";
export { type Sweep } from "./lib/sweeps/sweeps.ts";
export { type Team, type TeamMember } from "./lib/teams/teams.ts";
export { type ApiKeyInfo, type GeneratedApiKey, type UserAccount } from "./lib/users/users.ts";
export { type User } from "./lib/viewer/viewer.ts";
