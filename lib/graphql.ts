/**
 * The building blocks under the `Api`, for programs that write their own queries: every query
 * builder and the Schema of its answer's `data`, GraphQL documents as data, the `WandbClient`
 * transport and its options, request batching, pagination, and the byte-level W&B JSON helpers.
 *
 * @example A query of your own, through the Api's client
 * ```ts
 * import { Effect, Schema } from "effect";
 * import { Api } from "@effect-wandb/api";
 * import { operationDocument } from "@effect-wandb/api/graphql";
 *
 * const document = operationDocument(`query Me { viewer { username } }`);
 * const me = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.client.execute({
 *     operation: "Me",
 *     document,
 *     variables: {},
 *     decoder: Schema.Struct({ viewer: Schema.Struct({ username: Schema.String }) }),
 *   });
 * });
 * ```
 *
 * @module
 */
export { artifactsBatchQuery } from "./artifacts/batch.ts";
export {
  ArtifactCollectionNode,
  type ArtifactCollectionNodeData,
  ArtifactFileNode,
  type ArtifactFileNodeData,
  ArtifactManifestText,
  ArtifactNode,
  type ArtifactNodeData,
  ArtifactTypeNode,
  type ArtifactTypeNodeData,
  type ManifestEntryJsonData,
  type ProjectInfoData,
} from "./artifacts/decoders.ts";
export {
  aliasesMutation,
  type CollectionResultData,
  type CollectionTagsData,
  collectionTagsMutation,
  type DeleteArtifactData,
  deleteArtifactMutation,
  type DeleteCollectionData,
  deleteCollectionMutation,
  type LinkArtifactData,
  linkArtifactLegacyMutation,
  linkArtifactMutation,
  moveCollectionMutation,
  type SuccessData,
  type UpdateArtifactData,
  type UpdateArtifactInput,
  updateArtifactMutation,
  updateCollectionMutation,
} from "./artifacts/change_queries.ts";
export {
  type ArtifactByIdData,
  artifactByIdQuery,
  type ArtifactByNameData,
  artifactByNameQuery,
  type ArtifactCollectionData,
  artifactCollectionQuery,
  type ArtifactCollectionsData,
  artifactCollectionsQuery,
  type ArtifactFilesData,
  artifactFilesQuery,
  type ArtifactFileUrlsData,
  artifactFileUrlsQuery,
  artifactFragments,
  type ArtifactTypeData,
  artifactTypeQuery,
  type ArtifactTypesData,
  artifactTypesQuery,
  type ArtifactVersionsData,
  artifactVersionsQuery,
  type ConnectionData,
  type ManifestUrlData,
  manifestUrlQuery,
} from "./artifacts/queries.ts";
export {
  type ArtifactCreatedByData,
  artifactCreatedByQuery,
  type ArtifactUsedByData,
  artifactUsedByQuery,
  type CreateArtifactData,
  logArtifactMutation,
  type RunArtifactsData,
  runArtifactsQuery,
  type RunInfoData,
  type UseArtifactData,
  useArtifactMutation,
} from "./artifacts/lineage_queries.ts";
export {
  type BatchData,
  batchedByEntity,
  type BatchedLookup,
  batchField,
  type BatchPart,
  batchQuery,
} from "./core/batch.ts";
export { fragment, type GraphqlRequest, operationDocument, printDocument } from "./core/graphql.ts";
export {
  learnCapabilities,
  requireFeature,
  type ServerCapabilities,
  type ServerFeature,
  serverFeaturesQuery,
  serverVersionQuery,
} from "./core/capabilities.ts";
export {
  distinctBy,
  PageSizer,
  paginate,
  type PaginateOptions,
  paginatePages,
  sizedPages,
} from "./core/pagination.ts";
export { QuotaPacer } from "./core/quota.ts";
export {
  type BodyRead,
  type ByteRange,
  type DownloadOptions,
  makeWandbClient,
  type OpenDownload,
  type OpenDownloadOptions,
  type RangeDownload,
  type WandbClient,
} from "./core/transport.ts";
export {
  checkWandbJsonBytes,
  HAS_NON_FINITE,
  rewriteNonFiniteBytes,
  rewriteNonFiniteText,
} from "./core/wandb_json_bytes.ts";
export { fromWandbJsonString } from "./core/wandb_json.ts";
export { RunFileNode, type RunFileNodeData } from "./files/decoders.ts";
export {
  type CreateRunFilesData,
  createRunFilesMutation,
  type DeleteFilesData,
  deleteFilesMutation,
  type RunFilesData,
  runFilesFragment,
  type RunFilesInput,
  runFilesQuery,
} from "./files/queries.ts";
export {
  type EventsField,
  type HistoryField,
  type HistoryKeysField,
  historyPageQuery,
  type ParquetHistoryField,
  parquetHistoryQuery,
  runEventsQuery,
  type RunFieldData,
  runFullHistoryQuery,
  runHistoryKeysQuery,
  runSampledHistoryQuery,
  type SampledHistoryField,
  sampledHistoryPageQuery,
  type SampledHistorySpec,
} from "./history/queries.ts";
export {
  createResourceConfigMutation,
  createRunQueueMutation,
  deleteFromRunQueueMutation,
  deleteRunQueueMutation,
  type ResourceConfigData,
  resourceConfigQuery,
  type RunQueueItemData,
  runQueueItemQuery,
  type RunQueueItemsData,
  runQueueItemsQuery,
  type RunQueueMetadataData,
  runQueueMetadataQuery,
  upsertRunQueueMutation,
} from "./launch/queries.ts";
export {
  type ProjectData,
  type ProjectNodeData,
  projectQuery,
  type ProjectsData,
  projectsQuery,
} from "./projects/projects.ts";
export {
  ReportNode,
  type ReportNodeData,
  type ReportsData,
  reportsQuery,
} from "./reports/reports.ts";
export { runCountsBatchQuery, type RunsBatchData, runsBatchQuery } from "./runs/batch.ts";
export {
  type FullRunNodeData,
  type HistoryKeysData,
  type LightRunNodeData,
  type RunNode,
} from "./runs/decoders.ts";
export {
  type CreateProjectData,
  createProjectMutation,
  createRunMutation,
  type DeleteRunData,
  deleteRunMutation,
  type RunStateData,
  runStateQuery,
  type RunUpdateFields,
  type StopRunData,
  stopRunMutation,
  updateRunMutation,
  type UpdateRunStateData,
  updateRunStateMutation,
  type UpsertBucketData,
} from "./runs/mutations.ts";
export { type ListRunsInput } from "./runs/operations.ts";
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
} from "./runs/queries.ts";
export {
  type SweepData,
  sweepFragment,
  SweepNode,
  type SweepNodeData,
  sweepQuery,
  type SweepsData,
  sweepsQuery,
} from "./sweeps/sweeps.ts";
export {
  createTeamMutation,
  deleteInviteMutation,
  inviteMutation,
  type ServiceAccountData,
  serviceAccountMutation,
  type TeamEntityData,
  type TeamEntityNodeData,
  teamQuery,
} from "./teams/teams.ts";
export {
  type CreateUserData,
  createUserMutation,
  deleteApiKeyMutation,
  type GenerateApiKeyData,
  generateApiKeyMutation,
  type ResultSuccessData,
  type SearchUsersData,
  searchUsersQuery,
  type UserNodeData,
} from "./users/users.ts";
export {
  type DefaultEntityData,
  defaultEntityQuery,
  type ViewerData,
  viewerQuery,
} from "./viewer/viewer.ts";
