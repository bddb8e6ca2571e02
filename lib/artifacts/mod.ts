/**
 * Artifacts: types, collections, versions, manifests, files, verified downloads, changes and lineage.
 *
 * Everything here is also reachable through the `Api` (its `ArtifactsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { ArtifactsApi } from "@effect-wandb/api/artifacts";
 * type Methods = keyof ArtifactsApi;
 * ```
 *
 * @module
 */
export { type ArtifactsApi, artifactsApi } from "./api.ts";
export { ArtifactLookup, artifactLookupResolver, maxArtifactsPerBatch } from "./batch.ts";
export {
  type Artifact,
  type ArtifactCollection,
  type ArtifactFile,
  type ArtifactManifest,
  type ArtifactManifestEntry,
  type ArtifactManifestJson,
  type ArtifactType,
  toArtifact,
  toArtifactCollection,
  toArtifactFile,
  toManifest,
} from "./decoders.ts";
export {
  type ArtifactDownload,
  type ArtifactDownloadOptions,
  checkoutArtifact,
  defaultArtifactRoot,
  downloadArtifact,
  downloadArtifactFile,
  verifyArtifact,
} from "./download.ts";
export {
  artifactLoggedBy,
  artifactUsedBy,
  listRunArtifacts,
  logArtifact,
  useArtifact,
} from "./lineage.ts";
export {
  type ArtifactChanges,
  type CollectionChanges,
  deleteArtifact,
  deleteArtifactCollection,
  linkArtifact,
  type LinkedArtifact,
  saveArtifact,
  saveArtifactCollection,
} from "./mutations.ts";
export {
  artifactCollectionExists,
  type ArtifactError,
  artifactExists,
  artifactOfProject,
  type ArtifactVersionsOptions,
  getArtifact,
  getArtifactById,
  getArtifactCollection,
  getArtifactEntry,
  getArtifactManifest,
  type GetArtifactOptions,
  getArtifactType,
  listArtifactCollections,
  listArtifactFiles,
  listArtifactTypes,
  listArtifactVersions,
  parseArtifactPath,
} from "./operations.ts";
