/**
 * Artifacts: types, collections and versions as lazy Streams, lookups by name, manifests,
 * verified parallel downloads (re-runs fetch only what is missing or wrong), verification and
 * checkout of a local copy, the mutations of versions and collections, links into portfolios,
 * and lineage (the runs that logged and used a version). Python's `api.artifact(…)`,
 * `artifact.download()`, `artifact.save()`, `run.logged_artifacts()` and the rest.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import {
  downloadBufferBytes,
  downloadBufferPool,
  type DownloadedFile,
  type DownloadSource,
  downloadToFile,
  type MultipartOptions,
  partPermitsFor,
  safeLocalPath,
} from "../core/download.ts";
import {
  ChecksumError,
  DecodeError,
  type DownloadError,
  InvalidArgumentError,
  LocalFileError,
  NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { issuePath } from "../core/transport.ts";
import { printWandbJson } from "../core/wandb_json.ts";
import type { Run } from "../runs/decoders.ts";
import { getRun } from "../runs/operations.ts";
import {
  type Artifact,
  type ArtifactCollection,
  type ArtifactFile,
  type ArtifactManifest,
  type ArtifactManifestEntry,
  ArtifactManifestText,
  type ArtifactNodeData,
  type ArtifactType,
  toArtifact,
  toArtifactCollection,
  toArtifactFile,
  toManifest,
} from "./decoders.ts";
import {
  aliasesMutation,
  artifactByIdQuery,
  artifactByNameQuery,
  artifactCollectionQuery,
  artifactCollectionsQuery,
  artifactCreatedByQuery,
  artifactFilesQuery,
  artifactFileUrlsQuery,
  artifactTypeQuery,
  artifactTypesQuery,
  artifactUsedByQuery,
  artifactVersionsQuery,
  collectionTagsMutation,
  deleteArtifactMutation,
  deleteCollectionMutation,
  linkArtifactMutation,
  logArtifactMutation,
  manifestUrlQuery,
  moveCollectionMutation,
  runArtifactsQuery,
  updateArtifactMutation,
  updateCollectionMutation,
  useArtifactMutation,
} from "./queries.ts";

/** The failures of the artifact calls. */
export type ArtifactError = RequestError | NotFoundError | InvalidArgumentError;

const notFound = (operation: string, resource: string, path: string) =>
  new NotFoundError({ operation, resource, path, message: `Could not find ${resource} ${path}` });

const invalid = (argument: string, value: unknown, message: string) =>
  new InvalidArgumentError({ argument, value, message });

// ---- types and collections ---------------------------------------------------------------

/**
 * A project's artifact types, lazily (Python's `api.artifact_types(project)`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listArtifactTypes, type WandbClient } from "@effect-wandb/api";
 * const types = (client: WandbClient) =>
 *   Stream.runCollect(listArtifactTypes(client, { entity: "acme", project: "mnist" }));
 * ```
 */
export function listArtifactTypes(
  client: WandbClient,
  project: ProjectPath,
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<ArtifactType, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "ProjectArtifactTypes",
      fetchPage: (cursor) =>
        client.execute(artifactTypesQuery(project, perPage, cursor)).pipe(
          Effect.flatMap((data) => {
            if (data.project === null) {
              return Effect.fail(projectNotFound("ProjectArtifactTypes", project));
            }
            const { edges, pageInfo } = data.project.artifactTypes;
            return Effect.succeed({
              items: edges.map(({ node }) => ({ ...node, project })),
              nextCursor: pageInfo.endCursor,
              hasNextPage: pageInfo.hasNextPage,
            });
          }),
        ),
    }),
  );
}

/**
 * One artifact type of a project (Python's `api.artifact_type(name, project)`).
 *
 * @example
 * ```ts
 * import { getArtifactType, type WandbClient } from "@effect-wandb/api";
 * const models = (client: WandbClient) => getArtifactType(client, { entity: "acme", project: "mnist" }, "model");
 * ```
 */
export function getArtifactType(
  client: WandbClient,
  project: ProjectPath,
  name: string,
): Effect.Effect<ArtifactType, ArtifactError> {
  return client.execute(artifactTypeQuery(project, name)).pipe(
    Effect.flatMap((data) =>
      data.project === null
        ? Effect.fail(projectNotFound("ProjectArtifactType", project))
        : data.project.artifactType === null
        ? Effect.fail(
          notFound(
            "ProjectArtifactType",
            "artifact type",
            `${project.entity}/${project.project}/${name}`,
          ),
        )
        : Effect.succeed({ ...data.project.artifactType, project })
    ),
  );
}

/**
 * The collections of an artifact type, lazily (Python's `api.artifact_collections(project,
 * type_name)`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listArtifactCollections, type WandbClient } from "@effect-wandb/api";
 * const models = (client: WandbClient) =>
 *   Stream.runCollect(listArtifactCollections(client, { entity: "acme", project: "mnist" }, "model"));
 * ```
 */
export function listArtifactCollections(
  client: WandbClient,
  project: ProjectPath,
  type: string,
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<ArtifactCollection, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "ArtifactTypeArtifactCollections",
      fetchPage: (cursor) =>
        client.execute(artifactCollectionsQuery(project, type, perPage, cursor)).pipe(
          Effect.flatMap((data) => {
            if (data.project === null) {
              return Effect.fail(projectNotFound("ArtifactTypeArtifactCollections", project));
            }
            if (data.project.artifactType === null) {
              return Effect.fail(
                notFound(
                  "ArtifactTypeArtifactCollections",
                  "artifact type",
                  `${project.entity}/${project.project}/${type}`,
                ),
              );
            }
            const { edges, pageInfo } = data.project.artifactType.artifactCollections;
            return Effect.succeed({
              items: edges.map(({ node }) => toArtifactCollection(node)),
              nextCursor: pageInfo.endCursor,
              hasNextPage: pageInfo.hasNextPage,
            });
          }),
        ),
    }),
  );
}

/**
 * One collection by type and name (Python's `api.artifact_collection(type_name, name)`).
 *
 * @example
 * ```ts
 * import { getArtifactCollection, type WandbClient } from "@effect-wandb/api";
 * const cnn = (client: WandbClient) =>
 *   getArtifactCollection(client, { entity: "acme", project: "mnist" }, "model", "mnist-cnn");
 * ```
 */
export function getArtifactCollection(
  client: WandbClient,
  project: ProjectPath,
  type: string,
  name: string,
): Effect.Effect<ArtifactCollection, ArtifactError> {
  return client.execute(artifactCollectionQuery(project, type, name)).pipe(
    Effect.flatMap((data) => {
      const node = data.project?.artifactType?.artifactCollection ?? null;
      if (data.project === null) {
        return Effect.fail(projectNotFound("ProjectArtifactCollection", project));
      }
      return node === null
        ? Effect.fail(
          notFound(
            "ProjectArtifactCollection",
            "artifact collection",
            `${project.entity}/${project.project}/${name} (type ${type})`,
          ),
        )
        : Effect.succeed(toArtifactCollection(node));
    }),
  );
}

/** `true` when the effect succeeds, `false` when it fails with a `NotFoundError`. */
const exists = <E>(effect: Effect.Effect<unknown, E | NotFoundError>) =>
  effect.pipe(
    Effect.as(true),
    Effect.catchTag("NotFoundError", () => Effect.succeed(false)),
  ) as Effect.Effect<boolean, Exclude<E, NotFoundError>>;

/**
 * Whether a collection exists (Python's `api.artifact_collection_exists`): other failures
 * (network, permission) stay failures rather than becoming `false`.
 *
 * @example
 * ```ts
 * import { artifactCollectionExists, type WandbClient } from "@effect-wandb/api";
 * const has = (client: WandbClient) =>
 *   artifactCollectionExists(client, { entity: "acme", project: "mnist" }, "model", "mnist-cnn");
 * ```
 */
export function artifactCollectionExists(
  client: WandbClient,
  project: ProjectPath,
  type: string,
  name: string,
): Effect.Effect<boolean, RequestError | InvalidArgumentError> {
  return exists(getArtifactCollection(client, project, type, name));
}

// ---- versions ----------------------------------------------------------------------------

/** Options of {@link listArtifactVersions}. */
export interface ArtifactVersionsOptions {
  /** @default {50} */
  readonly perPage?: number | undefined;
  /** Only versions holding every one of these tags (Python's `tags`). */
  readonly tags?: ReadonlyArray<string> | undefined;
}

/**
 * A collection's committed versions, newest first, lazily (Python's `api.artifacts(type,
 * name, per_page, tags)` and `artifact_versions`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listArtifactVersions, type WandbClient } from "@effect-wandb/api";
 * const versions = (client: WandbClient) =>
 *   Stream.runCollect(listArtifactVersions(client, { entity: "acme", project: "mnist" }, "model", "mnist-cnn"));
 * ```
 */
export function listArtifactVersions(
  client: WandbClient,
  project: ProjectPath,
  type: string,
  collection: string,
  options?: ArtifactVersionsOptions,
): Stream.Stream<Artifact, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  const tags = options?.tags ?? [];
  const versions = paginate({
    operation: "ProjectArtifacts",
    fetchPage: (cursor) =>
      client.execute(artifactVersionsQuery(project, type, collection, perPage, cursor)).pipe(
        Effect.flatMap((data) => {
          if (data.project === null) {
            return Effect.fail(projectNotFound("ProjectArtifacts", project));
          }
          const artifacts = data.project.artifactType?.artifactCollection?.artifacts ?? null;
          if (artifacts === null) {
            return Effect.fail(
              notFound(
                "ProjectArtifacts",
                "artifact collection",
                `${project.entity}/${project.project}/${collection} (type ${type})`,
              ),
            );
          }
          return Effect.succeed({
            items: artifacts.edges.map(({ node }) => toArtifact(node)),
            nextCursor: artifacts.pageInfo.endCursor,
            hasNextPage: artifacts.pageInfo.hasNextPage,
          });
        }),
      ),
  });
  return checkedStream(
    positiveInteger("perPage", perPage),
    tags.length === 0
      ? versions
      : Stream.filter(versions, (a) => tags.every((t) => a.tags.includes(t))),
  );
}

/** Splits `entity/project/name:version` (entity and project defaulting to `project`). */
export function parseArtifactPath(
  path: string,
  defaults: ProjectPath | undefined,
): Effect.Effect<{ project: ProjectPath; name: string }, InvalidArgumentError> {
  const parts = path.split("/");
  const name = parts.at(-1) ?? "";
  const project = parts.length === 3
    ? { entity: parts[0]!, project: parts[1]! }
    : parts.length === 2 && defaults !== undefined
    ? { entity: defaults.entity, project: parts[0]! }
    : parts.length === 1
    ? defaults
    : undefined;
  if (
    project === undefined || name.length === 0 || project.entity === "" || project.project === ""
  ) {
    return Effect.fail(
      invalid(
        "path",
        path,
        `Cannot read artifact path '${path}': expected entity/project/name:version (or name:version with a default project)`,
      ),
    );
  }
  return Effect.succeed({ project, name });
}

/** Options of {@link getArtifact}. */
export interface GetArtifactOptions {
  /** The type it must have (Python's `type`): another fails with an `InvalidArgumentError`. */
  readonly type?: string | undefined;
  /**
   * Record the lookup as the server does for `api.artifact` (Python sends `true`; `false` for
   * `artifact_exists`).
   * @default {true}
   */
  readonly enableTracking?: boolean | undefined;
}

/**
 * A version by `collection:alias` or `collection:vN` (Python's `api.artifact(name, type)`); a
 * name without a version means `latest`.
 *
 * @example
 * ```ts
 * import { getArtifact, type WandbClient } from "@effect-wandb/api";
 * const best = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-cnn:best", { type: "model" });
 * ```
 */
export function getArtifact(
  client: WandbClient,
  project: ProjectPath,
  name: string,
  options?: GetArtifactOptions,
): Effect.Effect<Artifact, ArtifactError> {
  return client.execute(artifactByNameQuery(project, name, options?.enableTracking ?? true)).pipe(
    Effect.flatMap((data) => artifactOfProject(data.project, project, name, options)),
  );
}

/**
 * The artifact an `ArtifactByName` answer's `project` holds, or why there is none: the project
 * or the artifact is missing, or it is not of the type asked for.
 */
export function artifactOfProject(
  found: { readonly artifact: ArtifactNodeData | null } | null,
  project: ProjectPath,
  name: string,
  options?: Pick<GetArtifactOptions, "type">,
): Effect.Effect<Artifact, ArtifactError> {
  const qualified = `${project.entity}/${project.project}/${name}`;
  if (found === null) return Effect.fail(projectNotFound("ArtifactByName", project));
  if (found.artifact === null) {
    return Effect.fail(notFound("ArtifactByName", "artifact", qualified));
  }
  const artifact = toArtifact(found.artifact);
  if (options?.type !== undefined && artifact.type !== options.type) {
    return Effect.fail(
      invalid(
        "type",
        options.type,
        `${qualified} is of type '${artifact.type}', not '${options.type}'`,
      ),
    );
  }
  return Effect.succeed(artifact);
}

/**
 * Whether a version exists (Python's `api.artifact_exists`); failures other than "not there"
 * stay failures.
 *
 * @example
 * ```ts
 * import { artifactExists, type WandbClient } from "@effect-wandb/api";
 * const has = (client: WandbClient) => artifactExists(client, { entity: "acme", project: "mnist" }, "mnist-cnn:v9");
 * ```
 */
export function artifactExists(
  client: WandbClient,
  project: ProjectPath,
  name: string,
  options?: Pick<GetArtifactOptions, "type">,
): Effect.Effect<boolean, RequestError | InvalidArgumentError> {
  return exists(getArtifact(client, project, name, { ...options, enableTracking: false }));
}

/**
 * A version by its node id (what lineage and links hand back).
 *
 * @example
 * ```ts
 * import { getArtifactById, type WandbClient } from "@effect-wandb/api";
 * const byId = (client: WandbClient, id: string) => getArtifactById(client, id);
 * ```
 */
export function getArtifactById(
  client: WandbClient,
  id: string,
): Effect.Effect<Artifact, RequestError | NotFoundError> {
  return client.execute(artifactByIdQuery(id)).pipe(
    Effect.flatMap((data) =>
      data.artifact === null
        ? Effect.fail(notFound("ArtifactByID", "artifact", id))
        : Effect.succeed(toArtifact(data.artifact))
    ),
  );
}

// ---- manifest, files, download -----------------------------------------------------------

const manifestOperation = "GET artifact manifest";

/**
 * A version's manifest (Python's `artifact.manifest`): its signed URL from
 * `FetchArtifactManifest`, then the JSON from storage (without credentials), decoded with
 * Schema.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, getArtifactManifest, type WandbClient } from "@effect-wandb/api";
 * const entries = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:latest").pipe(
 *     Effect.flatMap((a) => getArtifactManifest(client, a)),
 *     Effect.map((m) => m.entries.map((e) => e.path)),
 *   );
 * ```
 */
export function getArtifactManifest(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<ArtifactManifest, RequestError | NotFoundError> {
  return client.execute(manifestUrlQuery(artifact.id)).pipe(
    Effect.flatMap((data): Effect.Effect<Uint8Array, RequestError | NotFoundError> => {
      const url = data.artifact?.currentManifest?.file.directUrl ?? null;
      return url === null
        ? Effect.fail(
          notFound("FetchArtifactManifest", "artifact manifest", artifact.qualifiedName),
        )
        : client.download(url, { operation: manifestOperation });
    }),
    Effect.flatMap((bytes) =>
      Schema.decodeUnknownEffect(ArtifactManifestText)(new TextDecoder().decode(bytes)).pipe(
        Effect.mapError((e) =>
          new DecodeError({
            operation: manifestOperation,
            path: issuePath(e.issue),
            message: e.message,
          })
        ),
      )
    ),
    Effect.map(toManifest),
  );
}

/**
 * One entry of a version's manifest (Python's `artifact.get_entry(name)`, and `get_path`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, getArtifactEntry, type WandbClient } from "@effect-wandb/api";
 * const labels = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:latest").pipe(
 *     Effect.flatMap((a) => getArtifactEntry(client, a, "labels.json")),
 *   );
 * ```
 */
export function getArtifactEntry(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
  path: string,
): Effect.Effect<ArtifactManifestEntry, RequestError | NotFoundError> {
  return Effect.flatMap(getArtifactManifest(client, artifact), (manifest) => {
    const entry = manifest.entries.find((e) => e.path === path);
    return entry === undefined
      ? Effect.fail(
        notFound("FetchArtifactManifest", "artifact entry", `${artifact.qualifiedName}/${path}`),
      )
      : Effect.succeed(entry);
  });
}

/**
 * A version's files as the server lists them (Python's `artifact.files(names, per_page)`).
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { getArtifact, listArtifactFiles, type WandbClient } from "@effect-wandb/api";
 * const files = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:v1").pipe(
 *     Effect.flatMap((a) => Stream.runCollect(listArtifactFiles(client, a))),
 *   );
 * ```
 */
export function listArtifactFiles(
  client: WandbClient,
  artifact: Pick<Artifact, "entity" | "project" | "type" | "name" | "qualifiedName">,
  options?: {
    readonly names?: ReadonlyArray<string> | undefined;
    readonly perPage?: number | undefined;
  },
): Stream.Stream<ArtifactFile, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  const project = { entity: artifact.entity, project: artifact.project };
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "GetArtifactFiles",
      fetchPage: (cursor) =>
        client.execute(
          artifactFilesQuery(
            project,
            artifact.type,
            artifact.name,
            options?.names ?? null,
            perPage,
            cursor,
          ),
        ).pipe(
          Effect.flatMap((data) => {
            const files = data.project?.artifactType?.artifact?.files ?? null;
            if (files === null) {
              return Effect.fail(notFound("GetArtifactFiles", "artifact", artifact.qualifiedName));
            }
            return Effect.succeed({
              items: files.edges.map(({ node }) => toArtifactFile(node)),
              nextCursor: files.pageInfo.endCursor,
              hasNextPage: files.pageInfo.hasNextPage,
            });
          }),
        ),
    }),
  );
}

/** Every signed file URL of a version, by path (`GetArtifactFileUrls`, pages of 1,000). */
function fileUrls(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<Map<string, string>, RequestError | NotFoundError | DecodeError> {
  return paginate({
    operation: "GetArtifactFileUrls",
    fetchPage: (cursor) =>
      client.execute(artifactFileUrlsQuery(artifact.id, 1_000, cursor)).pipe(
        Effect.flatMap((data) =>
          data.artifact === null
            ? Effect.fail(notFound("GetArtifactFileUrls", "artifact", artifact.qualifiedName))
            : Effect.succeed({
              items: data.artifact.files.edges.map(({ node }) => node),
              nextCursor: data.artifact.files.pageInfo.endCursor,
              hasNextPage: data.artifact.files.pageInfo.hasNextPage,
            })
        ),
      ),
  }).pipe(
    Stream.runFold(() => new Map<string, string>(), (urls, file) => {
      if (file.directUrl !== null) urls.set(file.name, file.directUrl);
      return urls;
    }),
  );
}

/**
 * The `refresh` of each file of one download: signed URLs expire together, so the first file
 * storage refuses asks for all of them again, files refused meanwhile wait for that answer,
 * and files refused later take theirs from it; only a file refused the newest URL asks anew.
 * (A file asking on its own made 32 requests for the same list when 32 files expired at once.)
 */
function sharedUrlRefresh<E>(
  urls: ReadonlyMap<string, string>,
  askAll: Effect.Effect<Map<string, string>, E>,
  missing: (path: string) => E,
): (path: string) => Effect.Effect<string, E> {
  let newest: ReadonlyMap<string, string> = urls;
  /** The URL each file was last given. */
  const held = new Map(urls);
  let asking: Effect.Effect<void, E> | undefined;
  return (path) =>
    Effect.gen(function* () {
      if (newest.get(path) === held.get(path)) {
        let ask = asking;
        if (ask === undefined) {
          ask = yield* Effect.cached(Effect.map(askAll, (fresh) => void (newest = fresh)));
          asking = ask;
        }
        yield* ask.pipe(Effect.ensuring(Effect.sync(() => {
          if (asking === ask) asking = undefined;
        })));
      }
      const url = newest.get(path);
      if (url === undefined) return yield* Effect.fail(missing(path));
      held.set(path, url);
      return url;
    });
}

/** Options of {@link downloadArtifact}. */
export interface ArtifactDownloadOptions extends MultipartOptions {
  /**
   * The directory the files go under (Python's `root`).
   * @default {"./artifacts/<name>"}
   */
  readonly root?: string | undefined;
  /** Only entries whose path starts with this (Python's `path_prefix`). */
  readonly pathPrefix?: string | undefined;
  /**
   * Skip reference entries whose bytes cannot be fetched (Python's
   * `allow_missing_references`); without it they fail the download with a `NotFoundError`.
   * @default {false}
   */
  readonly allowMissingReferences?: boolean | undefined;
  /**
   * Files downloaded at once (the official client runs 32 threads).
   * @default {32}
   */
  readonly concurrency?: number | undefined;
}

/** What {@link downloadArtifact} did. */
export interface ArtifactDownload {
  /** The directory the files are under. */
  readonly root: string;
  /** Every file of the download, fetched now or found whole already. */
  readonly files: ReadonlyArray<DownloadedFile>;
  /** Reference entries skipped because their bytes could not be fetched. */
  readonly skippedReferences: ReadonlyArray<string>;
}

/** The default download root of a version, as Python makes it: `./artifacts/<name>`. */
export const defaultArtifactRoot = (artifact: Pick<Artifact, "name">): string =>
  `./artifacts/${artifact.name}`;

const isHttp = (uri: string) => uri.startsWith("https://") || uri.startsWith("http://");

/**
 * Downloads a version's files (Python's `artifact.download(root, path_prefix,
 * allow_missing_references)`): the manifest, one `GetArtifactFileUrls` listing, then every file
 * streamed, `concurrency` at a time, each verified against its manifest digest and renamed into
 * place only when whole. A file already under `root` with the right digest is not fetched again,
 * so a re-run fetches only what is missing or wrong. Every path is checked before anything is
 * written: one that would land outside `root` fails the download with an `InvalidArgumentError`.
 * References with an `http(s)` URI are fetched without credentials; others (`s3://`, `gs://`)
 * need their store's own client, and count as missing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { downloadArtifact, getArtifact, type WandbClient } from "@effect-wandb/api";
 * const fetchDataset = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => downloadArtifact(client, a, { root: "data/mnist", concurrency: 32 })),
 *   );
 * ```
 */
export function downloadArtifact(
  client: WandbClient,
  artifact: Artifact,
  options?: ArtifactDownloadOptions,
): Effect.Effect<ArtifactDownload, DownloadError | InvalidArgumentError | DecodeError> {
  const root = options?.root ?? defaultArtifactRoot(artifact);
  return Effect.gen(function* () {
    const concurrency = yield* positiveInteger("concurrency", options?.concurrency ?? 32);
    const bufferBytes = downloadBufferBytes(concurrency);
    const buffers = downloadBufferPool(concurrency);
    const partPermits = partPermitsFor(concurrency, options?.partsAtOnce);
    // The manifest and the files' URLs are asked for at once (one round trip instead of two);
    // the URLs are dropped when every entry is a reference.
    const [manifest, signed] = yield* Effect.all([
      getArtifactManifest(client, artifact),
      fileUrls(client, artifact).pipe(Effect.result),
    ], { concurrency: 2 });
    const entries = manifest.entries.filter((e) => e.path.startsWith(options?.pathPrefix ?? ""));
    // Every path checked before any byte is written: a bad one leaves nothing behind.
    for (const entry of entries) yield* safeLocalPath(root, entry.path);
    const urls = entries.some((e) => e.ref === null)
      ? yield* Effect.fromResult(signed)
      : new Map<string, string>();
    const refresh = sharedUrlRefresh(
      urls,
      fileUrls(client, artifact).pipe(
        Effect.catchTag("DecodeError", (e) => Effect.fail(e as RequestError)),
      ),
      (path) =>
        notFound("GetArtifactFileUrls", "artifact file", `${artifact.qualifiedName}/${path}`),
    );
    const skipped: Array<string> = [];
    const sources: Array<DownloadSource> = [];
    for (const entry of entries) {
      if (entry.ref !== null) {
        if (isHttp(entry.ref)) {
          sources.push({
            path: entry.path,
            url: entry.ref,
            md5: undefined,
            size: entry.size ?? undefined,
            operation: "GET artifact reference",
          });
        } else if (options?.allowMissingReferences === true) {
          skipped.push(entry.path);
        } else {
          return yield* Effect.fail(
            notFound(
              "GET artifact reference",
              "artifact reference",
              `${entry.ref} (entry ${entry.path}: this client fetches http(s) references only; pass allowMissingReferences to skip it)`,
            ),
          );
        }
        continue;
      }
      const url = urls.get(entry.path);
      if (url === undefined) {
        return yield* Effect.fail(
          notFound(
            "GetArtifactFileUrls",
            "artifact file",
            `${artifact.qualifiedName}/${entry.path}`,
          ),
        );
      }
      sources.push({
        path: entry.path,
        url,
        refresh: refresh(entry.path),
        md5: entry.digest,
        size: entry.size ?? undefined,
        operation: "GET artifact file",
      });
    }
    const files = yield* Effect.forEach(
      sources,
      (source) =>
        downloadToFile(client, source, {
          root,
          keepVerified: true,
          bufferBytes,
          buffers,
          partPermits,
          multipart: options?.multipart,
          partBytes: options?.partBytes,
          partsAtOnce: options?.partsAtOnce,
        }).pipe(
          Effect.catchIf(
            (e) =>
              options?.allowMissingReferences === true &&
              source.operation === "GET artifact reference" &&
              (e._tag === "NotFoundError" || e._tag === "PermissionError" ||
                (e._tag === "ServerError" && e.status < 500)),
            () => Effect.sync(() => void skipped.push(source.path)),
          ),
        ),
      { concurrency },
    );
    return {
      root,
      files: files.filter((f): f is DownloadedFile => f !== undefined),
      skippedReferences: skipped,
    };
  }).pipe(
    Effect.withSpan("wandb.artifact.download", {
      attributes: { artifact: artifact.qualifiedName },
    }),
  );
}

/**
 * Downloads a version holding exactly one file and gives that file's path (Python's
 * `artifact.file(root)`); a version with more files fails with an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { downloadArtifactFile, getArtifact, type WandbClient } from "@effect-wandb/api";
 * const fetchOne = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "config:latest").pipe(
 *     Effect.flatMap((a) => downloadArtifactFile(client, a)),
 *   );
 * ```
 */
export function downloadArtifactFile(
  client: WandbClient,
  artifact: Artifact,
  options?: Pick<ArtifactDownloadOptions, "root">,
): Effect.Effect<string, DownloadError | InvalidArgumentError | DecodeError> {
  if (artifact.fileCount !== 1) {
    return Effect.fail(
      invalid(
        "artifact",
        artifact.qualifiedName,
        `${artifact.qualifiedName} holds ${artifact.fileCount} files: file() takes an artifact of one; use download()`,
      ),
    );
  }
  return Effect.map(downloadArtifact(client, artifact, options), (d) => d.files[0]!.localPath);
}

/** Every file under `dir`, as paths relative to it with `/` (the tests list downloads with it). */
export async function filesUnder(dir: string, prefix = ""): Promise<Array<string>> {
  const out: Array<string> = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(dir, relative));
    else out.push(relative);
  }
  return out;
}

/**
 * Checks a local copy of a version (Python's `artifact.verify(root)`), with no request but the
 * manifest's: every file under `root` must be an entry of the manifest, and every entry that
 * holds bytes must be there with its digest. The first difference fails with a
 * `ChecksumError` naming the file.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, verifyArtifact, type WandbClient } from "@effect-wandb/api";
 * const check = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => verifyArtifact(client, a, "data/mnist")),
 *   );
 * ```
 */
export function verifyArtifact(
  client: WandbClient,
  artifact: Artifact,
  root?: string,
): Effect.Effect<void, RequestError | NotFoundError | ChecksumError | LocalFileError> {
  const dir = root ?? defaultArtifactRoot(artifact);
  const mismatch = (path: string, expected: string, actual: string, why: string) =>
    new ChecksumError({
      operation: "verify artifact",
      path,
      expected,
      actual,
      message: `${path}: ${why}`,
    });
  return Effect.gen(function* () {
    const manifest = yield* getArtifactManifest(client, artifact);
    const byPath = new Map(manifest.entries.map((e) => [e.path, e]));
    const present = yield* Effect.tryPromise({
      try: () => filesUnder(dir),
      catch: (e) =>
        new LocalFileError({ operation: "read", path: dir, message: `Cannot read ${dir}: ${e}` }),
    });
    for (const path of present.sort()) {
      if (!byPath.has(path)) {
        return yield* Effect.fail(
          mismatch(path, "absent", "present", `not a file of ${artifact.qualifiedName}`),
        );
      }
    }
    const have = new Set(present);
    for (const entry of manifest.entries) {
      if (entry.ref !== null) continue;
      if (!have.has(entry.path)) {
        return yield* Effect.fail(mismatch(entry.path, entry.digest, "absent", "missing"));
      }
      const md5 = yield* Effect.tryPromise({
        try: async () => {
          const hash = createHash("md5");
          using file = await Deno.open(`${dir}/${entry.path}`);
          for await (const chunk of file.readable) hash.update(chunk);
          return hash.digest("base64");
        },
        catch: (e) =>
          new LocalFileError({
            operation: "read",
            path: entry.path,
            message: `Cannot read ${entry.path}: ${e}`,
          }),
      });
      if (md5 !== entry.digest) {
        return yield* Effect.fail(
          mismatch(
            entry.path,
            entry.digest,
            md5,
            `digest ${md5} where the manifest has ${entry.digest}`,
          ),
        );
      }
    }
  });
}

/**
 * Makes `root` hold exactly a version's files (Python's `artifact.checkout(root)`): downloads
 * what is missing or wrong, then removes every file that is not an entry. Returns the download.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { checkoutArtifact, getArtifact, type WandbClient } from "@effect-wandb/api";
 * const sync = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => checkoutArtifact(client, a, "data/mnist")),
 *   );
 * ```
 */
export function checkoutArtifact(
  client: WandbClient,
  artifact: Artifact,
  root?: string,
): Effect.Effect<ArtifactDownload, DownloadError | InvalidArgumentError | DecodeError> {
  const dir = root ?? defaultArtifactRoot(artifact);
  return Effect.gen(function* () {
    const download = yield* downloadArtifact(client, artifact, {
      root: dir,
      allowMissingReferences: true,
    });
    const manifest = yield* getArtifactManifest(client, artifact);
    const keep = new Set(manifest.entries.map((e) => e.path));
    const present = yield* Effect.tryPromise({
      try: () => filesUnder(dir),
      catch: (e) =>
        new LocalFileError({ operation: "read", path: dir, message: `Cannot read ${dir}: ${e}` }),
    });
    for (const path of present) {
      if (keep.has(path)) continue;
      yield* Effect.tryPromise({
        try: () => Deno.remove(`${dir}/${path}`),
        catch: (e) =>
          new LocalFileError({ operation: "remove", path, message: `Cannot remove ${path}: ${e}` }),
      });
    }
    return download;
  });
}

// ---- mutations ---------------------------------------------------------------------------

/** What {@link saveArtifact} changes: each field given is the value wanted (not a delta). */
export interface ArtifactChanges {
  readonly description?: string | undefined;
  readonly metadata?: Readonly<Record<string, unknown>> | undefined;
  /** Seconds, or `null` to remove the TTL. */
  readonly ttl?: number | null | undefined;
  /** The aliases wanted in its sequence (`latest` is the server's to move). */
  readonly aliases?: ReadonlyArray<string> | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
}

const aliasPattern = /^[^/:]+$/;
const tagPattern = /^[-\w]+([ ]+[-\w]+)*$/;

function checkChanges(changes: ArtifactChanges): Effect.Effect<void, InvalidArgumentError> {
  for (const alias of changes.aliases ?? []) {
    if (!aliasPattern.test(alias) || /^v\d+$/.test(alias) || alias.length > 128) {
      return Effect.fail(
        invalid(
          "aliases",
          alias,
          `Invalid alias '${alias}': no '/' or ':', not empty, not a version like v3`,
        ),
      );
    }
  }
  for (const tag of changes.tags ?? []) {
    if (!tagPattern.test(tag) || tag.length > 128) {
      return Effect.fail(
        invalid("tags", tag, `Invalid tag '${tag}': letters, digits, '-', '_' and single spaces`),
      );
    }
  }
  if (
    changes.ttl !== undefined && changes.ttl !== null &&
    (!Number.isInteger(changes.ttl) || changes.ttl <= 0)
  ) {
    return Effect.fail(
      invalid("ttl", changes.ttl, "ttl must be a positive number of seconds, or null"),
    );
  }
  if (
    changes.metadata !== undefined &&
    printWandbJson(changes.metadata, "token") !== printWandbJson(changes.metadata)
  ) {
    return Effect.fail(
      invalid(
        "metadata",
        undefined,
        "Metadata cannot hold NaN or ±Infinity: W&B stores it as JSON",
      ),
    );
  }
  return Effect.void;
}

/**
 * Saves changes to a committed version (Python's `artifact.save()` after setting
 * `description`, `metadata`, `ttl`, `aliases`, `tags`): aliases added and removed
 * (`AddAliases`, `DeleteAliases`), then one `UpdateArtifact` for the rest. Returns the version
 * as the server now has it. Bad aliases, tags, TTLs or metadata fail with an
 * `InvalidArgumentError` before any request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, saveArtifact, type WandbClient } from "@effect-wandb/api";
 * const promote = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-cnn:v2").pipe(
 *     Effect.flatMap((a) => saveArtifact(client, a, { aliases: [...a.aliases, "prod"], description: "shipped" })),
 *   );
 * ```
 */
export function saveArtifact(
  client: WandbClient,
  artifact: Artifact,
  changes: ArtifactChanges,
): Effect.Effect<Artifact, ArtifactError> {
  return Effect.gen(function* () {
    yield* checkChanges(changes);
    const project = { entity: artifact.entity, project: artifact.project };
    if (changes.aliases !== undefined) {
      const wanted = new Set(changes.aliases);
      const current = new Set(artifact.aliases);
      const added = [...wanted].filter((a) => !current.has(a));
      const removed = [...current].filter((a) => !wanted.has(a) && a !== "latest");
      if (added.length > 0) {
        yield* client.execute(
          aliasesMutation("add", artifact.id, project, artifact.collection, added),
        );
      }
      if (removed.length > 0) {
        yield* client.execute(
          aliasesMutation("delete", artifact.id, project, artifact.collection, removed),
        );
      }
    }
    const tags = changes.tags === undefined ? undefined : new Set(changes.tags);
    const updated = yield* client.execute(updateArtifactMutation(artifact.id, {
      description: changes.description,
      metadata: changes.metadata === undefined ? undefined : printWandbJson(changes.metadata),
      ttlDurationSeconds: changes.ttl === undefined ? undefined : changes.ttl ?? -2,
      tagsToAdd: tags === undefined ? [] : [...tags].filter((t) => !artifact.tags.includes(t)),
      tagsToDelete: tags === undefined ? [] : artifact.tags.filter((t) => !tags.has(t)),
    }));
    if (updated.result === null) {
      return yield* Effect.fail(notFound("UpdateArtifact", "artifact", artifact.qualifiedName));
    }
    return toArtifact(updated.result.artifact);
  });
}

/**
 * Deletes a version (Python's `artifact.delete(delete_aliases)`); the server refuses a version
 * that still has aliases unless `deleteAliases`. Returns the version deleted.
 *
 * @example
 * ```ts
 * import { deleteArtifact, type Artifact, type WandbClient } from "@effect-wandb/api";
 * const remove = (client: WandbClient, a: Artifact) => deleteArtifact(client, a, { deleteAliases: true });
 * ```
 */
export function deleteArtifact(
  client: WandbClient,
  artifact: Artifact,
  options?: { readonly deleteAliases?: boolean | undefined },
): Effect.Effect<Artifact, RequestError> {
  return client.execute(deleteArtifactMutation(artifact.id, options?.deleteAliases ?? false)).pipe(
    Effect.as({ ...artifact, state: "DELETED" }),
  );
}

/** A version linked into a portfolio. */
export interface LinkedArtifact {
  /** `entity/project/portfolio`. */
  readonly portfolio: string;
  /** Its version in the portfolio, `vN`. */
  readonly version: string;
  /** Its aliases there. */
  readonly aliases: ReadonlyArray<string>;
  /** The version linked. */
  readonly artifact: Artifact;
}

/**
 * Links a version into a portfolio (Python's `artifact.link(target_path, aliases)`), e.g.
 * `acme/model-registry/production-models`; the portfolio is created if need be.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, linkArtifact, type WandbClient } from "@effect-wandb/api";
 * const ship = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-cnn:best").pipe(
 *     Effect.flatMap((a) => linkArtifact(client, a, "acme/mnist/production-models", { aliases: ["champion"] })),
 *   );
 * ```
 */
export function linkArtifact(
  client: WandbClient,
  artifact: Artifact,
  targetPath: string,
  options?: { readonly aliases?: ReadonlyArray<string> | undefined },
): Effect.Effect<LinkedArtifact, ArtifactError> {
  return Effect.gen(function* () {
    const target = yield* parseArtifactPath(targetPath, {
      entity: artifact.entity,
      project: artifact.project,
    });
    if (target.name.includes(":")) {
      return yield* Effect.fail(
        invalid("targetPath", targetPath, "A link target is a portfolio, without a version"),
      );
    }
    yield* checkChanges({ aliases: options?.aliases });
    const linked = yield* client.execute(
      linkArtifactMutation(artifact.id, target.project, target.name, options?.aliases ?? []),
    );
    const membership = linked.result?.artifactMembership ?? null;
    if (linked.result === null || membership === null || membership.artifact === null) {
      return yield* Effect.fail(notFound("LinkArtifact", "artifact", artifact.qualifiedName));
    }
    return {
      portfolio: `${target.project.entity}/${target.project.project}/${target.name}`,
      version: `v${linked.result.versionIndex ?? 0}`,
      aliases: membership.aliases.map((a) => a.alias),
      artifact: toArtifact(membership.artifact),
    };
  });
}

/** What {@link saveArtifactCollection} changes; each field given is the value wanted. */
export interface CollectionChanges {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** The artifact type its versions move to (sequences only). */
  readonly type?: string | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
}

/**
 * Saves changes to a collection (Python's `collection.save()` after setting `name`,
 * `description`, `type`, `tags`; `change_type`). Returns the collection as the server now has it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifactCollection, saveArtifactCollection, type WandbClient } from "@effect-wandb/api";
 * const describe = (client: WandbClient) =>
 *   getArtifactCollection(client, { entity: "acme", project: "mnist" }, "model", "mnist-cnn").pipe(
 *     Effect.flatMap((c) => saveArtifactCollection(client, c, { description: "CNNs", tags: ["cnn"] })),
 *   );
 * ```
 */
export function saveArtifactCollection(
  client: WandbClient,
  collection: ArtifactCollection,
  changes: CollectionChanges,
): Effect.Effect<ArtifactCollection, ArtifactError> {
  return Effect.gen(function* () {
    yield* checkChanges({ tags: changes.tags });
    if (changes.name !== undefined && !/^[-\w.]+$/.test(changes.name)) {
      return yield* Effect.fail(
        invalid("name", changes.name, "A collection name holds letters, digits, '-', '_' and '.'"),
      );
    }
    if (changes.type !== undefined && collection.kind !== "sequence") {
      return yield* Effect.fail(invalid("type", changes.type, "Only a sequence's type can change"));
    }
    let current = collection;
    if (changes.name !== undefined || changes.description !== undefined) {
      const updated = yield* client.execute(
        updateCollectionMutation(collection.kind, collection.id, changes),
      );
      if (updated.result !== null) {
        current = toArtifactCollection(updated.result.artifactCollection);
      }
    }
    if (changes.type !== undefined && changes.type !== current.type) {
      const moved = yield* client.execute(moveCollectionMutation(collection.id, changes.type));
      if (moved.result !== null) current = toArtifactCollection(moved.result.artifactCollection);
    }
    if (changes.tags !== undefined) {
      const wanted = new Set(changes.tags);
      const added = [...wanted].filter((t) => !current.tags.includes(t));
      const removed = current.tags.filter((t) => !wanted.has(t));
      if (added.length > 0) {
        yield* client.execute(collectionTagsMutation("add", current.project, current.name, added));
      }
      if (removed.length > 0) {
        yield* client.execute(
          collectionTagsMutation("delete", current.project, current.name, removed),
        );
      }
      current = { ...current, tags: [...wanted] };
    }
    return current;
  });
}

/**
 * Deletes a collection and its versions (Python's `collection.delete()`); returns it.
 *
 * @example
 * ```ts
 * import { type ArtifactCollection, deleteArtifactCollection, type WandbClient } from "@effect-wandb/api";
 * const remove = (client: WandbClient, c: ArtifactCollection) => deleteArtifactCollection(client, c);
 * ```
 */
export function deleteArtifactCollection(
  client: WandbClient,
  collection: ArtifactCollection,
): Effect.Effect<ArtifactCollection, RequestError> {
  return client.execute(deleteCollectionMutation(collection.kind, collection.id)).pipe(
    Effect.as(collection),
  );
}

// ---- lineage -----------------------------------------------------------------------------

/**
 * The versions a run logged (`logged`, Python's `run.logged_artifacts()`) or used (`used`,
 * `run.used_artifacts()`), lazily.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listRunArtifacts, type WandbClient } from "@effect-wandb/api";
 * const inputs = (client: WandbClient) =>
 *   Stream.runCollect(listRunArtifacts(client, { entity: "acme", project: "mnist", runId: "abc" }, "used"));
 * ```
 */
export function listRunArtifacts(
  client: WandbClient,
  run: RunPath,
  role: "logged" | "used",
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<Artifact, ArtifactError> {
  const perPage = options?.perPage ?? 50;
  const operation = role === "logged" ? "RunOutputArtifacts" : "RunInputArtifacts";
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation,
      fetchPage: (cursor) =>
        client.execute(runArtifactsQuery(run, role, perPage, cursor)).pipe(
          Effect.flatMap((data) => {
            if (data.project === null) return Effect.fail(projectNotFound(operation, run));
            if (data.project.run === null) return Effect.fail(runNotFound(operation, run));
            const artifacts = data.project.run.artifacts;
            return Effect.succeed({
              items: (artifacts?.edges ?? []).map(({ node }) => toArtifact(node)),
              nextCursor: artifacts?.pageInfo.endCursor ?? null,
              hasNextPage: artifacts?.pageInfo.hasNextPage ?? false,
            });
          }),
        ),
    }),
  );
}

/**
 * Declares that a run used a version (Python's `run.use_artifact(artifact, use_as)`); returns
 * the version.
 *
 * @example
 * ```ts
 * import { type Artifact, useArtifact, type WandbClient } from "@effect-wandb/api";
 * const declare = (client: WandbClient, a: Artifact) =>
 *   useArtifact(client, { entity: "acme", project: "mnist", runId: "abc" }, a);
 * ```
 */
export function useArtifact(
  client: WandbClient,
  run: RunPath,
  artifact: Artifact,
  options?: { readonly usedAs?: string | undefined },
): Effect.Effect<Artifact, RequestError | NotFoundError> {
  return client.execute(useArtifactMutation(run, artifact.id, options?.usedAs ?? null)).pipe(
    Effect.flatMap((data) =>
      data.useArtifact === null
        ? Effect.fail(runNotFound("UseArtifact", run))
        : Effect.succeed(artifact)
    ),
  );
}

/**
 * Declares a committed version an output of a run of the same project (Python's
 * `run.log_artifact(artifact, aliases, tags)`, which takes existing versions only: a new
 * artifact from local files needs a live run, as in Python). Returns the version with its new
 * aliases and tags.
 *
 * @example
 * ```ts
 * import { type Artifact, logArtifact, type WandbClient } from "@effect-wandb/api";
 * const declare = (client: WandbClient, a: Artifact) =>
 *   logArtifact(client, { entity: "acme", project: "mnist", runId: "abc" }, a, { aliases: ["prod"] });
 * ```
 */
export function logArtifact(
  client: WandbClient,
  run: RunPath,
  artifact: Artifact,
  options?: {
    readonly aliases?: ReadonlyArray<string> | undefined;
    readonly tags?: ReadonlyArray<string> | undefined;
  },
): Effect.Effect<Artifact, ArtifactError> {
  return Effect.gen(function* () {
    if (run.entity !== artifact.entity || run.project !== artifact.project) {
      return yield* Effect.fail(
        invalid(
          "artifact",
          artifact.qualifiedName,
          "A run can't log an artifact to a different project",
        ),
      );
    }
    yield* checkChanges({ aliases: options?.aliases, tags: options?.tags });
    yield* client.execute(
      logArtifactMutation(
        run,
        artifact.type,
        artifact.collection,
        artifact.digest,
        options?.aliases ?? [],
        options?.tags ?? [],
      ),
    );
    return yield* getArtifactById(client, artifact.id);
  });
}

/**
 * The run that logged a version (Python's `artifact.logged_by()`), or `null`.
 *
 * @example
 * ```ts
 * import { type Artifact, artifactLoggedBy, type WandbClient } from "@effect-wandb/api";
 * const creator = (client: WandbClient, a: Artifact) => artifactLoggedBy(client, a);
 * ```
 */
export function artifactLoggedBy(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<Run | null, RequestError | NotFoundError> {
  return client.execute(artifactCreatedByQuery(artifact.id)).pipe(
    Effect.flatMap((data) => {
      const by = data.artifact?.createdBy ?? null;
      if (data.artifact === null) {
        return Effect.fail(notFound("ArtifactCreatedBy", "artifact", artifact.qualifiedName));
      }
      return by === null || by.__typename !== "Run" ? Effect.succeed(null) : getRun(client, {
        entity: by.project.entity.name,
        project: by.project.name,
        runId: by.name,
      });
    }),
  );
}

/**
 * The runs that used a version (Python's `artifact.used_by()`).
 *
 * @example
 * ```ts
 * import { type Artifact, artifactUsedBy, type WandbClient } from "@effect-wandb/api";
 * const consumers = (client: WandbClient, a: Artifact) => artifactUsedBy(client, a);
 * ```
 */
export function artifactUsedBy(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<ReadonlyArray<Run>, RequestError | NotFoundError> {
  return client.execute(artifactUsedByQuery(artifact.id)).pipe(
    Effect.flatMap((data) =>
      data.artifact === null
        ? Effect.fail(notFound("ArtifactUsedBy", "artifact", artifact.qualifiedName))
        : Effect.forEach(
          data.artifact.usedBy.edges,
          ({ node }) =>
            getRun(client, {
              entity: node.project.entity.name,
              project: node.project.name,
              runId: node.name,
            }),
          {
            concurrency: 4,
          },
        )
    ),
  );
}
