/**
 * The artifacts' slice of the `Api`: types, collections, versions and their manifests and
 * files; verified downloads, verification and checkout; changes of versions and collections;
 * lineage between runs and versions.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce, memoized, type RunRef } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type { Run } from "../runs/decoders.ts";
import type {
  Artifact,
  ArtifactCollection,
  ArtifactFile,
  ArtifactManifest,
  ArtifactManifestEntry,
  ArtifactType,
} from "./decoders.ts";
import type { ArtifactDownload, ArtifactDownloadOptions } from "./download.ts";
import type { ArtifactChanges, CollectionChanges, LinkedArtifact } from "./mutations.ts";
import type { ArtifactVersionsOptions, GetArtifactOptions } from "./operations.ts";

/** The artifacts' methods of the `Api`. */
export interface ArtifactsApi {
  /** A project's artifact types (Python's `api.artifact_types(project)`). */
  artifactTypes(
    project?: string,
    options?: { readonly perPage?: number | undefined },
  ): Stream.Stream<ArtifactType, WandbError>;
  /** One artifact type (Python's `api.artifact_type(type_name, project)`). */
  artifactType(name: string, project?: string): Effect.Effect<ArtifactType, WandbError>;
  /** A type's collections (Python's `api.artifact_collections(project, type_name)`). */
  artifactCollections(
    project: string | undefined,
    type: string,
    options?: { readonly perPage?: number | undefined },
  ): Stream.Stream<ArtifactCollection, WandbError>;
  /** One collection by `entity/project/name` (Python's `api.artifact_collection(type, name)`). */
  artifactCollection(type: string, name: string): Effect.Effect<ArtifactCollection, WandbError>;
  /** Whether a collection exists (Python's `api.artifact_collection_exists(name, type)`). */
  artifactCollectionExists(name: string, type: string): Effect.Effect<boolean, WandbError>;
  /**
   * A collection's committed versions, newest first (Python's `api.artifacts(type, name,
   * per_page, tags)` and `api.artifact_versions`).
   */
  artifacts(
    type: string,
    name: string,
    options?: ArtifactVersionsOptions,
  ): Stream.Stream<Artifact, WandbError>;
  /**
   * A version by `entity/project/name:alias|vN` (Python's `api.artifact(name, type)`); lookups
   * in flight together share one request.
   */
  artifact(name: string, options?: GetArtifactOptions): Effect.Effect<Artifact, WandbError>;
  /** Whether a version exists (Python's `api.artifact_exists(name, type)`). */
  artifactExists(name: string, type?: string): Effect.Effect<boolean, WandbError>;
  /** A version's manifest (Python's `artifact.manifest`). */
  artifactManifest(artifact: Artifact): Effect.Effect<ArtifactManifest, WandbError>;
  /** One manifest entry (Python's `artifact.get_entry(name)` and `get_path(name)`). */
  artifactEntry(artifact: Artifact, path: string): Effect.Effect<ArtifactManifestEntry, WandbError>;
  /** A version's files as the server lists them (Python's `artifact.files(names, per_page)`). */
  artifactFiles(
    artifact: Artifact,
    options?: { readonly names?: ReadonlyArray<string>; readonly perPage?: number },
  ): Stream.Stream<ArtifactFile, WandbError>;
  /**
   * Downloads a version's files, verified, many at once; a re-run fetches only what is missing
   * or wrong (Python's `artifact.download(root, path_prefix, allow_missing_references)`).
   */
  downloadArtifact(
    artifact: Artifact,
    options?: ArtifactDownloadOptions,
  ): Effect.Effect<ArtifactDownload, WandbError>;
  /** Downloads a one-file version and gives the file's path (Python's `artifact.file(root)`). */
  artifactFile(
    artifact: Artifact,
    options?: { readonly root?: string | undefined },
  ): Effect.Effect<string, WandbError>;
  /** Checks a local copy against the manifest (Python's `artifact.verify(root)`). */
  verifyArtifact(artifact: Artifact, root?: string): Effect.Effect<void, WandbError>;
  /** Makes `root` hold exactly the version's files (Python's `artifact.checkout(root)`). */
  checkoutArtifact(artifact: Artifact, root?: string): Effect.Effect<ArtifactDownload, WandbError>;
  /**
   * Saves a version's description, metadata, TTL, aliases and tags (Python's `artifact.save()`);
   * returns it as the server now has it.
   */
  saveArtifact(artifact: Artifact, changes: ArtifactChanges): Effect.Effect<Artifact, WandbError>;
  /** Deletes a version (Python's `artifact.delete(delete_aliases)`). */
  deleteArtifact(
    artifact: Artifact,
    options?: { readonly deleteAliases?: boolean | undefined },
  ): Effect.Effect<Artifact, WandbError>;
  /** Links a version into a portfolio (Python's `artifact.link(target_path, aliases)`). */
  linkArtifact(
    artifact: Artifact,
    targetPath: string,
    options?: { readonly aliases?: ReadonlyArray<string> | undefined },
  ): Effect.Effect<LinkedArtifact, WandbError>;
  /**
   * Saves a collection's name, description, type and tags (Python's `collection.save()`,
   * `change_type`).
   */
  saveArtifactCollection(
    collection: ArtifactCollection,
    changes: CollectionChanges,
  ): Effect.Effect<ArtifactCollection, WandbError>;
  /** Deletes a collection (Python's `collection.delete()`). */
  deleteArtifactCollection(
    collection: ArtifactCollection,
  ): Effect.Effect<ArtifactCollection, WandbError>;
  /** The versions a run logged (Python's `run.logged_artifacts()`). */
  loggedArtifacts(run: RunRef): Stream.Stream<Artifact, WandbError>;
  /** The versions a run used (Python's `run.used_artifacts()`). */
  usedArtifacts(run: RunRef): Stream.Stream<Artifact, WandbError>;
  /** Declares that a run used a version (Python's `run.use_artifact(artifact, use_as)`). */
  useArtifact(
    run: RunRef,
    artifact: Artifact,
    options?: { readonly usedAs?: string | undefined },
  ): Effect.Effect<Artifact, WandbError>;
  /** Declares a version an output of a run (Python's `run.log_artifact(artifact, aliases)`). */
  logArtifact(
    run: RunRef,
    artifact: Artifact,
    options?: { readonly aliases?: ReadonlyArray<string>; readonly tags?: ReadonlyArray<string> },
  ): Effect.Effect<Artifact, WandbError>;
  /** The run that logged a version (Python's `artifact.logged_by()`), or `null`. */
  artifactLoggedBy(artifact: Artifact): Effect.Effect<Run | null, WandbError>;
  /** The runs that used a version (Python's `artifact.used_by()`). */
  artifactUsedBy(artifact: Artifact): Effect.Effect<ReadonlyArray<Run>, WandbError>;
}

const reads = loadOnce(() => import("./operations.ts"));
const downloads = loadOnce(() => import("./download.ts"));
const mutations = loadOnce(() => import("./mutations.ts"));
const lineage = loadOnce(() => import("./lineage.ts"));
const batch = loadOnce(() => import("./batch.ts"));

/** Builds the artifacts' slice. */
export function artifactsApi(context: ApiContext): ArtifactsApi {
  const { client, paths } = context;
  // Lookups in flight together share one request (see ./batch.ts): one resolver per `Api`.
  const lookups = memoized(
    Effect.map(
      batch,
      (m) => ({ resolver: m.artifactLookupResolver(client), ArtifactLookup: m.ArtifactLookup }),
    ),
  );
  const withReads = <A>(
    use: (m: typeof import("./operations.ts")) => Effect.Effect<A, WandbError>,
  ) => Effect.flatMap(reads, use);
  // `entity/project/name` needs no defaults (and no request for the default entity).
  const named = (path: string) =>
    Effect.flatMap(
      reads,
      (m) =>
        path.split("/").length === 3
          ? m.parseArtifactPath(path, undefined)
          : Effect.flatMap(paths.project(), (defaults) => m.parseArtifactPath(path, defaults)),
    );
  const runStream = <A>(
    run: RunRef,
    make: (m: typeof import("./lineage.ts"), path: RunPath) => Stream.Stream<A, WandbError>,
  ) => Stream.unwrap(Effect.map(Effect.zip(paths.run(run), lineage), ([path, m]) => make(m, path)));
  return {
    artifactTypes: (project, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), reads), ([p, m]) =>
          m.listArtifactTypes(client, p, options)),
      ),
    artifactType: (name, project) =>
      Effect.flatMap(
        Effect.zip(paths.project(project), reads),
        ([p, m]) => m.getArtifactType(client, p, name),
      ),
    artifactCollections: (project, type, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), reads), ([p, m]) =>
          m.listArtifactCollections(client, p, type, options)),
      ),
    artifactCollection: (type, name) =>
      Effect.flatMap(
        named(name),
        ({ project, name }) =>
          withReads((m) => m.getArtifactCollection(client, project, type, name)),
      ),
    artifactCollectionExists: (name, type) =>
      Effect.flatMap(
        named(name),
        ({ project, name }) =>
          withReads((m) => m.artifactCollectionExists(client, project, type, name)),
      ),
    artifacts: (type, name, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(named(name), reads), ([{ project, name }, m]) =>
          m.listArtifactVersions(client, project, type, name, options)),
      ),
    artifact: (name, options) =>
      Effect.flatMap(Effect.zip(named(name), lookups), ([{ project, name }, l]) =>
        Effect.request(
          l.ArtifactLookup({
            project,
            name,
            type: options?.type,
            enableTracking: options?.enableTracking ?? true,
          }),
          l.resolver,
        )),
    artifactExists: (name, type) =>
      Effect.flatMap(
        named(name),
        ({ project, name }) => withReads((m) => m.artifactExists(client, project, name, { type })),
      ),
    artifactManifest: (artifact) => withReads((m) => m.getArtifactManifest(client, artifact)),
    artifactEntry: (artifact, path) => withReads((m) => m.getArtifactEntry(client, artifact, path)),
    artifactFiles: (artifact, options) =>
      Stream.unwrap(Effect.map(reads, (m) => m.listArtifactFiles(client, artifact, options))),
    downloadArtifact: (artifact, options) =>
      Effect.flatMap(downloads, (m) => m.downloadArtifact(client, artifact, options)),
    artifactFile: (artifact, options) =>
      Effect.flatMap(downloads, (m) => m.downloadArtifactFile(client, artifact, options)),
    verifyArtifact: (artifact, root) =>
      Effect.flatMap(downloads, (m) => m.verifyArtifact(client, artifact, root)),
    checkoutArtifact: (artifact, root) =>
      Effect.flatMap(downloads, (m) => m.checkoutArtifact(client, artifact, root)),
    saveArtifact: (artifact, changes) =>
      Effect.flatMap(mutations, (m) => m.saveArtifact(client, artifact, changes)),
    deleteArtifact: (artifact, options) =>
      Effect.flatMap(mutations, (m) => m.deleteArtifact(client, artifact, options)),
    linkArtifact: (artifact, target, options) =>
      Effect.flatMap(mutations, (m) => m.linkArtifact(client, artifact, target, options)),
    saveArtifactCollection: (collection, changes) =>
      Effect.flatMap(mutations, (m) => m.saveArtifactCollection(client, collection, changes)),
    deleteArtifactCollection: (collection) =>
      Effect.flatMap(mutations, (m) => m.deleteArtifactCollection(client, collection)),
    loggedArtifacts: (run) =>
      runStream(run, (m, path) => m.listRunArtifacts(client, path, "logged")),
    usedArtifacts: (run) => runStream(run, (m, path) => m.listRunArtifacts(client, path, "used")),
    useArtifact: (run, artifact, options) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), lineage),
        ([path, m]) => m.useArtifact(client, path, artifact, options),
      ),
    logArtifact: (run, artifact, options) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), lineage),
        ([path, m]) => m.logArtifact(client, path, artifact, options),
      ),
    artifactLoggedBy: (artifact) =>
      Effect.flatMap(lineage, (m) => m.artifactLoggedBy(client, artifact)),
    artifactUsedBy: (artifact) =>
      Effect.flatMap(lineage, (m) => m.artifactUsedBy(client, artifact)),
  };
}
