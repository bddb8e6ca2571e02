/**
 * Artifacts, read: types, collections and versions as lazy Streams, lookups by name and id,
 * manifests and the files of a version. Python's `api.artifact_types()`, `api.artifact(…)`,
 * `artifact.manifest`, `artifact.files()` and the rest. Downloads are in `download.ts`, changes
 * in `mutations.ts`, the runs that logged and used a version in `lineage.ts`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import {
  DecodeError,
  InvalidArgumentError,
  NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import { paginate, sizedPages } from "../core/pagination.ts";
import type { ProjectPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { issuePath } from "../core/_graphql_execution.ts";
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
  artifactByIdQuery,
  artifactByNameQuery,
  artifactCollectionQuery,
  artifactCollectionsQuery,
  artifactFilesQuery,
  artifactTypeQuery,
  artifactTypesQuery,
  artifactVersionsQuery,
  manifestUrlQuery,
} from "./queries.ts";

/** The failures of the artifact calls. */
export type ArtifactError = RequestError | NotFoundError | InvalidArgumentError;

/** The `NotFoundError` of an artifact call: `resource` at `path` does not exist. */
export const notFound = (operation: string, resource: string, path: string): NotFoundError =>
  new NotFoundError({ operation, resource, path, message: `Could not find ${resource} ${path}` });

/** The `InvalidArgumentError` of an artifact call's bad `argument`. */
export const invalid = (argument: string, value: unknown, message: string): InvalidArgumentError =>
  new InvalidArgumentError({ argument, value, message });
// ---- types and collections ---------------------------------------------------------------

/**
 * A project's artifact types, lazily (Python's `api.artifact_types(project)`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listArtifactTypes } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifactType } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { listArtifactCollections } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifactCollection } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { artifactCollectionExists } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { listArtifactVersions } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
  const tags = options?.tags ?? [];
  // Without a caller's size: the official client's 50, growing while pages come back fast.
  const page = sizedPages(options?.perPage, 50, 500);
  const versions = paginate({
    operation: "ProjectArtifacts",
    fetchPage: (cursor) =>
      page(
        (size) => artifactVersionsQuery(project, type, collection, size, cursor),
        client.execute,
      ).pipe(
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
    positiveInteger("perPage", options?.perPage ?? 50),
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
 * import { getArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * A version named as it was asked for, as Python names it: `collection:alias` when fetched by an
 * alias (`:latest` for a bare name), its `version` still `vN`.
 */
export function asked(artifact: Artifact, project: ProjectPath, name: string): Artifact {
  const named = name.includes(":") ? name : `${name}:latest`;
  return {
    ...artifact,
    name: named,
    qualifiedName: `${project.entity}/${project.project}/${named}`,
  };
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
  const artifact = asked(toArtifact(found.artifact), project, name);
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
 * import { artifactExists } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifactById } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifact, getArtifactManifest } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifact, getArtifactEntry } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
 * import { getArtifact, listArtifactFiles } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
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
  const project = { entity: artifact.entity, project: artifact.project };
  // Without a caller's size: the official client's 50, growing while pages come back fast.
  const page = sizedPages(options?.perPage, 50, 1000);
  return checkedStream(
    positiveInteger("perPage", options?.perPage ?? 50),
    paginate({
      operation: "GetArtifactFiles",
      fetchPage: (cursor) =>
        page(
          (size) =>
            artifactFilesQuery(
              project,
              artifact.type,
              artifact.name,
              options?.names ?? null,
              size,
              cursor,
            ),
          client.execute,
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
