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
} from "./history/parquet.ts";
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
  emptyPageInfo,
  type Fields,
  ForbiddenError,
  type PageArgs,
  type ParquetHistoryProvider,
  type RequestContext,
  type ResolverContext,
  type RootField,
  type ServerResource,
  type ServerRouteContext,
  StatusError,
} from "./resource.ts";
export { serverResources } from "./resources.ts";
export { resolverContext, rootResolvers } from "./resolvers.ts";
export { decodeOffsetCursor, offsetCursor, offsetPage } from "./pages.ts";
export { documentFilter } from "./mongo.ts";
export { runFilter, runOrder, RunQueryError } from "./runs/query.ts";
export { buildWandbSchema, missingCoordinates, validateOperation, wandbSdl } from "./schema/mod.ts";
export {
  featureReleases,
  featuresFieldRelease,
  isServerVersion,
  type ServerProfile,
  serverProfile,
  type ServerVersion,
  serverVersions,
} from "./server_versions.ts";
export {
  type CoreSeed,
  emptySeed,
  generateSeed,
  prng,
  type SeedData,
  type SeedOptions,
  type SeedParts,
} from "./seed.ts";
export { seedApiKey, type SeedEntity, type SeedUser } from "./users/seed.ts";
export { type SeedProject } from "./projects/seed.ts";
export { type SeedRun } from "./runs/seed.ts";
export { type SeedFile } from "./files/seed.ts";
export { type SeedArtifact, type SeedArtifactEntry } from "./artifacts/seed.ts";
export { type SeedSweep } from "./sweeps/seed.ts";
export { type SeedReport } from "./reports/seed.ts";
export { type SeedRunQueue } from "./launch/seed.ts";
export {
  denseMetricName,
  generatedEvent,
  type GeneratedHistorySpec,
  generatedRow,
  hashUnit,
  type HistoryQuirks,
} from "./history/generate.ts";
export { EmulatorStore, type ResourceStores } from "./store.ts";
export { inTransaction, Statements } from "./sqlite.ts";
export { type StoredEntity, type StoredUser, UserStore } from "./users/store.ts";
export { ProjectStore, type StoredProject } from "./projects/store.ts";
export { type NewRun, RunStore, type StoredRun } from "./runs/store.ts";
export {
  type LiveRun,
  type LiveRunEnd,
  type LiveRunOptions,
  liveRunPresets,
  startLiveRun,
} from "./runs/live.ts";
export { type HistoryRow, HistoryStore, historyValueType, sampleEvenly } from "./history/store.ts";
export { usersResource } from "./users/resource.ts";
export { projectsResource } from "./projects/resource.ts";
export { runsResource } from "./runs/resource.ts";
export { historyResource } from "./history/resource.ts";
export { filesResource } from "./files/resource.ts";
export { artifactsResource } from "./artifacts/resource.ts";
export { sweepsResource } from "./sweeps/resource.ts";
export { teamsResource } from "./teams/resource.ts";
export { reportsResource } from "./reports/resource.ts";
export { launchResource } from "./launch/resource.ts";
export { consoleLinesCap, consoleResource } from "./console/resource.ts";
export { ConsoleLogStore, type NewLogLine, type StoredLogLine } from "./console/store.ts";
export { type SeedConsoleLog } from "./console/seed.ts";
export { integrationsResource, integrationView } from "./integrations/resource.ts";
export {
  IntegrationStore,
  type NewIntegration,
  type StoredIntegration,
} from "./integrations/store.ts";
export { type SeedIntegration } from "./integrations/seed.ts";
export { organizationsResource, organizationView } from "./organizations/resource.ts";
export { OrganizationStore, type StoredOrganization } from "./organizations/store.ts";
export { type SeedOrganization } from "./organizations/seed.ts";
export { registriesResource } from "./registries/resource.ts";
export {
  registryPrefix,
  RegistryStore,
  type StoredRegistry,
  type StoredRegistryMember,
} from "./registries/store.ts";
export { type SeedRegistry } from "./registries/seed.ts";
export { automationsResource, automationView } from "./automations/resource.ts";
export {
  AutomationStore,
  type NewAutomation,
  type StoredAutomation,
  type StoredScope,
} from "./automations/store.ts";
export { type SeedAutomation } from "./automations/seed.ts";
export {
  type CostProfile,
  historyRowsIn,
  ProjectQuota,
  type QuotaAnswer,
  type RunCost,
  runCostMicros,
  saasCostProfile,
  throttledBody,
} from "./cost_profile.ts";
