/**
 * Pure builders for the artifact reads: the official client's operations (`ArtifactByName`,
 * `ProjectArtifacts`, `FetchArtifactManifest`, `GetArtifactFileUrls`, …) with its operation
 * names, variables and fragments, so a real W&B server accepts them as they are. Changes are in
 * `change_queries.ts`, lineage in `lineage_queries.ts`.
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
import type { ProjectPath } from "../core/paths.ts";
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

/** An operation with the artifact fragments it uses. */
export const doc = (source: string): GraphqlDocument =>
  operationDocument(source, artifactFragments);

/** A connection page: items, the cursor after them, whether more follow. */
export interface ConnectionData<Node> {
  readonly edges: ReadonlyArray<{ readonly node: Node }>;
  readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
}

/** A connection's `pageInfo`. */
export const pageInfo = Schema.Struct({
  endCursor: Schema.NullOr(Schema.String),
  hasNextPage: Schema.Boolean,
});

/** A connection of `node`s. */
export const connectionOf = <Node>(
  node: Schema.Decoder<Node>,
): Schema.Decoder<ConnectionData<Node>> =>
  Schema.Struct({ edges: Schema.Array(Schema.Struct({ node })), pageInfo });

/** `s` or `null`. */
export const nullable = <A>(s: Schema.Decoder<A>): Schema.Decoder<A | null> => Schema.NullOr(s);

/** A project field wrapping `inner`. */
export const inProject = <A>(
  inner: Schema.Decoder<A>,
): Schema.Decoder<{ readonly project: A | null }> => Schema.Struct({ project: nullable(inner) });

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
