/**
 * Registries: an organization's curated collections of artifact versions, with members and
 * roles (Python's `api.registries()`, `api.registry()`, `api.create_registry()` and a
 * `Registry`'s methods). Searching needs a W&B Server with `ARTIFACT_REGISTRY_SEARCH`; an older
 * one answers an `UnsupportedByServerError` naming it.
 *
 * Everything here is also reachable through the `Api` (its `RegistriesApi` slice); import this
 * entry for the functions over a `WandbClient`, the types, and the query builders.
 *
 * @example The production models of an organization's model registry
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { Api } from "@effect-wandb/api";
 * const production = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.registryVersions({ registry: "model", filter: { alias: "production" } }).pipe(
 *     Stream.map((v) => v.name),
 *     Stream.runCollect,
 *   );
 * });
 * ```
 *
 * @module
 */
export { type RegistriesApi, registriesApi } from "./api.ts";
export {
  addRegistryMembers,
  createRegistry,
  deleteRegistry,
  getRegistry,
  listRegistries,
  type NewRegistry,
  type RegistriesOptions,
  type Registry,
  type RegistryChanges,
  registryCollections,
  type RegistryMember,
  type RegistryMemberRef,
  registryMembers,
  type RegistrySearch,
  type RegistryVersion,
  registryVersions,
  type RegistryVisibility,
  removeRegistryMembers,
  saveRegistry,
  updateRegistryMember,
} from "./operations.ts";
export {
  deleteRegistryMutation,
  type RegistriesData,
  registriesQuery,
  type RegistryCollectionsData,
  registryCollectionsQuery,
  registryMemberMutation,
  type RegistryMemberOperation,
  type RegistryMembersData,
  type RegistryMembershipData,
  registryMembersQuery,
  RegistryNode,
  type RegistryNodeData,
  registryPrefix,
  registryQuery,
  type RegistryVersionsData,
  registryVersionsQuery,
  renameRegistryMutation,
  type UpsertRegistryInput,
  upsertRegistryMutation,
} from "./queries.ts";
