/**
 * The teams resource of the local server: team members and their roles, account types,
 * service accounts, invites and API keys, and the seeded teams' admins.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { apiKeysView, memberViews, teamFields } from "./resolvers.ts";
import { teamsSdl } from "./sdl.ts";
import { TeamStore } from "./store.ts";

/**
 * The teams resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { teamsResource } from "@effect-wandb/api/testing";
 * assert.ok(teamsResource.rootFields?.createTeam !== undefined);
 * ```
 */
export const teamsResource: ServerResource<TeamStore> = {
  open: (db) => new TeamStore(db),
  sdl: teamsSdl,
  firstPartyFields: ["User.apiKeys"],
  rootFields: teamFields,
  userFields: (ctx, user) => ({
    accountType: ctx.store.teams.accountType(user.id),
    apiKeys: () => apiKeysView(ctx, user),
  }),
  entityFields: (ctx, name) => ({
    entityType: ctx.store.users.entity(name)?.isTeam === true ? "TEAM" : "USER",
    members: () => memberViews(ctx, name),
  }),
  load: (store, core) => {
    for (const e of core.entities) {
      for (const admin of e.admins ?? []) {
        store.teams.setRole(e.name, store.users.byName(admin)!.id, true);
      }
    }
  },
};
