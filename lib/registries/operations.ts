/**
 * Registries (Python's `api.registries()`, `api.registry()`, `api.create_registry()` and a
 * `Registry`'s `collections()`, `versions()`, members, `save()` and `delete()`): an
 * organization's curated collections of artifact versions. Listing and searching them needs a
 * W&B Server with `ARTIFACT_REGISTRY_SEARCH`, creating and changing them one with
 * `INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION`; an older server is an
 * `UnsupportedByServerError` naming the feature.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { requireFeature } from "../core/capabilities.ts";
import { InvalidArgumentError, NotFoundError, type RequestError } from "../core/errors.ts";
import { encodeFilters, type RunFilter } from "../core/filters.ts";
import { paginate } from "../core/pagination.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import type { WandbClient } from "../core/transport.ts";
import {
  type Artifact,
  type ArtifactCollection,
  toArtifact,
  toArtifactCollection,
} from "../artifacts/decoders.ts";
import { getOrganization } from "../organizations/operations.ts";
import {
  deleteRegistryMutation,
  registriesQuery,
  registryCollectionsQuery,
  registryMemberMutation,
  registryMembersQuery,
  type RegistryNodeData,
  registryPrefix,
  registryQuery,
  registryVersionsQuery,
  renameRegistryMutation,
  upsertRegistryMutation,
} from "./queries.ts";

/** Who sees a registry: the whole organization, or only its members. */
export type RegistryVisibility = "organization" | "restricted";

/** A registry (Python's `Registry`). */
export interface Registry {
  /** The node id of its project (what deleting and members' changes name). */
  readonly id: string;
  /** Its name, without the `wandb-registry-` prefix. */
  readonly name: string;
  /** Its project's name: `wandb-registry-<name>`. */
  readonly fullName: string;
  readonly organization: string;
  /** The org entity it belongs to. */
  readonly entity: string;
  readonly description: string | null;
  readonly visibility: RegistryVisibility;
  /** Whether it takes versions of every artifact type. */
  readonly allowAllArtifactTypes: boolean;
  /** The artifact types it takes (when not all). */
  readonly artifactTypes: ReadonlyArray<string>;
  readonly createdAt: string;
  readonly updatedAt: string | null;
}

/** A user or a team with a role in a registry. */
export type RegistryMember =
  | {
    readonly _tag: "UserMember";
    readonly id: string;
    readonly username: string | null;
    readonly name: string | null;
    readonly email: string | null;
    readonly role: string;
  }
  | {
    readonly _tag: "TeamMember";
    readonly id: string;
    readonly team: string;
    readonly role: string;
  };

/** A user or a team to add to, change in or remove from a registry (`api.user(…)`, `api.team(…)`). */
export type RegistryMemberRef =
  | { readonly user: { readonly id: string } }
  | { readonly team: { readonly id: string } };

/** A version in a registry's collection. */
export interface RegistryVersion {
  /** `<collection>:v<N>`, its version in the collection. */
  readonly name: string;
  readonly registry: string;
  readonly collection: string;
  /** Its aliases in the collection. */
  readonly aliases: ReadonlyArray<string>;
  /** The version itself, as logged. */
  readonly artifact: Artifact;
}

const visibilityOf = (access: string | null): RegistryVisibility =>
  access === "RESTRICTED" ? "restricted" : "organization";

const accessOf = (visibility: RegistryVisibility) =>
  visibility === "restricted" ? "RESTRICTED" : "PRIVATE";

const toRegistry = (organization: string, node: RegistryNodeData): Registry => ({
  id: node.id,
  name: node.name.startsWith(registryPrefix) ? node.name.slice(registryPrefix.length) : node.name,
  fullName: node.name,
  organization: node.entity.organization?.name ?? organization,
  entity: node.entity.name,
  description: node.description,
  visibility: visibilityOf(node.access),
  allowAllArtifactTypes: node.allowAllArtifactTypes ?? true,
  artifactTypes: node.artifactTypes.edges.map((e) => e.node.name),
  createdAt: node.createdAt,
  updatedAt: node.updatedAt,
});

const invalid = (argument: string, value: unknown, message: string) =>
  new InvalidArgumentError({ argument, value, message });

const registryName = /^[A-Za-z0-9_.-]{1,100}$/;

/** A registry filter (`{ name: … }`, `{ description: … }`) with names prefixed as W&B stores them. */
const prefixNames = (filter: RunFilter | undefined): RunFilter => {
  const prefix = (value: unknown): unknown =>
    typeof value === "string"
      ? value.startsWith(registryPrefix) ? value : `${registryPrefix}${value}`
      : Array.isArray(value)
      ? value.map(prefix)
      : typeof value === "object" && value !== null
      ? Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === "$regex" ? v : prefix(v)]),
      )
      : value;
  const own = { name: { $regex: `^${registryPrefix}` } };
  if (filter === undefined) return own;
  const named = Object.fromEntries(
    Object.entries(filter).map(([k, v]) => [k, k === "name" ? prefix(v) : v]),
  );
  return { $and: [own, named] };
};

const orgEntityOf = (client: WandbClient, organization: string) =>
  Effect.flatMap(
    getOrganization(client, organization),
    (org) =>
      org.orgEntity === null
        ? Effect.fail(
          new NotFoundError({
            operation: "FetchOrganization",
            resource: "organization",
            path: organization,
            message: `Organization ${organization} has no org entity`,
          }),
        )
        : Effect.succeed(org.orgEntity.name),
  );

const searchable = (client: WandbClient, operation: string, what: string) =>
  requireFeature(client.capabilities, "ARTIFACT_REGISTRY_SEARCH", operation, what);

const changeable = (client: WandbClient, operation: string, what: string) =>
  requireFeature(
    client.capabilities,
    "INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION",
    operation,
    what,
  );

/** Options of {@link listRegistries}. */
export interface RegistriesOptions {
  /** Mongo-style, over `name` (without the prefix) and `description`. */
  readonly filter?: RunFilter | undefined;
  /** `name`, `created_at` or `updated_at`, `-` first for descending. */
  readonly order?: string | undefined;
  /** @default {100} */
  readonly perPage?: number | undefined;
}

/**
 * An organization's registries the viewer may see (Python's `api.registries(org, filter, order)`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listRegistries } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const names = (client: WandbClient) =>
 *   listRegistries(client, "acme-corp", { filter: { name: { $regex: "model" } } }).pipe(
 *     Stream.map((r) => r.name),
 *     Stream.runCollect,
 *   );
 * ```
 */
export function listRegistries(
  client: WandbClient,
  organization: string,
  options?: RegistriesOptions,
): Stream.Stream<Registry, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = options?.perPage ?? 100;
  return checkedStream(
    positiveInteger("perPage", perPage),
    Stream.unwrap(
      Effect.gen(function* () {
        yield* searchable(client, "FetchRegistries", "Listing registries");
        const filters = yield* encodeFilters(prefixNames(options?.filter));
        return paginate({
          operation: "FetchRegistries",
          fetchPage: (cursor) =>
            client.execute(
              registriesQuery(organization, filters, options?.order ?? null, perPage, cursor),
            ).pipe(
              Effect.flatMap((data) => {
                const projects = data.organization?.orgEntity?.projects;
                if (data.organization === null) {
                  return Effect.fail(
                    new NotFoundError({
                      operation: "FetchRegistries",
                      resource: "organization",
                      path: organization,
                      message: `Organization ${organization} not found (or you are not in it)`,
                    }),
                  );
                }
                return Effect.succeed({
                  items: (projects?.edges ?? []).map((e) => toRegistry(organization, e.node)),
                  nextCursor: projects?.pageInfo.endCursor ?? null,
                  hasNextPage: projects?.pageInfo.hasNextPage ?? false,
                });
              }),
            ),
        });
      }),
    ),
  );
}

/**
 * A registry by name (Python's `api.registry(name, organization)`).
 *
 * @example
 * ```ts
 * import { getRegistry } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const models = (client: WandbClient) => getRegistry(client, "acme-corp", "model");
 * ```
 */
export function getRegistry(
  client: WandbClient,
  organization: string,
  name: string,
): Effect.Effect<Registry, RequestError | NotFoundError> {
  return Effect.gen(function* () {
    yield* searchable(client, "FetchRegistry", "Reading a registry");
    const entity = yield* orgEntityOf(client, organization);
    const full = name.startsWith(registryPrefix) ? name : `${registryPrefix}${name}`;
    const data = yield* client.execute(registryQuery(entity, full));
    const node = data.entity?.project ?? null;
    if (node === null) {
      return yield* Effect.fail(
        new NotFoundError({
          operation: "FetchRegistry",
          resource: "registry",
          path: `${organization}/${name}`,
          message: `Registry ${name} not found in ${organization} (or restricted to its members)`,
        }),
      );
    }
    return toRegistry(organization, node);
  });
}

/** What {@link createRegistry} creates. */
export interface NewRegistry {
  /** Its name, without the `wandb-registry-` prefix: unique in the organization. */
  readonly name: string;
  readonly visibility: RegistryVisibility;
  readonly description?: string | undefined;
  /** The artifact types it takes; all when absent. */
  readonly artifactTypes?: ReadonlyArray<string> | undefined;
}

/**
 * Creates a registry (Python's `api.create_registry(...)`); its creator is its admin.
 *
 * @example
 * ```ts
 * import { createRegistry } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const make = (client: WandbClient) =>
 *   createRegistry(client, "acme-corp", { name: "datasets", visibility: "restricted", artifactTypes: ["dataset"] });
 * ```
 */
export function createRegistry(
  client: WandbClient,
  organization: string,
  registry: NewRegistry,
): Effect.Effect<Registry, RequestError | NotFoundError | InvalidArgumentError> {
  return Effect.gen(function* () {
    if (!registryName.test(registry.name)) {
      return yield* Effect.fail(
        invalid("name", registry.name, "A registry name is letters, digits, '-', '_' or '.'"),
      );
    }
    yield* changeable(client, "UpsertRegistry", "Creating a registry");
    const entity = yield* orgEntityOf(client, organization);
    const types = registry.artifactTypes ?? [];
    const data = yield* client.execute(upsertRegistryMutation({
      entityName: entity,
      name: `${registryPrefix}${registry.name}`,
      description: registry.description ?? null,
      access: accessOf(registry.visibility),
      allowAllArtifactTypesInRegistry: types.length === 0,
      artifactTypes: types.length === 0 ? null : types.map((name) => ({ name })),
    }));
    const project = data.upsertModel?.project ?? null;
    if (project === null || data.upsertModel?.inserted !== true) {
      return yield* Effect.fail(
        invalid("name", registry.name, `A registry ${registry.name} exists in ${organization}`),
      );
    }
    return toRegistry(organization, project);
  });
}

/** What {@link saveRegistry} changes: each field given is the value wanted. */
export interface RegistryChanges {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly visibility?: RegistryVisibility | undefined;
  readonly allowAllArtifactTypes?: boolean | undefined;
  /** Types to take besides those it takes (types are never removed, as W&B keeps them). */
  readonly addArtifactTypes?: ReadonlyArray<string> | undefined;
}

/**
 * Saves changes to a registry (Python's `registry.save()` after setting its fields); returns it
 * as the server now holds it.
 *
 * @example
 * ```ts
 * import { type Registry, saveRegistry } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const describe = (client: WandbClient, r: Registry) => saveRegistry(client, r, { description: "Models" });
 * ```
 */
export function saveRegistry(
  client: WandbClient,
  registry: Registry,
  changes: RegistryChanges,
): Effect.Effect<Registry, RequestError | NotFoundError | InvalidArgumentError> {
  return Effect.gen(function* () {
    const allowAll = changes.allowAllArtifactTypes ?? registry.allowAllArtifactTypes;
    if ((changes.addArtifactTypes ?? []).length > 0 && allowAll) {
      return yield* Effect.fail(
        invalid(
          "addArtifactTypes",
          changes.addArtifactTypes,
          "A registry that takes every type takes no list of types: set allowAllArtifactTypes to false",
        ),
      );
    }
    if (changes.name !== undefined && !registryName.test(changes.name)) {
      return yield* Effect.fail(
        invalid("name", changes.name, "A registry name is letters, digits, '-', '_' or '.'"),
      );
    }
    yield* changeable(client, "UpsertRegistry", "Saving a registry");
    const saved = yield* client.execute(upsertRegistryMutation({
      entityName: registry.entity,
      name: registry.fullName,
      description: changes.description ?? registry.description,
      access: accessOf(changes.visibility ?? registry.visibility),
      allowAllArtifactTypesInRegistry: allowAll,
      artifactTypes: (changes.addArtifactTypes ?? []).length === 0
        ? null
        : changes.addArtifactTypes!.map((name) => ({ name })),
    }));
    let node = saved.upsertModel?.project ?? null;
    if (changes.name !== undefined && changes.name !== registry.name) {
      const renamed = yield* client.execute(
        renameRegistryMutation(
          registry.entity,
          registry.fullName,
          `${registryPrefix}${changes.name}`,
        ),
      );
      node = renamed.renameProject?.project ?? null;
    }
    if (node === null) {
      return yield* Effect.fail(
        new NotFoundError({
          operation: "UpsertRegistry",
          resource: "registry",
          path: `${registry.organization}/${registry.name}`,
          message: `Registry ${registry.name} not found`,
        }),
      );
    }
    return toRegistry(registry.organization, node);
  });
}

/**
 * Deletes a registry and what it holds (Python's `registry.delete()`).
 *
 * @example
 * ```ts
 * import { deleteRegistry, type Registry } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const drop = (client: WandbClient, r: Registry) => deleteRegistry(client, r);
 * ```
 */
export function deleteRegistry(
  client: WandbClient,
  registry: Registry,
): Effect.Effect<void, RequestError | NotFoundError> {
  return client.execute(deleteRegistryMutation(registry.id)).pipe(
    Effect.flatMap((data) =>
      data.deleteModel?.success === true ? Effect.void : Effect.fail(
        new NotFoundError({
          operation: "DeleteRegistry",
          resource: "registry",
          path: `${registry.organization}/${registry.name}`,
          message: `Registry ${registry.name} was not deleted`,
        }),
      )
    ),
  );
}

/** Options of {@link registryCollections} and {@link registryVersions}. */
export interface RegistrySearch {
  /** The registries searched: one by name, or a filter over them; every one when absent. */
  readonly registry?: string | RunFilter | undefined;
  /** Mongo-style, over a collection's `name` and `description`. */
  readonly collectionFilter?: RunFilter | undefined;
  /** Mongo-style, over a version's `alias` and `tag` (versions only). */
  readonly filter?: RunFilter | undefined;
  /** @default {100} */
  readonly perPage?: number | undefined;
}

const registryFilterOf = (registry: string | RunFilter | undefined) =>
  prefixNames(typeof registry === "string" ? { name: registry } : registry);

/**
 * The collections of an organization's registries (Python's `registry.collections()` and
 * `api.registries().collections()`).
 *
 * @example
 * ```ts
 * import { registryCollections } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const models = (client: WandbClient) => registryCollections(client, "acme-corp", { registry: "model" });
 * ```
 */
export function registryCollections(
  client: WandbClient,
  organization: string,
  search?: RegistrySearch,
): Stream.Stream<ArtifactCollection, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = search?.perPage ?? 100;
  return checkedStream(
    positiveInteger("perPage", perPage),
    Stream.unwrap(Effect.gen(function* () {
      yield* searchable(client, "RegistryCollections", "Searching registries' collections");
      const registryFilter = yield* encodeFilters(registryFilterOf(search?.registry));
      const collectionFilter = yield* encodeFilters(search?.collectionFilter);
      return paginate({
        operation: "RegistryCollections",
        fetchPage: (cursor) =>
          client.execute(
            registryCollectionsQuery(
              organization,
              registryFilter,
              collectionFilter,
              null,
              perPage,
              cursor,
            ),
          ).pipe(Effect.map((data) => {
            const found = data.organization?.orgEntity?.artifactCollections;
            return {
              items: (found?.edges ?? []).map((e) => toArtifactCollection(e.node)),
              nextCursor: found?.pageInfo.endCursor ?? null,
              hasNextPage: found?.pageInfo.hasNextPage ?? false,
            };
          })),
      });
    })),
  );
}

/**
 * The versions in an organization's registries' collections (Python's `registry.versions()`).
 *
 * @example
 * ```ts
 * import { registryVersions } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const production = (client: WandbClient) =>
 *   registryVersions(client, "acme-corp", { registry: "model", filter: { alias: "production" } });
 * ```
 */
export function registryVersions(
  client: WandbClient,
  organization: string,
  search?: RegistrySearch,
): Stream.Stream<RegistryVersion, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = search?.perPage ?? 100;
  return checkedStream(
    positiveInteger("perPage", perPage),
    Stream.unwrap(Effect.gen(function* () {
      yield* searchable(client, "RegistryVersions", "Searching registries' versions");
      const registryFilter = yield* encodeFilters(registryFilterOf(search?.registry));
      const collectionFilter = yield* encodeFilters(search?.collectionFilter);
      const artifactFilter = yield* encodeFilters(search?.filter);
      return paginate({
        operation: "RegistryVersions",
        fetchPage: (cursor) =>
          client.execute(
            registryVersionsQuery(
              organization,
              registryFilter,
              collectionFilter,
              artifactFilter,
              perPage,
              cursor,
            ),
          ).pipe(Effect.map((data) => {
            const found = data.organization?.orgEntity?.artifactMemberships;
            return {
              items: (found?.edges ?? []).flatMap(({ node }) =>
                node.artifact === null || node.artifactCollection === null ? [] : [{
                  name: `${node.artifactCollection.name}:v${node.versionIndex ?? 0}`,
                  registry: node.artifactCollection.project.name.slice(registryPrefix.length),
                  collection: node.artifactCollection.name,
                  aliases: node.aliases.map((a) => a.alias),
                  artifact: toArtifact(node.artifact),
                }]
              ),
              nextCursor: found?.pageInfo.endCursor ?? null,
              hasNextPage: found?.pageInfo.hasNextPage ?? false,
            };
          })),
      });
    })),
  );
}

/**
 * A registry's members (Python's `registry.user_members()` and `team_members()`), users first.
 *
 * @example
 * ```ts
 * import { type Registry, registryMembers } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const who = (client: WandbClient, r: Registry) => registryMembers(client, r);
 * ```
 */
export function registryMembers(
  client: WandbClient,
  registry: Registry,
): Effect.Effect<ReadonlyArray<RegistryMember>, RequestError | NotFoundError> {
  return client.execute(registryMembersQuery(registry.entity, registry.fullName)).pipe(
    Effect.flatMap((data) =>
      data.project === null
        ? Effect.fail(
          new NotFoundError({
            operation: "RegistryMembers",
            resource: "registry",
            path: `${registry.organization}/${registry.name}`,
            message: `Registry ${registry.name} not found`,
          }),
        )
        : Effect.succeed<ReadonlyArray<RegistryMember>>([
          ...data.project.members.map((m): RegistryMember => ({
            _tag: "UserMember",
            id: m.id,
            username: m.username,
            name: m.name,
            email: m.email,
            role: m.role?.name ?? "member",
          })),
          ...data.project.teamMembers.map((m): RegistryMember => ({
            _tag: "TeamMember",
            id: m.team.id,
            team: m.team.name,
            role: m.role?.name ?? "member",
          })),
        ])
    ),
  );
}

const idsOf = (members: ReadonlyArray<RegistryMemberRef>) => ({
  userIds: members.flatMap((m) => "user" in m ? [m.user.id] : []),
  teamIds: members.flatMap((m) => "team" in m ? [m.team.id] : []),
});

const succeeded =
  (operation: string, registry: Registry) =>
  (data: { readonly result: { readonly success: boolean | null } | null }) =>
    data.result?.success === true ? Effect.void : Effect.fail(
      new NotFoundError({
        operation,
        resource: "registry",
        path: `${registry.organization}/${registry.name}`,
        message: `Registry ${registry.name}: the change was not made`,
      }),
    );

/**
 * Adds users and teams to a registry as members (Python's `registry.add_members(...)`).
 *
 * @example
 * ```ts
 * import { addRegistryMembers, type Registry } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const invite = (client: WandbClient, r: Registry, user: { id: string }) =>
 *   addRegistryMembers(client, r, [{ user }]);
 * ```
 */
export function addRegistryMembers(
  client: WandbClient,
  registry: Registry,
  members: ReadonlyArray<RegistryMemberRef>,
): Effect.Effect<void, RequestError | NotFoundError> {
  return client.execute(
    registryMemberMutation("CreateRegistryMembers", { projectId: registry.id, ...idsOf(members) }),
  ).pipe(Effect.flatMap(succeeded("CreateRegistryMembers", registry)));
}

/**
 * Removes users and teams from a registry (Python's `registry.remove_members(...)`).
 *
 * @example
 * ```ts
 * import { type Registry, removeRegistryMembers } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const remove = (client: WandbClient, r: Registry, team: { id: string }) =>
 *   removeRegistryMembers(client, r, [{ team }]);
 * ```
 */
export function removeRegistryMembers(
  client: WandbClient,
  registry: Registry,
  members: ReadonlyArray<RegistryMemberRef>,
): Effect.Effect<void, RequestError | NotFoundError> {
  return client.execute(
    registryMemberMutation("DeleteRegistryMembers", { projectId: registry.id, ...idsOf(members) }),
  ).pipe(Effect.flatMap(succeeded("DeleteRegistryMembers", registry)));
}

/**
 * Changes a member's role in a registry (Python's `registry.update_member(member, role)`):
 * `admin`, `member`, `viewer`, `restricted_viewer`, or a custom role's name.
 *
 * @example
 * ```ts
 * import { type Registry, updateRegistryMember } from "@effect-wandb/api/registries";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const promote = (client: WandbClient, r: Registry, user: { id: string }) =>
 *   updateRegistryMember(client, r, { user }, "admin");
 * ```
 */
export function updateRegistryMember(
  client: WandbClient,
  registry: Registry,
  member: RegistryMemberRef,
  role: string,
): Effect.Effect<void, RequestError | NotFoundError | InvalidArgumentError> {
  if (!/^[a-z_]+$/.test(role)) {
    return Effect.fail(invalid("role", role, "A role is a lowercase word, e.g. 'admin', 'viewer'"));
  }
  return client.execute(
    "user" in member
      ? registryMemberMutation("UpdateUserRegistryRole", {
        projectId: registry.id,
        userId: member.user.id,
        userProjectRole: role,
      })
      : registryMemberMutation("UpdateTeamRegistryRole", {
        projectId: registry.id,
        teamId: member.team.id,
        teamProjectRole: role,
      }),
  ).pipe(Effect.flatMap(succeeded("UpdateRegistryRole", registry)));
}
