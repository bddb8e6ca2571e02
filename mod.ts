/**
 * effect-wandb: the Weights & Biases public API (Python's `wandb.Api()`) for Deno and Effect.
 *
 * Every call is an `Effect` with typed errors; every collection is a lazy `Stream`. Start with
 * the {@link Api} service, provided by `Api.layer(options)` or `Api.layerFromEnv`.
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
export {
  Api,
  type ApiShape,
  makeApi,
  type PathTarget,
  type ProjectsOptions,
  type RunRef,
  type RunsOptions,
} from "./lib/api/api.ts";
export {
  decodeHistoryRows,
  histories,
  history,
  historyJsonStep,
  type HistoryOptions,
  lastHistoryStep,
  type MultiRunOptions,
  type NdjsonScanOptions,
  scanHistories,
  scanHistoriesJson,
  scanHistoriesNdjson,
  scanHistory,
  scanHistoryJson,
  scanHistoryNdjson,
  type ScanHistoryOptions,
  type ScanMode,
  systemMetrics,
  type TaggedHistoryRow,
  tagHistoryJson,
} from "./lib/history/operations.ts";
export {
  jsonColumnsMetadataKey,
  type ParquetFile,
  parquetFile,
  parquetFooter,
  parquetFooterLength,
  readParquetHistory,
  readParquetHistoryJson,
  readParquetHistoryNdjson,
  readParquetHistorySlice,
  rowGroupByteRange,
  withRowGroupBytes,
} from "./lib/history/parquet.ts";
export type { NdjsonBatch, RunTag } from "./lib/history/ndjson.ts";
export { BufferPool } from "./lib/core/buffers.ts";
export {
  type DownloadedFile,
  downloadFiles,
  type DownloadFilesOptions,
  type DownloadSource,
  downloadToFile,
  type ExistingFileOptions,
  safeLocalPath,
} from "./lib/core/download.ts";
export {
  pathUriOf,
  type RunFile,
  RunFileNode,
  type RunFileNodeData,
  toRunFile,
} from "./lib/files/decoders.ts";
export {
  type CreateRunFilesData,
  createRunFilesMutation,
  type DeleteFilesData,
  deleteFilesMutation,
  type RunFilesData,
  runFilesFragment,
  type RunFilesInput,
  runFilesQuery,
} from "./lib/files/queries.ts";
export {
  deleteRunFile,
  downloadRunFile,
  downloadRunFiles,
  getRunFile,
  listRunFiles,
  type RunFileDownloadOptions,
  type RunFilesOptions,
  runFileSource,
  uploadRunFile,
  type UploadRunFileOptions,
} from "./lib/files/operations.ts";
export {
  checkWandbJsonBytes,
  fromWandbJsonString,
  HAS_NON_FINITE,
  type NonFiniteNumbers,
  parseWandbJson,
  printWandbJson,
  rewriteNonFiniteBytes,
  rewriteNonFiniteText,
  WandbJsonError,
} from "./lib/core/wandb_json.ts";
export {
  badHistoryRow,
  type EventsField,
  type HistoryField,
  type HistoryKeysField,
  historyPageQuery,
  type HistoryRow,
  type ParquetHistoryField,
  parquetHistoryQuery,
  parseHistoryRows,
  runEventsQuery,
  type RunFieldData,
  runFullHistoryQuery,
  runHistoryKeysQuery,
  runSampledHistoryQuery,
  type SampledHistoryField,
  sampledHistoryPageQuery,
  type SampledHistorySpec,
} from "./lib/history/queries.ts";
export {
  type ApiConfig,
  apiConfigFromEnv,
  type ApiOptions,
  apiOptionsConfig,
  defaultBaseUrl,
  defaultConcurrency,
  defaultTimeout,
  libraryVersion,
  makeApiConfig,
  wandbEnvProvider,
  wandbEnvVars,
} from "./lib/core/config.ts";
export {
  AuthenticationError,
  ChecksumError,
  DecodeError,
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
  ServerError,
  TransportError,
  type TransportFailure,
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
export {
  fragment,
  type GraphqlRequest,
  operationDocument,
  printDocument,
} from "./lib/core/graphql.ts";
export {
  distinctBy,
  type Page,
  paginate,
  type PaginateOptions,
  paginatePages,
} from "./lib/core/pagination.ts";
export {
  classifyPath,
  formatRunPath,
  isValidName,
  type ParsedPath,
  parseProjectPath,
  parseRunPath,
  type PartialProjectPath,
  type PartialRunPath,
  type ProjectPath,
  type RunPath,
} from "./lib/core/paths.ts";
export {
  atLeastServerDelay,
  defaultRetrySchedule,
  retryAfterMillisFromHeaders,
  serverRequestedDelay,
} from "./lib/core/retry.ts";
export {
  type BodyRead,
  type ByteRange,
  type DownloadOptions,
  makeWandbClient,
  type RangeDownload,
  type WandbClient,
} from "./lib/core/transport.ts";
export {
  getProject,
  listProjects,
  listProjectsPages,
  type Project,
  type ProjectData,
  type ProjectNodeData,
  projectQuery,
  type ProjectsData,
  projectsQuery,
} from "./lib/projects/projects.ts";
export {
  type FullRunNodeData,
  type HistoryKeysData,
  type HistoryKeysInfo,
  type JsonObject,
  type LightRunNodeData,
  type Run,
  type RunNode,
  unwrapConfig,
} from "./lib/runs/decoders.ts";
export {
  countRuns,
  getRun,
  listRuns,
  type ListRunsInput,
  listRunsPages,
} from "./lib/runs/operations.ts";
export {
  fullRunFragment,
  lightRunFragment,
  type RunCountData,
  runCountQuery,
  type RunData,
  runQuery,
  type RunsData,
  runsQuery,
  type RunsQueryInput,
} from "./lib/runs/queries.ts";
export { runsTableBaseColumns, type RunsTableRow, runsTableRow } from "./lib/runs/table.ts";
export {
  type DefaultEntityData,
  defaultEntityQuery,
  getDefaultEntity,
  getViewer,
  type User,
  type ViewerData,
  viewerQuery,
} from "./lib/viewer/viewer.ts";
export {
  csvCell,
  type CsvOptions,
  ExportError,
  type ExportRecord,
  type NdjsonOptions,
  type ParquetOptions,
  unionColumns,
  writeBytes,
  type WriteBytesOptions,
  writeCsv,
  writeJsonLines,
  writeNdjson,
  writeParquet,
} from "./lib/export/sinks.ts";
