/**
 * Users and entities on the local server: the `viewer`, `user` and `entity` root fields, the
 * core fields of a `User` and an `Entity`, and the seeded users, teams and API keys.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { emptyPageInfo } from "../resource.ts";
import { usersSdl } from "./sdl.ts";
import { UserStore } from "./store.ts";

/**
 * The users resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { usersResource } from "@effect-wandb/api/testing";
 * assert.ok(usersResource.rootFields?.viewer !== undefined);
 * ```
 */
export const usersResource: ServerResource<UserStore> = {
  open: (db) => new UserStore(db),
  sdl: usersSdl,
  rootFields: {
    viewer: (_args: Record<string, never>, ctx) => ctx.userView(ctx.viewer),
    user: (args: { userName?: string | null }, ctx) => {
      const user = ctx.store.users.byName(args.userName ?? ctx.viewer.username);
      return user === undefined ? null : ctx.userView(user);
    },
    entity: (args: { name?: string | null }, ctx) =>
      ctx.entityView(args.name ?? ctx.viewer.username),
  },
  userFields: (ctx, user) => ({
    id: btoa(`User:${user.id}`),
    name: user.name,
    username: user.username,
    email: user.email,
    photoUrl: null,
    admin: user.admin,
    flags: "{}",
    entity: user.username,
    deletedAt: null,
    teams: () => ({
      edges: ctx.store.users.entitiesOf(user.username).filter((e) => e.isTeam).map((e) => ({
        node: ctx.entityView(e.name),
        cursor: null,
      })),
      pageInfo: emptyPageInfo,
    }),
  }),
  entityFields: (ctx, name) => {
    const entity = ctx.store.users.entity(name)!;
    return {
      id: btoa(`Entity:${name}`),
      name,
      available: false,
      photoUrl: null,
      readOnly: false,
      readOnlyAdmin: false,
      isTeam: entity.isTeam,
      privateOnly: false,
      storageBytes: 0,
      codeSavingEnabled: false,
      defaultAccess: "USER_READ",
      isPaid: false,
      limits: "{}",
    };
  },
  load: (store, core) => {
    for (const u of core.users) store.users.create(u, u.apiKey);
    for (const e of core.entities) store.users.createEntity(e.name, e.isTeam, e.members);
  },
};
