/**
 * Metric history: full scans of one run or many in records, JSON text or NDJSON bytes (GraphQL windows or Parquet exports), sampled history, system metrics, and the Parquet and NDJSON readers under them.
 *
 * Everything here is also reachable through the `Api` (its `HistoryApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { HistoryApi } from "@effect-wandb/api/history";
 * type Methods = keyof HistoryApi;
 * ```
 *
 * @module
 */
export { type HistoryApi, historyApi } from "./api.ts";
export { finalRunStates, followHistory, type FollowHistoryOptions } from "./follow.ts";
export { historyJsonStep } from "./formats.ts";
export {
  histories,
  type MultiRunOptions,
  scanHistories,
  type TaggedHistoryFormats,
  type TaggedHistoryRow,
  tagHistoryJson,
} from "./multi_run.ts";
export { type NdjsonBatch, type RunTag } from "./ndjson.ts";
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
} from "./parquet.ts";
export { badHistoryRow, type HistoryRow, parseHistoryRows } from "./queries.ts";
export { history, type HistoryOptions, systemMetrics } from "./sampled.ts";
export {
  decodeHistoryRows,
  type HistoryFormat,
  type HistoryFormats,
  lastHistoryStep,
  scanHistory,
  type ScanHistoryOptions,
  type ScanMode,
} from "./scan.ts";
