/**
 * Organizations on the local server: `organization(name)`, an entity's organization, a user's
 * organizations, and the seeded acme-corp.
 *
 * @module
 */
import { emptyPageInfo, type ResolverContext, type ServerResource } from "../resource.ts";
import { organizationsSdl } from "./sdl.ts";
import { type SeedOrganization, seedOrganizations } from "./seed.ts";
import { OrganizationStore, type StoredOrganization } from "./store.ts";

/** Whether the viewer belongs to an organization: a member of its org entity. */
const belongs = (ctx: ResolverContext, org: StoredOrganization) =>
  ctx.store.users.entity(org.orgEntity)?.members.includes(ctx.viewer.username) ?? false;

/** The GraphQL view of an organization. */
export function organizationView(
  ctx: ResolverContext,
  org: StoredOrganization,
): Record<string, unknown> {
  return {
    id: btoa(`Organization:${org.id}`),
    name: org.name,
    orgEntity: () => ctx.entityView(org.orgEntity),
    advancedRegistryFeatures: { advancedSearch: true },
  };
}

/**
 * The organizations resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { organizationsResource } from "@effect-wandb/api/testing";
 * assert.ok(organizationsResource.rootFields?.organization !== undefined);
 * ```
 */
export const organizationsResource: ServerResource<OrganizationStore, SeedOrganization> = {
  open: (db) => new OrganizationStore(db),
  sdl: organizationsSdl,
  rootFields: {
    // Someone outside the organization learns nothing of it, not even that it exists.
    organization: ({ name }: { name: string }, ctx) => {
      const org = ctx.store.organizations.byName(name);
      return org === undefined || !belongs(ctx, org) ? null : organizationView(ctx, org);
    },
  },
  // Fields given here win over the same fields of the resources listed before: an org entity
  // is of type "organization" (as wandb 0.30 reads it), and is none of its members' teams.
  entityFields: (ctx, entity) => ({
    ...(ctx.store.organizations.list().some((o) => o.orgEntity === entity)
      ? { entityType: "organization" }
      : {}),
    organization: () => {
      const org = ctx.store.organizations.ofTeam(entity);
      return org === undefined ? null : organizationView(ctx, org);
    },
    user: () => {
      const found = ctx.store.users.entity(entity);
      const user = found?.isTeam === false ? ctx.store.users.byName(entity) : undefined;
      return user === undefined ? null : ctx.userView(user);
    },
  }),
  userFields: (ctx, user) => ({
    teams: () => {
      const orgEntities = new Set(ctx.store.organizations.list().map((o) => o.orgEntity));
      return {
        edges: ctx.store.users.entitiesOf(user.username)
          .filter((e) => e.isTeam && !orgEntities.has(e.name))
          .map((e) => ({ node: ctx.entityView(e.name), cursor: null })),
        pageInfo: emptyPageInfo,
      };
    },
    organizations: () =>
      ctx.store.organizations.list()
        .filter((org) =>
          ctx.store.users.entity(org.orgEntity)?.members.includes(user.username) ?? false
        )
        .map((org) => organizationView(ctx, org)),
  }),
  seed: () => seedOrganizations,
  load: (store, _core, organizations) => {
    for (const org of organizations) {
      store.users.createEntity(org.orgEntity, true, org.members);
      for (const admin of org.admins) {
        store.teams.setRole(org.orgEntity, store.users.byName(admin)!.id, true);
      }
      store.organizations.create(org.name, org.orgEntity, org.teams);
    }
  },
};
