/**
 * The registry requests, shaped as wandb 0.30 sends them: a registry is a project of an
 * organization's org entity named `wandb-registry-<name>`; its collections are portfolios, its
 * versions their memberships; its members are users and teams with roles.
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
import {
  ArtifactCollectionNode,
  type ArtifactCollectionNodeData,
  ArtifactNode,
  type ArtifactNodeData,
} from "../artifacts/decoders.ts";
import { artifactFragments, type ConnectionData, connectionOf, doc } from "../artifacts/queries.ts";

/** W&B's prefix of a registry's project name. */
export const registryPrefix = "wandb-registry-";

const registryFragment: GraphqlDocument = fragment(`
  fragment RegistryFragment on Project {
    __typename id internalId name entity { name organization { name } }
    description createdAt updatedAt access
    allowAllArtifactTypes: allowAllArtifactTypesInRegistry
    artifactTypes(includeAll: true) { edges { node { name } } }
  }
`);

const registryDoc = (source: string) =>
  operationDocument(source, artifactFragments, registryFragment);

/** A registry's project, as `RegistryFragment` selects it. */
export interface RegistryNodeData {
  readonly id: string;
  readonly internalId: string | null;
  readonly name: string;
  readonly entity: {
    readonly name: string;
    readonly organization: { readonly name: string } | null;
  };
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly access: string | null;
  readonly allowAllArtifactTypes: boolean | null;
  readonly artifactTypes: {
    readonly edges: ReadonlyArray<{ readonly node: { readonly name: string } }>;
  };
}

/** Decodes `RegistryFragment`. */
export const RegistryNode: Schema.Decoder<RegistryNodeData> = Schema.Struct({
  id: Schema.String,
  internalId: Schema.NullOr(Schema.String),
  name: Schema.String,
  entity: Schema.Struct({
    name: Schema.String,
    organization: Schema.NullOr(Schema.Struct({ name: Schema.String })),
  }),
  description: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.NullOr(Schema.String),
  access: Schema.NullOr(Schema.String),
  allowAllArtifactTypes: Schema.NullOr(Schema.Boolean),
  artifactTypes: Schema.Struct({
    edges: Schema.Array(Schema.Struct({ node: Schema.Struct({ name: Schema.String }) })),
  }),
});

const registriesDocument = registryDoc(`
  query FetchRegistries($organization: String!, $filters: JSONString, $cursor: String,
                        $perPage: Int, $order: String) {
    organization(name: $organization) {
      orgEntity {
        projects(filters: $filters, after: $cursor, first: $perPage, order: $order) {
          pageInfo { ...PageInfoFragment } edges { node { ...RegistryFragment } }
        }
      }
    }
  }
`);

/** The decoded answer of `FetchRegistries`. */
export type RegistriesData = {
  readonly organization: {
    readonly orgEntity: { readonly projects: ConnectionData<RegistryNodeData> | null } | null;
  } | null;
};

/**
 * `FetchRegistries`: a page of an organization's registries matching `filters` (JSON).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registriesQuery } from "@effect-wandb/api/registries";
 * assert.ok(registriesQuery("acme-corp", "{}", null, 100, null).operation === "FetchRegistries");
 * ```
 */
export function registriesQuery(
  organization: string,
  filters: string,
  order: string | null,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<RegistriesData> {
  return {
    operation: "FetchRegistries",
    document: registriesDocument,
    variables: { organization, filters, order, perPage, cursor },
    decoder: Schema.Struct({
      organization: Schema.NullOr(Schema.Struct({
        orgEntity: Schema.NullOr(Schema.Struct({
          projects: Schema.NullOr(connectionOf(RegistryNode)),
        })),
      })),
    }),
  };
}

const registryDocument = registryDoc(`
  query FetchRegistry($name: String, $entity: String) {
    entity(name: $entity) { project(name: $name) { ...RegistryFragment } }
  }
`);

/**
 * `FetchRegistry`: a registry by its full name in an org entity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryQuery } from "@effect-wandb/api/registries";
 * assert.ok(registryQuery("acme-corp-org", "wandb-registry-model").variables.name === "wandb-registry-model");
 * ```
 */
export function registryQuery(
  orgEntity: string,
  fullName: string,
): GraphqlRequest<{ readonly entity: { readonly project: RegistryNodeData | null } | null }> {
  return {
    operation: "FetchRegistry",
    document: registryDocument,
    variables: { name: fullName, entity: orgEntity },
    decoder: Schema.Struct({
      entity: Schema.NullOr(Schema.Struct({ project: Schema.NullOr(RegistryNode) })),
    }),
  };
}

const upsertDocument = registryDoc(`
  mutation UpsertRegistry($input: UpsertModelInput!) {
    upsertModel(input: $input) { inserted project { ...RegistryFragment } }
  }
`);

/** What `UpsertRegistry` writes. */
export interface UpsertRegistryInput {
  readonly entityName: string;
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly access: string;
  readonly allowAllArtifactTypesInRegistry: boolean;
  readonly artifactTypes: ReadonlyArray<{ readonly name: string }> | null;
}

/**
 * `UpsertRegistry`: creates a registry, or changes one (its description, visibility, types).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { upsertRegistryMutation } from "@effect-wandb/api/registries";
 * const r = upsertRegistryMutation({
 *   entityName: "acme-corp-org", name: "wandb-registry-x", access: "PRIVATE",
 *   allowAllArtifactTypesInRegistry: true, artifactTypes: null,
 * });
 * assert.ok(r.operation === "UpsertRegistry");
 * ```
 */
export function upsertRegistryMutation(
  input: UpsertRegistryInput,
): GraphqlRequest<
  {
    readonly upsertModel: {
      readonly inserted: boolean | null;
      readonly project: RegistryNodeData | null;
    } | null;
  }
> {
  return {
    operation: "UpsertRegistry",
    document: upsertDocument,
    variables: { input },
    decoder: Schema.Struct({
      upsertModel: Schema.NullOr(Schema.Struct({
        inserted: Schema.NullOr(Schema.Boolean),
        project: Schema.NullOr(RegistryNode),
      })),
    }),
  };
}

const renameDocument = registryDoc(`
  mutation RenameRegistry($input: RenameProjectInput!) {
    renameProject(input: $input) { inserted project { ...RegistryFragment } }
  }
`);

/**
 * `RenameRegistry`: renames a registry's project.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renameRegistryMutation } from "@effect-wandb/api/registries";
 * assert.ok(renameRegistryMutation("acme-corp-org", "wandb-registry-a", "wandb-registry-b").operation === "RenameRegistry");
 * ```
 */
export function renameRegistryMutation(
  orgEntity: string,
  from: string,
  to: string,
): GraphqlRequest<
  { readonly renameProject: { readonly project: RegistryNodeData | null } | null }
> {
  return {
    operation: "RenameRegistry",
    document: renameDocument,
    variables: { input: { entityName: orgEntity, oldProjectName: from, newProjectName: to } },
    decoder: Schema.Struct({
      renameProject: Schema.NullOr(Schema.Struct({ project: Schema.NullOr(RegistryNode) })),
    }),
  };
}

const success = Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) }));

const deleteDocument = doc(`
  mutation DeleteRegistry($id: String!) { deleteModel(input: {id: $id}) { success } }
`);

/**
 * `DeleteRegistry`: deletes a registry and what it holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteRegistryMutation } from "@effect-wandb/api/registries";
 * assert.ok(deleteRegistryMutation("UHJvamVjdA==").operation === "DeleteRegistry");
 * ```
 */
export function deleteRegistryMutation(
  id: string,
): GraphqlRequest<{ readonly deleteModel: { readonly success: boolean | null } | null }> {
  return {
    operation: "DeleteRegistry",
    document: deleteDocument,
    variables: { id },
    decoder: Schema.Struct({ deleteModel: success }),
  };
}

const collectionsDocument = doc(`
  query RegistryCollections($organization: String!, $registryFilter: JSONString,
                            $collectionFilter: JSONString,
                            $collectionTypes: [ArtifactCollectionType!] = [PORTFOLIO],
                            $cursor: String, $perPage: Int, $order: String) {
    organization(name: $organization) {
      orgEntity {
        name
        artifactCollections(projectFilters: $registryFilter, filters: $collectionFilter,
                            collectionTypes: $collectionTypes, after: $cursor, first: $perPage,
                            order: $order) {
          pageInfo { ...PageInfoFragment } edges { node { ...ArtifactCollectionFragment } }
        }
      }
    }
  }
`);

/** The decoded answer of `RegistryCollections`. */
export type RegistryCollectionsData = {
  readonly organization: {
    readonly orgEntity: {
      readonly artifactCollections: ConnectionData<ArtifactCollectionNodeData> | null;
    } | null;
  } | null;
};

/**
 * `RegistryCollections`: a page of the collections of an organization's registries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryCollectionsQuery } from "@effect-wandb/api/registries";
 * const r = registryCollectionsQuery("acme-corp", "{}", "{}", null, 100, null);
 * assert.ok(r.operation === "RegistryCollections");
 * ```
 */
export function registryCollectionsQuery(
  organization: string,
  registryFilter: string,
  collectionFilter: string,
  order: string | null,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<RegistryCollectionsData> {
  return {
    operation: "RegistryCollections",
    document: collectionsDocument,
    variables: { organization, registryFilter, collectionFilter, order, perPage, cursor },
    decoder: Schema.Struct({
      organization: Schema.NullOr(Schema.Struct({
        orgEntity: Schema.NullOr(Schema.Struct({
          artifactCollections: Schema.NullOr(connectionOf(ArtifactCollectionNode)),
        })),
      })),
    }),
  };
}

const versionsDocument = doc(`
  query RegistryVersions($organization: String!, $registryFilter: JSONString,
                         $collectionFilter: JSONString, $artifactFilter: JSONString,
                         $cursor: String, $perPage: Int, $includeAliases: Boolean = true) {
    organization(name: $organization) {
      orgEntity {
        name
        artifactMemberships(projectFilters: $registryFilter, collectionFilters: $collectionFilter,
                            filters: $artifactFilter, after: $cursor, first: $perPage) {
          pageInfo { ...PageInfoFragment }
          edges {
            node {
              __typename id versionIndex aliases { ...ArtifactAliasFragment }
              artifactCollection { ...CollectionInfoFragment } artifact { ...ArtifactFragment }
            }
          }
        }
      }
    }
  }
`);

/** A version in a registry's collection, as `RegistryVersions` selects it. */
export interface RegistryMembershipData {
  readonly versionIndex: number | null;
  readonly aliases: ReadonlyArray<{ readonly alias: string }>;
  readonly artifactCollection: {
    readonly name: string;
    readonly project: { readonly name: string; readonly entity: { readonly name: string } };
  } | null;
  readonly artifact: ArtifactNodeData | null;
}

/** The decoded answer of `RegistryVersions`. */
export type RegistryVersionsData = {
  readonly organization: {
    readonly orgEntity: {
      readonly artifactMemberships: ConnectionData<RegistryMembershipData> | null;
    } | null;
  } | null;
};

/**
 * `RegistryVersions`: a page of the versions in an organization's registries' collections.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryVersionsQuery } from "@effect-wandb/api/registries";
 * const r = registryVersionsQuery("acme-corp", "{}", "{}", "{}", 100, null);
 * assert.ok(r.operation === "RegistryVersions");
 * ```
 */
export function registryVersionsQuery(
  organization: string,
  registryFilter: string,
  collectionFilter: string,
  artifactFilter: string,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<RegistryVersionsData> {
  return {
    operation: "RegistryVersions",
    document: versionsDocument,
    variables: { organization, registryFilter, collectionFilter, artifactFilter, perPage, cursor },
    decoder: Schema.Struct({
      organization: Schema.NullOr(Schema.Struct({
        orgEntity: Schema.NullOr(Schema.Struct({
          artifactMemberships: Schema.NullOr(connectionOf(Schema.Struct({
            versionIndex: Schema.NullOr(Schema.Number),
            aliases: Schema.Array(Schema.Struct({ alias: Schema.String })),
            artifactCollection: Schema.NullOr(Schema.Struct({
              name: Schema.String,
              project: Schema.Struct({
                name: Schema.String,
                entity: Schema.Struct({ name: Schema.String }),
              }),
            })),
            artifact: Schema.NullOr(ArtifactNode),
          }))),
        })),
      })),
    }),
  };
}

const membersDocument = doc(`
  query RegistryMembers($project: String!, $entity: String!) {
    project(name: $project, entityName: $entity) {
      members { id name username email role { name } }
      teamMembers { team { id name } role { name } }
    }
  }
`);

/** The decoded answer of `RegistryMembers`. */
export type RegistryMembersData = {
  readonly project: {
    readonly members: ReadonlyArray<{
      readonly id: string;
      readonly name: string | null;
      readonly username: string | null;
      readonly email: string | null;
      readonly role: { readonly name: string } | null;
    }>;
    readonly teamMembers: ReadonlyArray<{
      readonly team: { readonly id: string; readonly name: string };
      readonly role: { readonly name: string } | null;
    }>;
  } | null;
};

/**
 * `RegistryMembers`: a registry's users and teams with their roles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryMembersQuery } from "@effect-wandb/api/registries";
 * assert.ok(registryMembersQuery("acme-corp-org", "wandb-registry-model").operation === "RegistryMembers");
 * ```
 */
export function registryMembersQuery(
  orgEntity: string,
  fullName: string,
): GraphqlRequest<RegistryMembersData> {
  const role = Schema.NullOr(Schema.Struct({ name: Schema.String }));
  return {
    operation: "RegistryMembers",
    document: membersDocument,
    variables: { project: fullName, entity: orgEntity },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        members: Schema.Array(Schema.Struct({
          id: Schema.String,
          name: Schema.NullOr(Schema.String),
          username: Schema.NullOr(Schema.String),
          email: Schema.NullOr(Schema.String),
          role,
        })),
        teamMembers: Schema.Array(Schema.Struct({
          team: Schema.Struct({ id: Schema.String, name: Schema.String }),
          role,
        })),
      })),
    }),
  };
}

const memberMutation = (name: string, field: string, input: string) =>
  doc(`mutation ${name}($input: ${input}!) { result: ${field}(input: $input) { success } }`);

/** The registry members' mutations, by the official client's names. */
export type RegistryMemberOperation =
  | "CreateRegistryMembers"
  | "DeleteRegistryMembers"
  | "UpdateUserRegistryRole"
  | "UpdateTeamRegistryRole";

const memberDocuments: Readonly<Record<RegistryMemberOperation, GraphqlDocument>> = {
  CreateRegistryMembers: memberMutation(
    "CreateRegistryMembers",
    "createProjectMembers",
    "CreateProjectMembersInput",
  ),
  DeleteRegistryMembers: memberMutation(
    "DeleteRegistryMembers",
    "deleteProjectMembers",
    "DeleteProjectMembersInput",
  ),
  UpdateUserRegistryRole: memberMutation(
    "UpdateUserRegistryRole",
    "updateProjectMember",
    "UpdateProjectMemberInput",
  ),
  UpdateTeamRegistryRole: memberMutation(
    "UpdateTeamRegistryRole",
    "updateProjectTeamMember",
    "UpdateProjectTeamMemberInput",
  ),
};

/**
 * One of the registry members' mutations, as the official client names them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registryMemberMutation } from "@effect-wandb/api/registries";
 * const r = registryMemberMutation("CreateRegistryMembers", { projectId: "p", userIds: ["u"] });
 * assert.ok(r.operation === "CreateRegistryMembers");
 * ```
 */
export function registryMemberMutation(
  operation: RegistryMemberOperation,
  input: Readonly<Record<string, unknown>>,
): GraphqlRequest<{ readonly result: { readonly success: boolean | null } | null }> {
  return {
    operation,
    document: memberDocuments[operation],
    variables: { input },
    decoder: Schema.Struct({ result: success }),
  };
}
