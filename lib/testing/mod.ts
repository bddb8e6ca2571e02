/**
 * The W&B-compatible local server and the layers that point an `Api` at it.
 *
 * The server executes the project's own SDL of the W&B schema with graphql-js over real HTTP on
 * 127.0.0.1, backed by SQLite, with seeded data and fault injection. Use it to test pipelines
 * without a W&B account, or run it with `deno task emulator`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { Api } from "@effect-wandb/api";
 * import { testApiLayer } from "@effect-wandb/api/testing";
 *
 * const names = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.runs("acme/mnist").pipe(Stream.take(3), Stream.map((r) => r.name), Stream.runCollect);
 * });
 * assert.equal((await Effect.runPromise(names.pipe(Effect.provide(testApiLayer())))).length, 3);
 * ```
 *
 * @module
 */
export {
  type Emulator,
  type EmulatorHandle,
  type EmulatorOptions,
  type Fault,
  makeEmulator,
  operationNameOf,
  type RecordedRequest,
  startEmulator,
  type StorageFault,
} from "./emulator.ts";
export {
  historyToParquet,
  type ParquetExportOptions,
  type ParquetExports,
  parquetExports,
  rangeResponse,
} from "./parquet.ts";
export { generatedBytes, generatedMd5 } from "./files/content.ts";
export { type FileContent, mimetypeOf, RunFileStore, type StoredFile } from "./files/store.ts";
export {
  objectResponse,
  type ObjectStorage,
  objectStorage,
  type ObjectStorageOptions,
  type StorageObject,
} from "./storage.ts";
export {
  type ArtifactStore,
  contentMd5,
  manifestDigest,
  type NewEntry,
  type StoredArtifact,
  type StoredArtifactType,
  type StoredCollection,
  type StoredEntry,
} from "./artifacts/store.ts";
export { type StoredSweep, SweepStore } from "./sweeps/store.ts";
export { ReportStore, type StoredReport } from "./reports/store.ts";
export {
  LaunchStore,
  type StoredQueueItem,
  type StoredResourceConfig,
  type StoredRunQueue,
} from "./launch/store.ts";
export { type StoredApiKey, TeamStore } from "./teams/store.ts";
export { LocalServer, localServerLayer, testApiLayer, type TestApiOptions } from "./layer.ts";
export {
  ForbiddenError,
  type ParquetHistoryProvider,
  type ResolverContext,
  rootResolvers,
} from "./resolvers.ts";
export {
  decodeOffsetCursor,
  offsetCursor,
  offsetPage,
  runFilter,
  runOrder,
  RunQueryError,
} from "./run_query.ts";
export { buildWandbSchema, validateOperation, wandbSdl } from "./schema/mod.ts";
export {
  denseMetricName,
  generatedEvent,
  type GeneratedHistorySpec,
  generatedRow,
  generateSeed,
  hashUnit,
  type HistoryQuirks,
  prng,
  seedApiKey,
  type SeedArtifact,
  type SeedArtifactEntry,
  type SeedData,
  type SeedEntity,
  type SeedFile,
  type SeedOptions,
  type SeedProject,
  type SeedReport,
  type SeedRun,
  type SeedRunQueue,
  type SeedSweep,
  type SeedUser,
} from "./seed.ts";
export {
  EmulatorStore,
  type HistoryRow,
  historyValueType,
  type NewRun,
  sampleEvenly,
  type StoredProject,
  type StoredRun,
  type StoredUser,
} from "./store.ts";
export {
  type CostProfile,
  historyRowsIn,
  ProjectQuota,
  type QuotaAnswer,
  saasCostProfile,
  throttledBody,
} from "./cost_profile.ts";
