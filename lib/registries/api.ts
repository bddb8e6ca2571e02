/**
 * The registries' slice of the `Api`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { ArtifactCollection } from "../artifacts/decoders.ts";
import type {
  NewRegistry,
  RegistriesOptions,
  Registry,
  RegistryChanges,
  RegistryMember,
  RegistryMemberRef,
  RegistrySearch,
  RegistryVersion,
} from "./operations.ts";

/** The registries' methods of the `Api`. */
export interface RegistriesApi {
  /**
   * An organization's registries the viewer may see (Python's `api.registries(organization,
   * filter)`); without an organization, the default entity's.
   */
  registries(
    options?: RegistriesOptions & { readonly organization?: string | undefined },
  ): Stream.Stream<Registry, WandbError>;
  /** A registry by name, without its `wandb-registry-` prefix (Python's `api.registry(name, organization)`). */
  registry(name: string, organization?: string): Effect.Effect<Registry, WandbError>;
  /** Creates a registry (Python's `api.create_registry(...)`). */
  createRegistry(
    registry: NewRegistry,
    organization?: string,
  ): Effect.Effect<Registry, WandbError>;
  /** Saves changes to a registry (Python's `registry.save()`), returning it as now held. */
  saveRegistry(registry: Registry, changes: RegistryChanges): Effect.Effect<Registry, WandbError>;
  /** Deletes a registry (Python's `registry.delete()`). */
  deleteRegistry(registry: Registry): Effect.Effect<void, WandbError>;
  /** Collections in the organization's registries (Python's `registry.collections()`). */
  registryCollections(
    search?: RegistrySearch & { readonly organization?: string | undefined },
  ): Stream.Stream<ArtifactCollection, WandbError>;
  /** Versions in the organization's registries (Python's `registry.versions()`). */
  registryVersions(
    search?: RegistrySearch & { readonly organization?: string | undefined },
  ): Stream.Stream<RegistryVersion, WandbError>;
  /** A registry's users and teams with their roles (Python's `user_members()`, `team_members()`). */
  registryMembers(registry: Registry): Effect.Effect<ReadonlyArray<RegistryMember>, WandbError>;
  /** Adds users and teams to a registry (Python's `registry.add_members(...)`). */
  addRegistryMembers(
    registry: Registry,
    members: ReadonlyArray<RegistryMemberRef>,
  ): Effect.Effect<void, WandbError>;
  /** Removes users and teams from a registry (Python's `registry.remove_members(...)`). */
  removeRegistryMembers(
    registry: Registry,
    members: ReadonlyArray<RegistryMemberRef>,
  ): Effect.Effect<void, WandbError>;
  /** Changes a member's role (Python's `registry.update_member(member, role)`). */
  updateRegistryMember(
    registry: Registry,
    member: RegistryMemberRef,
    role: string,
  ): Effect.Effect<void, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));
const organizations = loadOnce(() => import("../organizations/operations.ts"));

/** Builds the registries' slice. */
export function registriesApi(context: ApiContext): RegistriesApi {
  const { client, paths } = context;
  // Without a named organization, the default entity's, as the official client resolves it.
  const organizationOf = (organization: string | undefined) =>
    organization !== undefined ? Effect.succeed(organization) : Effect.flatMap(
      Effect.zip(paths.entity(), organizations),
      ([entity, m]) => m.organizationOfEntity(client, entity),
    );
  const withOrganization = <A, E>(
    organization: string | undefined,
    f: (m: typeof import("./operations.ts"), organization: string) => Effect.Effect<A, E>,
  ) =>
    Effect.flatMap(
      Effect.zip(organizationOf(organization), operations),
      ([found, m]) => f(m, found),
    );
  const streamIn = <A, E>(
    organization: string | undefined,
    f: (m: typeof import("./operations.ts"), organization: string) => Stream.Stream<A, E>,
  ) =>
    Stream.unwrap(
      Effect.map(Effect.zip(organizationOf(organization), operations), ([found, m]) => f(m, found)),
    );
  const on = <A, E>(f: (m: typeof import("./operations.ts")) => Effect.Effect<A, E>) =>
    Effect.flatMap(operations, f);
  return {
    registries: (options) =>
      streamIn(options?.organization, (m, org) => m.listRegistries(client, org, options)),
    registry: (name, organization) =>
      withOrganization(organization, (m, org) => m.getRegistry(client, org, name)),
    createRegistry: (registry, organization) =>
      withOrganization(organization, (m, org) => m.createRegistry(client, org, registry)),
    saveRegistry: (registry, changes) => on((m) => m.saveRegistry(client, registry, changes)),
    deleteRegistry: (registry) => on((m) => m.deleteRegistry(client, registry)),
    registryCollections: (search) =>
      streamIn(search?.organization, (m, org) => m.registryCollections(client, org, search)),
    registryVersions: (search) =>
      streamIn(search?.organization, (m, org) => m.registryVersions(client, org, search)),
    registryMembers: (registry) => on((m) => m.registryMembers(client, registry)),
    addRegistryMembers: (registry, members) =>
      on((m) => m.addRegistryMembers(client, registry, members)),
    removeRegistryMembers: (registry, members) =>
      on((m) => m.removeRegistryMembers(client, registry, members)),
    updateRegistryMember: (registry, member, role) =>
      on((m) => m.updateRegistryMember(client, registry, member, role)),
  };
}
