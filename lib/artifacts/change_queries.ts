/**
 * Pure builders for the changes of versions and collections: `UpdateArtifact`, aliases,
 * `DeleteArtifact`, the collection mutations and tags, `LinkArtifact`.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { ProjectPath } from "../core/paths.ts";
import {
  ArtifactCollectionNode,
  type ArtifactCollectionNodeData,
  ArtifactNode,
  type ArtifactNodeData,
} from "./decoders.ts";
import { doc, nullable } from "./queries.ts";

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

const linkLegacyDocument = doc(`
  mutation LinkArtifact($input: LinkArtifactInput!) {
    result: linkArtifact(input: $input) { versionIndex }
  }
`);

/**
 * `LinkArtifact` as a server without `ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE` takes it:
 * the answer holds the new version's index only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linkArtifactLegacyMutation } from "@effect-wandb/api/graphql";
 * const r = linkArtifactLegacyMutation("id", { entity: "a", project: "p" }, "prod-models", []);
 * assert.ok(r.operation === "LinkArtifact" && !r.document.text.includes("artifactMembership"));
 * ```
 */
export function linkArtifactLegacyMutation(
  id: string,
  target: ProjectPath,
  portfolio: string,
  aliases: ReadonlyArray<string>,
): GraphqlRequest<{ readonly result: { readonly versionIndex: number | null } | null }> {
  return {
    ...linkArtifactMutation(id, target, portfolio, aliases),
    document: linkLegacyDocument,
    decoder: resultOf(Schema.Struct({ versionIndex: Schema.NullOr(Schema.Number) })),
  };
}

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
