/**
 * Organizations: an organization and its org entity, where its registries live (Python's
 * `api.organization()`).
 *
 * Everything here is also reachable through the `Api` (its `OrganizationsApi` slice); import
 * this entry for the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { OrganizationsApi } from "@effect-wandb/api/organizations";
 * type Methods = keyof OrganizationsApi;
 * ```
 *
 * @module
 */
export { type OrganizationsApi, organizationsApi } from "./api.ts";
export {
  getOrganization,
  type Organization,
  organizationOfEntity,
  organizationQuery,
  type OrgInfo,
  type OrgInfoData,
  orgInfoQuery,
} from "./operations.ts";
