/**
 * Pure builders for the artifact requests: the official client's operations (`ArtifactByName`,
 * `ProjectArtifacts`, `FetchArtifactManifest`, `GetArtifactFileUrls`, `UpdateArtifact`,
 * `LinkArtifact`, …) with its operation names, variables and fragments, so a real W&B server
 * accepts them as they are.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import {
  fragment,
  type GraphqlDocument,
  type GraphqlRequest,
  operationDocument,
} from "../core/graphql.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import {
  ArtifactCollectionNode,
  type ArtifactCollectionNodeData,
  ArtifactFileNode,
  type ArtifactFileNodeData,
  ArtifactNode,
  type ArtifactNodeData,
  ArtifactTypeNode,
  type ArtifactTypeNodeData,
} from "./decoders.ts";

/** The official client's fragments of artifacts, collections and types. */
export const artifactFragments: GraphqlDocument = fragment(`
  fragment ProjectInfoFragment on Project { name entity { name } }
  fragment TagFragment on Tag { __typename id name }
  fragment ArtifactAliasFragment on ArtifactAlias { __typename id alias }
  fragment CollectionInfoFragment on ArtifactCollection {
    __typename name project { ...ProjectInfoFragment }
  }
  fragment SourceCollectionInfoFragment on ArtifactSequence {
    __typename name project { ...ProjectInfoFragment }
  }
  fragment PageInfoFragment on PageInfo { __typename endCursor hasNextPage }
  fragment ArtifactTypeFragment on ArtifactType { __typename id name description createdAt }
  fragment ArtifactCollectionFragment on ArtifactCollection {
    __typename id name description createdAt project { ...ProjectInfoFragment }
    type: defaultArtifactType { name } tags { edges { node { ...TagFragment } } }
  }
  fragment ArtifactFragment on Artifact {
    __typename id artifactSequence { ...SourceCollectionInfoFragment } versionIndex
    artifactType { name } description metadata ttlDurationSeconds ttlIsInherited
    tags { ...TagFragment } historyStep state size digest commitHash fileCount createdAt updatedAt
    aliases @include(if: $includeAliases) {
      artifactCollection { ...CollectionInfoFragment } ...ArtifactAliasFragment
    }
  }
  fragment FileFragment on File {
    __typename id name: displayName url sizeBytes storagePath mimetype updatedAt digest md5 directUrl
  }
  fragment RunInfoFragment on Run { __typename id name project { ...ProjectInfoFragment } }
`);

const doc = (source: string) => operationDocument(source, artifactFragments);

/** A connection page: items, the cursor after them, whether more follow. */
export interface ConnectionData<Node> {
  readonly edges: ReadonlyArray<{ readonly node: Node }>;
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
}

const pageInfo = Schema.Struct({
  endCursor: Schema.NullOr(Schema.String),
  hasNextPage: Schema.Boolean,
});

const connectionOf = <Node>(node: Schema.Decoder<Node>): Schema.Decoder<ConnectionData<Node>> =>
  Schema.Struct({ edges: Schema.Array(Schema.Struct({ node })), pageInfo });

const nullable = <A>(s: Schema.Decoder<A>): Schema.Decoder<A | null> => Schema.NullOr(s);

/** A project field wrapping `inner`. */
const inProject = <A>(inner: Schema.Decoder<A>): Schema.Decoder<{ readonly project: A | null }> =>
  Schema.Struct({ project: nullable(inner) });

// ---- types -------------------------------------------------------------------------------

/** The decoded answer of `ProjectArtifactTypes`. */
export type ArtifactTypesData = {
  readonly project: { readonly artifactTypes: ConnectionData<ArtifactTypeNodeData> } | null;
};

const artifactTypesDocument = doc(`
  query ProjectArtifactTypes($entity: String!, $project: String!, $cursor: String, $perPage: Int) {
    project(name: $project, entityName: $entity) {
      artifactTypes(after: $cursor, first: $perPage) {
        edges { node { ...ArtifactTypeFragment } } pageInfo { ...PageInfoFragment }
      }
    }
  }
`);

/**
 * `ProjectArtifactTypes`: a page of a project's artifact types.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactTypesQuery } from "@effect-wandb/api/graphql";
 * const r = artifactTypesQuery({ entity: "acme", project: "mnist" }, 50, null);
 * assert.ok(r.operation === "ProjectArtifactTypes");
 * ```
 */
export function artifactTypesQuery(
  project: ProjectPath,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ArtifactTypesData> {
  return {
    operation: "ProjectArtifactTypes",
    document: artifactTypesDocument,
    variables: { entity: project.entity, project: project.project, perPage, cursor },
    decoder: inProject(Schema.Struct({ artifactTypes: connectionOf(ArtifactTypeNode) })),
  };
}

/** The decoded answer of `ProjectArtifactType`. */
export type ArtifactTypeData = {
  readonly project: { readonly artifactType: ArtifactTypeNodeData | null } | null;
};

const artifactTypeDocument = doc(`
  query ProjectArtifactType($entity: String!, $project: String!, $type: String!) {
    project(entityName: $entity, name: $project) { artifactType(name: $type) { ...ArtifactTypeFragment } }
  }
`);

/**
 * `ProjectArtifactType`: one artifact type by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactTypeQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactTypeQuery({ entity: "a", project: "p" }, "model").variables.type === "model");
 * ```
 */
export function artifactTypeQuery(
  project: ProjectPath,
  type: string,
): GraphqlRequest<ArtifactTypeData> {
  return {
    operation: "ProjectArtifactType",
    document: artifactTypeDocument,
    variables: { entity: project.entity, project: project.project, type },
    decoder: inProject(Schema.Struct({ artifactType: nullable(ArtifactTypeNode) })),
  };
}

// ---- collections -------------------------------------------------------------------------

/** The decoded answer of `ArtifactTypeArtifactCollections`. */
export type ArtifactCollectionsData = {
  readonly project: {
    readonly artifactType: {
      readonly artifactCollections: ConnectionData<ArtifactCollectionNodeData>;
    } | null;
  } | null;
};

const collectionsDocument = doc(`
  query ArtifactTypeArtifactCollections($entity: String!, $project: String!, $type: String!,
                                        $cursor: String, $perPage: Int) {
    project(entityName: $entity, name: $project) {
      artifactType(name: $type) {
        artifactCollections(after: $cursor, first: $perPage) {
          totalCount pageInfo { ...PageInfoFragment }
          edges { node { __typename ...ArtifactCollectionFragment } }
        }
      }
    }
  }
`);

/**
 * `ArtifactTypeArtifactCollections`: a page of a type's collections.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactCollectionsQuery } from "@effect-wandb/api/graphql";
 * const r = artifactCollectionsQuery({ entity: "a", project: "p" }, "model", 50, null);
 * assert.ok(r.operation === "ArtifactTypeArtifactCollections");
 * ```
 */
export function artifactCollectionsQuery(
  project: ProjectPath,
  type: string,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ArtifactCollectionsData> {
  return {
    operation: "ArtifactTypeArtifactCollections",
    document: collectionsDocument,
    variables: { entity: project.entity, project: project.project, type, perPage, cursor },
    decoder: inProject(Schema.Struct({
      artifactType: nullable(Schema.Struct({
        artifactCollections: connectionOf(ArtifactCollectionNode),
      })),
    })),
  };
}

/** The decoded answer of `ProjectArtifactCollection`. */
export type ArtifactCollectionData = {
  readonly project: {
    readonly artifactType:
      | { readonly artifactCollection: ArtifactCollectionNodeData | null }
      | null;
  } | null;
};

const collectionDocument = doc(`
  query ProjectArtifactCollection($entity: String!, $project: String!, $type: String!, $name: String!) {
    project(entityName: $entity, name: $project) {
      artifactType(name: $type) {
        artifactCollection(name: $name) { __typename ...ArtifactCollectionFragment }
      }
    }
  }
`);

/**
 * `ProjectArtifactCollection`: one collection of a type by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactCollectionQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactCollectionQuery({ entity: "a", project: "p" }, "model", "cnn").variables.name === "cnn");
 * ```
 */
export function artifactCollectionQuery(
  project: ProjectPath,
  type: string,
  name: string,
): GraphqlRequest<ArtifactCollectionData> {
  return {
    operation: "ProjectArtifactCollection",
    document: collectionDocument,
    variables: { entity: project.entity, project: project.project, type, name },
    decoder: inProject(Schema.Struct({
      artifactType: nullable(
        Schema.Struct({ artifactCollection: nullable(ArtifactCollectionNode) }),
      ),
    })),
  };
}

// ---- versions ----------------------------------------------------------------------------

/** The decoded answer of `ProjectArtifacts`. */
export type ArtifactVersionsData = {
  readonly project: {
    readonly artifactType: {
      readonly artifactCollection: {
        readonly artifacts: ConnectionData<ArtifactNodeData> | null;
      } | null;
    } | null;
  } | null;
};

const versionsDocument = doc(`
  query ProjectArtifacts($entity: String!, $project: String!, $type: String!, $collection: String!,
                         $cursor: String, $perPage: Int = 50, $order: String, $filters: JSONString,
                         $includeAliases: Boolean = true) {
    project(entityName: $entity, name: $project) {
      artifactType(name: $type) {
        artifactCollection(name: $collection) {
          __typename
          artifacts(after: $cursor, first: $perPage, order: $order, filters: $filters) {
            totalCount pageInfo { ...PageInfoFragment }
            edges { version node { ...ArtifactFragment } }
          }
        }
      }
    }
  }
`);

/**
 * `ProjectArtifacts`: a page of a collection's committed versions, newest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactVersionsQuery } from "@effect-wandb/api/graphql";
 * const r = artifactVersionsQuery({ entity: "a", project: "p" }, "model", "cnn", 50, null);
 * assert.ok(r.variables.filters === '{"state":"COMMITTED"}');
 * ```
 */
export function artifactVersionsQuery(
  project: ProjectPath,
  type: string,
  collection: string,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ArtifactVersionsData> {
  return {
    operation: "ProjectArtifacts",
    document: versionsDocument,
    variables: {
      entity: project.entity,
      project: project.project,
      type,
      collection,
      perPage,
      cursor,
      order: null,
      filters: JSON.stringify({ state: "COMMITTED" }),
    },
    decoder: inProject(Schema.Struct({
      artifactType: nullable(Schema.Struct({
        artifactCollection: nullable(Schema.Struct({
          artifacts: nullable(connectionOf(ArtifactNode)),
        })),
      })),
    })),
  };
}

/** The decoded answer of `ArtifactByName`. */
export type ArtifactByNameData = {
  readonly project: { readonly artifact: ArtifactNodeData | null } | null;
};

const byNameDocument = doc(`
  query ArtifactByName($entity: String!, $project: String!, $name: String!,
                       $enableTracking: Boolean, $includeAliases: Boolean = true) {
    project(name: $project, entityName: $entity) {
      artifact(name: $name, enableTracking: $enableTracking) { ...ArtifactFragment }
    }
  }
`);

/**
 * `ArtifactByName`: a version by `collection:alias` or `collection:vN`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactByNameQuery } from "@effect-wandb/api/graphql";
 * const r = artifactByNameQuery({ entity: "a", project: "p" }, "cnn:best", true);
 * assert.ok(r.variables.name === "cnn:best" && r.variables.enableTracking === true);
 * ```
 */
export function artifactByNameQuery(
  project: ProjectPath,
  name: string,
  enableTracking: boolean,
): GraphqlRequest<ArtifactByNameData> {
  return {
    operation: "ArtifactByName",
    document: byNameDocument,
    variables: { entity: project.entity, project: project.project, name, enableTracking },
    decoder: inProject(Schema.Struct({ artifact: nullable(ArtifactNode) })),
  };
}

/** The decoded answer of `ArtifactByID`. */
export type ArtifactByIdData = { readonly artifact: ArtifactNodeData | null };

const byIdDocument = doc(`
  query ArtifactByID($id: ID!, $includeAliases: Boolean = true) {
    artifact(id: $id) { ...ArtifactFragment }
  }
`);

/**
 * `ArtifactByID`: a version by its node id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactByIdQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactByIdQuery("QXJ0aWZhY3Q6MQ==").operation === "ArtifactByID");
 * ```
 */
export function artifactByIdQuery(id: string): GraphqlRequest<ArtifactByIdData> {
  return {
    operation: "ArtifactByID",
    document: byIdDocument,
    variables: { id },
    decoder: Schema.Struct({ artifact: nullable(ArtifactNode) }),
  };
}

// ---- manifest and files ------------------------------------------------------------------

/** The decoded answer of `FetchArtifactManifest`. */
export type ManifestUrlData = {
  readonly artifact: {
    readonly currentManifest: { readonly file: { readonly directUrl: string | null } } | null;
  } | null;
};

const manifestDocument = operationDocument(`
  query FetchArtifactManifest($id: ID!) {
    artifact(id: $id) { currentManifest { ...DeferredManifestFragment } }
  }
  fragment DeferredManifestFragment on ArtifactManifest { file { directUrl } }
`);

/**
 * `FetchArtifactManifest`: the signed URL of a version's manifest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestUrlQuery } from "@effect-wandb/api/graphql";
 * assert.ok(manifestUrlQuery("QXJ0aWZhY3Q6MQ==").operation === "FetchArtifactManifest");
 * ```
 */
export function manifestUrlQuery(id: string): GraphqlRequest<ManifestUrlData> {
  return {
    operation: "FetchArtifactManifest",
    document: manifestDocument,
    variables: { id },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        currentManifest: nullable(Schema.Struct({
          file: Schema.Struct({ directUrl: Schema.NullOr(Schema.String) }),
        })),
      })),
    }),
  };
}

/** The decoded answer of `GetArtifactFiles`. */
export type ArtifactFilesData = {
  readonly project: {
    readonly artifactType: {
      readonly artifact: { readonly files: ConnectionData<ArtifactFileNodeData> } | null;
    } | null;
  } | null;
};

const filesDocument = doc(`
  query GetArtifactFiles($entity: String!, $project: String!, $type: String!, $name: String!,
                         $fileNames: [String!], $cursor: String, $perPage: Int = 50) {
    project(name: $project, entityName: $entity) {
      artifactType(name: $type) {
        artifact(name: $name) {
          files(names: $fileNames, after: $cursor, first: $perPage) {
            pageInfo { ...PageInfoFragment } edges { node { ...FileFragment } }
          }
        }
      }
    }
  }
`);

/**
 * `GetArtifactFiles`: a page of a version's files (by `collection:vN` within its type).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactFilesQuery } from "@effect-wandb/api/graphql";
 * const r = artifactFilesQuery({ entity: "a", project: "p" }, "model", "cnn:v0", null, 50, null);
 * assert.ok(r.operation === "GetArtifactFiles");
 * ```
 */
export function artifactFilesQuery(
  project: ProjectPath,
  type: string,
  name: string,
  names: ReadonlyArray<string> | null,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ArtifactFilesData> {
  return {
    operation: "GetArtifactFiles",
    document: filesDocument,
    variables: {
      entity: project.entity,
      project: project.project,
      type,
      name,
      fileNames: names,
      perPage,
      cursor,
    },
    decoder: inProject(Schema.Struct({
      artifactType: nullable(Schema.Struct({
        artifact: nullable(Schema.Struct({ files: connectionOf(ArtifactFileNode) })),
      })),
    })),
  };
}

/** The decoded answer of `GetArtifactFileUrls`. */
export type ArtifactFileUrlsData = {
  readonly artifact: {
    readonly files: ConnectionData<{ readonly name: string; readonly directUrl: string | null }>;
  } | null;
};

const fileUrlsDocument = doc(`
  query GetArtifactFileUrls($id: ID!, $cursor: String, $perPage: Int) {
    artifact(id: $id) {
      files(after: $cursor, first: $perPage) {
        pageInfo { ...PageInfoFragment } edges { node { ...FileWithUrlFragment } }
      }
    }
  }
  fragment FileWithUrlFragment on File { __typename name directUrl }
`);

/**
 * `GetArtifactFileUrls`: a page of a version's signed file URLs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactFileUrlsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactFileUrlsQuery("QXJ0aWZhY3Q6MQ==", 1000, null).variables.perPage === 1000);
 * ```
 */
export function artifactFileUrlsQuery(
  id: string,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ArtifactFileUrlsData> {
  return {
    operation: "GetArtifactFileUrls",
    document: fileUrlsDocument,
    variables: { id, perPage, cursor },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        files: connectionOf(
          Schema.Struct({ name: Schema.String, directUrl: Schema.NullOr(Schema.String) }),
        ),
      })),
    }),
  };
}

// ---- lineage -----------------------------------------------------------------------------

/** The decoded answer of `RunOutputArtifacts` / `RunInputArtifacts`. */
export type RunArtifactsData = {
  readonly project: {
    readonly run: { readonly artifacts: ConnectionData<ArtifactNodeData> | null } | null;
  } | null;
};

const runArtifactsDocument = (operation: string, field: string) =>
  doc(`
  query ${operation}($entity: String!, $project: String!, $run: String!, $cursor: String,
                     $perPage: Int, $includeAliases: Boolean = true) {
    project(entityName: $entity, name: $project) {
      run(name: $run) {
        artifacts: ${field}(after: $cursor, first: $perPage) {
          totalCount pageInfo { ...PageInfoFragment } edges { node { ...ArtifactFragment } }
        }
      }
    }
  }
`);

const outputDocument = runArtifactsDocument("RunOutputArtifacts", "outputArtifacts");
const inputDocument = runArtifactsDocument("RunInputArtifacts", "inputArtifacts");

/**
 * `RunOutputArtifacts` (`logged`) or `RunInputArtifacts` (`used`): a page of a run's artifacts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runArtifactsQuery } from "@effect-wandb/api/graphql";
 * const r = runArtifactsQuery({ entity: "a", project: "p", runId: "r" }, "used", 50, null);
 * assert.ok(r.operation === "RunInputArtifacts");
 * ```
 */
export function runArtifactsQuery(
  run: RunPath,
  role: "logged" | "used",
  perPage: number,
  cursor: string | null,
): GraphqlRequest<RunArtifactsData> {
  return {
    operation: role === "logged" ? "RunOutputArtifacts" : "RunInputArtifacts",
    document: role === "logged" ? outputDocument : inputDocument,
    variables: { entity: run.entity, project: run.project, run: run.runId, perPage, cursor },
    decoder: inProject(Schema.Struct({
      run: nullable(Schema.Struct({ artifacts: nullable(connectionOf(ArtifactNode)) })),
    })),
  };
}

/** A run as `RunInfoFragment` selects it. */
export interface RunInfoData {
  readonly id: string;
  readonly name: string;
  readonly project: { readonly name: string; readonly entity: { readonly name: string } };
}

const RunInfo: Schema.Decoder<RunInfoData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  project: Schema.Struct({ name: Schema.String, entity: Schema.Struct({ name: Schema.String }) }),
});

/** The decoded answer of `ArtifactUsedBy`. */
export type ArtifactUsedByData = {
  readonly artifact: {
    readonly usedBy: { readonly edges: ReadonlyArray<{ readonly node: RunInfoData }> };
  } | null;
};

const usedByDocument = doc(`
  query ArtifactUsedBy($id: ID!) {
    artifact(id: $id) { usedBy { edges { node { ...RunInfoFragment } } } }
  }
`);

/**
 * `ArtifactUsedBy`: the runs that used a version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactUsedByQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactUsedByQuery("QXJ0aWZhY3Q6MQ==").operation === "ArtifactUsedBy");
 * ```
 */
export function artifactUsedByQuery(id: string): GraphqlRequest<ArtifactUsedByData> {
  return {
    operation: "ArtifactUsedBy",
    document: usedByDocument,
    variables: { id },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        usedBy: Schema.Struct({ edges: Schema.Array(Schema.Struct({ node: RunInfo })) }),
      })),
    }),
  };
}

/** The decoded answer of `ArtifactCreatedBy`. */
export type ArtifactCreatedByData = {
  readonly artifact:
    | { readonly createdBy: (RunInfoData & { readonly __typename: string }) | null }
    | null;
};

const createdByDocument = doc(`
  query ArtifactCreatedBy($id: ID!) {
    artifact(id: $id) { createdBy { __typename ... on Run { ...RunInfoFragment } } }
  }
`);

/**
 * `ArtifactCreatedBy`: the run that logged a version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactCreatedByQuery } from "@effect-wandb/api/graphql";
 * assert.ok(artifactCreatedByQuery("QXJ0aWZhY3Q6MQ==").operation === "ArtifactCreatedBy");
 * ```
 */
export function artifactCreatedByQuery(id: string): GraphqlRequest<ArtifactCreatedByData> {
  return {
    operation: "ArtifactCreatedBy",
    document: createdByDocument,
    variables: { id },
    decoder: Schema.Struct({
      artifact: nullable(Schema.Struct({
        createdBy: nullable(Schema.Struct({
          __typename: Schema.String,
          id: Schema.String,
          name: Schema.String,
          project: Schema.Struct({
            name: Schema.String,
            entity: Schema.Struct({ name: Schema.String }),
          }),
        })),
      })),
    }),
  };
}

// ---- mutations ---------------------------------------------------------------------------

const resultOf = <A>(inner: Schema.Decoder<A>) => Schema.Struct({ result: nullable(inner) });

/** The decoded answer of `UpdateArtifact`. */
export type UpdateArtifactData = {
  readonly result: { readonly artifact: ArtifactNodeData } | null;
};

const updateArtifactDocument = doc(`
  mutation UpdateArtifact($input: UpdateArtifactInput!, $includeAliases: Boolean = true) {
    result: updateArtifact(input: $input) { artifact { ...ArtifactFragment } }
  }
`);

/** What {@link updateArtifactMutation} changes; absent fields are left as they are. */
export interface UpdateArtifactInput {
  readonly description?: string | undefined;
  /** The metadata's JSON text. */
  readonly metadata?: string | undefined;
  readonly ttlDurationSeconds?: number | undefined;
  readonly tagsToAdd: ReadonlyArray<string>;
  readonly tagsToDelete: ReadonlyArray<string>;
}

/**
 * `UpdateArtifact`: description, metadata, TTL and tags of a version.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = updateArtifactMutation("QXJ0aWZhY3Q6MQ==", { tagsToAdd: ["a"], tagsToDelete: [] });
 * assert.ok(r.operation === "UpdateArtifact");
 * ```
 */
export function updateArtifactMutation(
  id: string,
  input: UpdateArtifactInput,
): GraphqlRequest<UpdateArtifactData> {
  return {
    operation: "UpdateArtifact",
    document: updateArtifactDocument,
    variables: {
      input: {
        artifactID: id,
        // Absent fields are left out, as the official client drops its nulls.
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
        ...(input.ttlDurationSeconds === undefined
          ? {}
          : { ttlDurationSeconds: input.ttlDurationSeconds }),
        tagsToAdd: input.tagsToAdd.map((tagName) => ({ tagName })),
        tagsToDelete: input.tagsToDelete.map((tagName) => ({ tagName })),
      },
    },
    decoder: resultOf(Schema.Struct({ artifact: ArtifactNode })),
  };
}

/** The decoded answer of `AddAliases` / `DeleteAliases` and other `success` mutations. */
export type SuccessData = { readonly result: { readonly success: boolean } | null };

const addAliasesDocument = operationDocument(`
  mutation AddAliases($input: AddAliasesInput!) { result: addAliases(input: $input) { success } }
`);
const deleteAliasesDocument = operationDocument(`
  mutation DeleteAliases($input: DeleteAliasesInput!) { result: deleteAliases(input: $input) { success } }
`);

/**
 * `AddAliases` (`add`) or `DeleteAliases` (`delete`): aliases of a version in a collection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aliasesMutation } from "@effect-wandb/api/graphql";
 * const r = aliasesMutation("add", "QXJ0aWZhY3Q6MQ==", { entity: "a", project: "p" }, "cnn", ["best"]);
 * assert.ok(r.operation === "AddAliases");
 * ```
 */
export function aliasesMutation(
  change: "add" | "delete",
  id: string,
  project: ProjectPath,
  collection: string,
  aliases: ReadonlyArray<string>,
): GraphqlRequest<SuccessData> {
  return {
    operation: change === "add" ? "AddAliases" : "DeleteAliases",
    document: change === "add" ? addAliasesDocument : deleteAliasesDocument,
    variables: {
      input: {
        artifactID: id,
        aliases: aliases.map((alias) => ({
          alias,
          artifactCollectionName: collection,
          entityName: project.entity,
          projectName: project.project,
        })),
      },
    },
    decoder: resultOf(Schema.Struct({ success: Schema.Boolean })),
  };
}

/** The decoded answer of `DeleteArtifact`. */
export type DeleteArtifactData = {
  readonly result: { readonly artifact: { readonly id: string } } | null;
};

const deleteArtifactDocument = operationDocument(`
  mutation DeleteArtifact($input: DeleteArtifactInput!) {
    result: deleteArtifact(input: $input) { artifact { id } }
  }
`);

/**
 * `DeleteArtifact`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteArtifactMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteArtifactMutation("QXJ0aWZhY3Q6MQ==", true).variables.input !== undefined);
 * ```
 */
export function deleteArtifactMutation(
  id: string,
  deleteAliases: boolean,
): GraphqlRequest<DeleteArtifactData> {
  return {
    operation: "DeleteArtifact",
    document: deleteArtifactDocument,
    variables: { input: { artifactID: id, deleteAliases } },
    decoder: resultOf(Schema.Struct({ artifact: Schema.Struct({ id: Schema.String }) })),
  };
}

/** The decoded answer of the collection mutations. */
export type CollectionResultData = {
  readonly result: { readonly artifactCollection: ArtifactCollectionNodeData } | null;
};

const collectionMutation = (operation: string, field: string, input: string) =>
  doc(`
  mutation ${operation}($input: ${input}!) {
    result: ${field}(input: $input) { artifactCollection { __typename ...ArtifactCollectionFragment } }
  }
`);

const updateSequenceDocument = collectionMutation(
  "UpdateArtifactSequence",
  "updateArtifactSequence",
  "UpdateArtifactSequenceInput",
);
const updatePortfolioDocument = collectionMutation(
  "UpdateArtifactPortfolio",
  "updateArtifactPortfolio",
  "UpdateArtifactPortfolioInput",
);
const moveSequenceDocument = collectionMutation(
  "UpdateArtifactSequenceType",
  "moveArtifactSequence",
  "MoveArtifactSequenceInput",
);

/**
 * `UpdateArtifactSequence` / `UpdateArtifactPortfolio`: a collection's name and description.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateCollectionMutation } from "@effect-wandb/api/graphql";
 * const r = updateCollectionMutation("sequence", "id", { description: "d" });
 * assert.ok(r.operation === "UpdateArtifactSequence");
 * ```
 */
export function updateCollectionMutation(
  kind: "sequence" | "portfolio",
  id: string,
  changes: { readonly name?: string | undefined; readonly description?: string | undefined },
): GraphqlRequest<CollectionResultData> {
  const idKey = kind === "sequence" ? "artifactSequenceID" : "artifactPortfolioID";
  return {
    operation: kind === "sequence" ? "UpdateArtifactSequence" : "UpdateArtifactPortfolio",
    document: kind === "sequence" ? updateSequenceDocument : updatePortfolioDocument,
    variables: {
      input: {
        [idKey]: id,
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
      },
    },
    decoder: resultOf(Schema.Struct({ artifactCollection: ArtifactCollectionNode })),
  };
}

/**
 * `UpdateArtifactSequenceType`: moves a sequence to another artifact type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { moveCollectionMutation } from "@effect-wandb/api/graphql";
 * assert.ok(moveCollectionMutation("id", "model").operation === "UpdateArtifactSequenceType");
 * ```
 */
export function moveCollectionMutation(
  id: string,
  type: string,
): GraphqlRequest<CollectionResultData> {
  return {
    operation: "UpdateArtifactSequenceType",
    document: moveSequenceDocument,
    variables: { input: { artifactSequenceID: id, destinationArtifactTypeName: type } },
    decoder: resultOf(Schema.Struct({ artifactCollection: ArtifactCollectionNode })),
  };
}

/** The decoded answer of the collection deletions. */
export type DeleteCollectionData = {
  readonly result: { readonly artifactCollection: { readonly state: string } } | null;
};

const deleteSequenceDocument = operationDocument(`
  mutation DeleteArtifactSequence($id: ID!) {
    result: deleteArtifactSequence(input: {artifactSequenceID: $id}) {
      artifactCollection { __typename state }
    }
  }
`);
const deletePortfolioDocument = operationDocument(`
  mutation DeleteArtifactPortfolio($id: ID!) {
    result: deleteArtifactPortfolio(input: {artifactPortfolioID: $id}) {
      artifactCollection { __typename state }
    }
  }
`);

/**
 * `DeleteArtifactSequence` / `DeleteArtifactPortfolio`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteCollectionMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteCollectionMutation("portfolio", "id").operation === "DeleteArtifactPortfolio");
 * ```
 */
export function deleteCollectionMutation(
  kind: "sequence" | "portfolio",
  id: string,
): GraphqlRequest<DeleteCollectionData> {
  return {
    operation: kind === "sequence" ? "DeleteArtifactSequence" : "DeleteArtifactPortfolio",
    document: kind === "sequence" ? deleteSequenceDocument : deletePortfolioDocument,
    variables: { id },
    decoder: resultOf(
      Schema.Struct({ artifactCollection: Schema.Struct({ state: Schema.String }) }),
    ),
  };
}

const addCollectionTagsDocument = doc(`
  mutation AddArtifactCollectionTags($input: CreateArtifactCollectionTagAssignmentsInput!) {
    result: createArtifactCollectionTagAssignments(input: $input) { tags { ...TagFragment } }
  }
`);
const deleteCollectionTagsDocument = operationDocument(`
  mutation DeleteArtifactCollectionTags($input: DeleteArtifactCollectionTagAssignmentsInput!) {
    result: deleteArtifactCollectionTagAssignments(input: $input) { success }
  }
`);

/** The decoded answer of `AddArtifactCollectionTags` / `DeleteArtifactCollectionTags`. */
export type CollectionTagsData = { readonly result: unknown };

/**
 * `AddArtifactCollectionTags` / `DeleteArtifactCollectionTags`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectionTagsMutation } from "@effect-wandb/api/graphql";
 * const r = collectionTagsMutation("add", { entity: "a", project: "p" }, "cnn", ["x"]);
 * assert.ok(r.operation === "AddArtifactCollectionTags");
 * ```
 */
export function collectionTagsMutation(
  change: "add" | "delete",
  project: ProjectPath,
  collection: string,
  tags: ReadonlyArray<string>,
): GraphqlRequest<CollectionTagsData> {
  return {
    operation: change === "add" ? "AddArtifactCollectionTags" : "DeleteArtifactCollectionTags",
    document: change === "add" ? addCollectionTagsDocument : deleteCollectionTagsDocument,
    variables: {
      input: {
        entityName: project.entity,
        projectName: project.project,
        artifactCollectionName: collection,
        tags: tags.map((tagName) => ({ tagName })),
      },
    },
    decoder: Schema.Struct({ result: Schema.Unknown }),
  };
}

/** The decoded answer of `LinkArtifact`. */
export type LinkArtifactData = {
  readonly result: {
    readonly versionIndex: number | null;
    readonly artifactMembership: {
      readonly aliases: ReadonlyArray<{ readonly alias: string }>;
      readonly artifactCollection: {
        readonly name: string;
        readonly project: { readonly name: string; readonly entity: { readonly name: string } };
      } | null;
      readonly artifact: ArtifactNodeData | null;
    } | null;
  } | null;
};

const linkDocument = doc(`
  mutation LinkArtifact($input: LinkArtifactInput!, $includeAliases: Boolean = true) {
    result: linkArtifact(input: $input) {
      versionIndex
      artifactMembership {
        __typename id versionIndex aliases { ...ArtifactAliasFragment }
        artifactCollection { ...CollectionInfoFragment } artifact { ...ArtifactFragment }
      }
    }
  }
`);

/**
 * `LinkArtifact`: links a version into a portfolio (created if need be), with aliases there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = linkArtifactMutation("id", { entity: "a", project: "p" }, "prod-models", ["champion"]);
 * assert.ok(r.operation === "LinkArtifact");
 * ```
 */
export function linkArtifactMutation(
  id: string,
  target: ProjectPath,
  portfolio: string,
  aliases: ReadonlyArray<string>,
): GraphqlRequest<LinkArtifactData> {
  return {
    operation: "LinkArtifact",
    document: linkDocument,
    variables: {
      input: {
        artifactID: id,
        artifactPortfolioName: portfolio,
        entityName: target.entity,
        projectName: target.project,
        aliases: aliases.map((alias) => ({ alias, artifactCollectionName: portfolio })),
      },
    },
    decoder: resultOf(Schema.Struct({
      versionIndex: Schema.NullOr(Schema.Number),
      artifactMembership: nullable(Schema.Struct({
        aliases: Schema.Array(Schema.Struct({ alias: Schema.String })),
        artifactCollection: nullable(Schema.Struct({
          name: Schema.String,
          project: Schema.Struct({
            name: Schema.String,
            entity: Schema.Struct({ name: Schema.String }),
          }),
        })),
        artifact: nullable(ArtifactNode),
      })),
    })),
  };
}

/** The decoded answer of `UseArtifact`. */
export type UseArtifactData = {
  readonly useArtifact: { readonly artifact: { readonly id: string } } | null;
};

const useArtifactDocument = operationDocument(`
  mutation UseArtifact($entityName: String!, $projectName: String!, $runName: String!,
                       $artifactID: ID!, $usedAs: String) {
    useArtifact(input: {entityName: $entityName, projectName: $projectName, runName: $runName,
                        artifactID: $artifactID, usedAs: $usedAs}) {
      artifact { id digest description state createdAt metadata }
    }
  }
`);

/**
 * `UseArtifact`: marks a version as an input of a run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { useArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = useArtifactMutation({ entity: "a", project: "p", runId: "r" }, "id", null);
 * assert.ok(r.variables.runName === "r");
 * ```
 */
export function useArtifactMutation(
  run: RunPath,
  id: string,
  usedAs: string | null,
): GraphqlRequest<UseArtifactData> {
  return {
    operation: "UseArtifact",
    document: useArtifactDocument,
    variables: {
      entityName: run.entity,
      projectName: run.project,
      runName: run.runId,
      artifactID: id,
      usedAs,
    },
    decoder: Schema.Struct({
      useArtifact: nullable(Schema.Struct({ artifact: Schema.Struct({ id: Schema.String }) })),
    }),
  };
}

/** The decoded answer of `CreateArtifact`. */
export type CreateArtifactData = {
  readonly createArtifact:
    | { readonly artifact: { readonly id: string; readonly state: string } }
    | null;
};

const createArtifactDocument = operationDocument(`
  mutation CreateArtifact($artifactTypeName: String!, $artifactCollectionNames: [String!],
                          $entityName: String!, $projectName: String!, $runName: String,
                          $description: String, $digest: String!, $aliases: [ArtifactAliasInput!],
                          $metadata: JSONString, $clientID: ID, $sequenceClientID: ID,
                          $ttlDurationSeconds: Int64, $tags: [TagInput!]) {
    createArtifact(input: {
      artifactTypeName: $artifactTypeName, artifactCollectionNames: $artifactCollectionNames,
      entityName: $entityName, projectName: $projectName, runName: $runName,
      description: $description, digest: $digest, digestAlgorithm: MANIFEST_MD5,
      aliases: $aliases, metadata: $metadata, clientID: $clientID,
      sequenceClientID: $sequenceClientID, enableDigestDeduplication: true,
      ttlDurationSeconds: $ttlDurationSeconds, tags: $tags
    }) {
      artifact { id state artifactSequence { id latestArtifact { id versionIndex } } }
    }
  }
`);

/**
 * `CreateArtifact` with an existing version's digest: how Python's public `Run.log_artifact`
 * declares a committed version an output of a run (the server de-duplicates by digest).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logArtifactMutation } from "@effect-wandb/api/graphql";
 * const r = logArtifactMutation({ entity: "a", project: "p", runId: "r" }, "model", "cnn", "d41d8cd9", [], []);
 * assert.ok(r.variables.digest === "d41d8cd9");
 * ```
 */
export function logArtifactMutation(
  run: RunPath,
  type: string,
  collection: string,
  digest: string,
  aliases: ReadonlyArray<string>,
  tags: ReadonlyArray<string>,
): GraphqlRequest<CreateArtifactData> {
  return {
    operation: "CreateArtifact",
    document: createArtifactDocument,
    variables: {
      entityName: run.entity,
      projectName: run.project,
      runName: run.runId,
      artifactTypeName: type,
      artifactCollectionNames: [collection],
      digest,
      description: null,
      metadata: null,
      clientID: null,
      sequenceClientID: null,
      ttlDurationSeconds: null,
      aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
      tags: tags.map((tagName) => ({ tagName })),
    },
    decoder: Schema.Struct({
      createArtifact: nullable(Schema.Struct({
        artifact: Schema.Struct({ id: Schema.String, state: Schema.String }),
      })),
    }),
  };
}
