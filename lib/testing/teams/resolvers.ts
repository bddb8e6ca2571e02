/**
 * The local server's team and user fields and mutations, with W&B's rules: team changes
 * (invites, removals, service accounts) need a team admin or a site admin; creating users and
 * searching users need a site admin (a 403 otherwise); API keys are listed and deleted by their
 * owner only, and a key is shown in full only in the answer that generates it.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { GraphQLError } from "graphql";
import type { EmulatorStore } from "../store.ts";
import type { StoredUser } from "../users/store.ts";
import type { ResolverContext } from "../resource.ts";

/** A team's members as `Entity.members` lists them, with their role and account type. */
export function memberViews(ctx: ResolverContext, entity: string): Array<Record<string, unknown>> {
  const found = ctx.store.users.entity(entity);
  return (found?.members ?? []).map((username) => {
    const user = ctx.store.users.byName(username)!;
    return {
      id: btoa(`User:${user.id}`),
      admin: ctx.store.teams.isTeamAdmin(entity, user.id),
      role: ctx.store.teams.isTeamAdmin(entity, user.id) ? "admin" : "member",
      pending: false,
      email: user.email,
      username: user.username,
      name: user.name,
      photoUrl: null,
      accountType: ctx.store.teams.accountType(user.id),
      apiKey: null,
    };
  });
}

/** A user's API keys as `User.apiKeys` lists them: to the owner only, never the key itself. */
export function apiKeysView(ctx: ResolverContext, user: StoredUser): Record<string, unknown> {
  const keys = user.id === ctx.viewer.id ? ctx.store.teams.apiKeys(user.id) : [];
  return {
    edges: keys.map((k) => ({
      node: { id: String(k.id), name: `${k.key.slice(0, 4)}…`, description: k.description },
      cursor: String(k.id),
    })),
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

const userIdOf = (id: string | null | undefined): number | undefined => {
  try {
    const [kind, value] = atob(id ?? "").split(":");
    return kind === "User" && /^\d+$/.test(value ?? "") ? Number(value) : undefined;
  } catch {
    return undefined;
  }
};

function requireTeamAdmin(ctx: ResolverContext, entity: string): void {
  if (ctx.store.users.entity(entity) === undefined) {
    throw new GraphQLError(`team ${entity} does not exist`);
  }
  if (!ctx.viewer.admin && !ctx.store.teams.isTeamAdmin(entity, ctx.viewer.id)) {
    ctx.forbid(`permission denied: ${ctx.viewer.username} is not an admin of ${entity}`);
  }
}

const userByNameOrEmail = (store: EmulatorStore, who: string) =>
  store.users.list().find((u) => u.username === who || u.email === who);

/** The root fields about teams and users. */
export const teamFields = {
  users: ({ query }: { query?: string | null }, ctx: ResolverContext) => {
    if (!ctx.viewer.admin) ctx.forbid("permission denied: only admins can search users");
    const q = (query ?? "").toLowerCase();
    const found = ctx.store.users.list().filter((u) =>
      q === "" || u.username.toLowerCase().includes(q) || u.email.toLowerCase().includes(q)
    );
    return {
      edges: found.map((u) => ({ node: ctx.userView(u), cursor: btoa(`User:${u.id}`) })),
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  },
  createTeam: (
    { input }: { input: { teamName: string; teamAdminUserName?: string | null } },
    ctx: ResolverContext,
  ) => {
    if (!/^[-\w]+$/.test(input.teamName)) {
      throw new GraphQLError(`invalid team name ${input.teamName}`);
    }
    if (ctx.store.users.entity(input.teamName) !== undefined) {
      throw new GraphQLError(`entity ${input.teamName} exists`);
    }
    const admin = input.teamAdminUserName ?? ctx.viewer.username;
    const user = ctx.store.users.byName(admin);
    if (user === undefined) throw new GraphQLError(`user ${admin} does not exist`);
    if (admin !== ctx.viewer.username && !ctx.viewer.admin) {
      ctx.forbid("permission denied: only admins can create a team for another user");
    }
    ctx.store.users.createEntity(input.teamName, true, [admin]);
    ctx.store.teams.setRole(input.teamName, user.id, true);
    return { entity: ctx.entityView(input.teamName) };
  },
  createUser: (
    { input }: { input: { email: string; admin?: boolean | null } },
    ctx: ResolverContext,
  ) => {
    if (!ctx.viewer.admin) ctx.forbid("permission denied: only admins can create users");
    if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) {
      throw new GraphQLError(`invalid email ${input.email}`);
    }
    if (ctx.store.users.list().some((u) => u.email === input.email)) {
      throw new GraphQLError(`a user with email ${input.email} exists`);
    }
    const username = input.email.split("@")[0]!.replace(/[^\w-]/g, "-");
    const user = ctx.store.users.create(
      { username, name: username, email: input.email, admin: input.admin === true },
      randomBytes(20).toString("hex"),
    );
    ctx.store.users.createEntity(username, false, [username]);
    return { user: ctx.userView(user) };
  },
  createInvite: (
    { input }: {
      input: {
        entityName: string;
        email?: string | null;
        username?: string | null;
        admin?: boolean | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    requireTeamAdmin(ctx, input.entityName);
    const who = input.username ?? input.email ?? "";
    const user = userByNameOrEmail(ctx.store, who);
    if (user === undefined) throw new GraphQLError(`user ${who} does not exist`);
    if (!ctx.store.teams.addMember(input.entityName, user.id, input.admin === true)) {
      throw new GraphQLError(`${who} is already a member of ${input.entityName}`);
    }
    return {
      invite: {
        id: btoa(`Invite:${input.entityName}:${user.id}`),
        name: user.username,
        email: user.email,
        createdAt: new Date().toISOString(),
        toUser: ctx.userView(user),
      },
    };
  },
  deleteInvite: (
    { input }: { input: { id?: string | null; entityName?: string | null } },
    ctx: ResolverContext,
  ) => {
    const entity = input.entityName ?? "";
    requireTeamAdmin(ctx, entity);
    const userId = userIdOf(input.id);
    if (userId === undefined || !ctx.store.teams.removeMember(entity, userId)) {
      throw new GraphQLError(`no member ${input.id} in ${entity}`);
    }
    return { success: true };
  },
  createServiceAccount: (
    { input }: { input: { entityName: string; description: string } },
    ctx: ResolverContext,
  ) => {
    requireTeamAdmin(ctx, input.entityName);
    const n =
      ctx.store.users.list().filter((u) => u.username.startsWith(`${input.entityName}-sa`)).length;
    const username = `${input.entityName}-sa${n + 1}`;
    const user = ctx.store.users.create(
      { username, name: input.description, email: `${username}@service.local`, admin: false },
      randomBytes(20).toString("hex"),
    );
    ctx.store.teams.setAccountType(user.id, "SERVICE");
    ctx.store.teams.addMember(input.entityName, user.id, false);
    return { user: ctx.userView(user) };
  },
  generateApiKey: (
    { input }: { input: { description?: string | null } },
    ctx: ResolverContext,
  ) => {
    const key = ctx.store.teams.generateApiKey(ctx.viewer.id, input.description ?? null);
    // The one answer that carries the key itself, as W&B's does.
    return { apiKey: { id: String(key.id), name: key.key, description: key.description } };
  },
  deleteApiKey: ({ input }: { input: { id: string } }, ctx: ResolverContext) => {
    const id = Number(input.id);
    if (!Number.isInteger(id) || !ctx.store.teams.deleteApiKey(ctx.viewer.id, id)) {
      throw new GraphQLError(`no API key ${input.id} of ${ctx.viewer.username}`);
    }
    return { success: true };
  },
};
