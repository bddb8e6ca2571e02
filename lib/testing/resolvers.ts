/**
 * The local server's resolvers, composed from its resources: the root fields of each, and the
 * views of users, entities, projects and runs, each made of the fields every resource adds.
 * graphql-js calls the root fields with `(args, context)`.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import {
  type Fields,
  ForbiddenError,
  type RequestContext,
  type ResolverContext,
  type RootField,
  type ServerResource,
} from "./resource.ts";
import { serverResources } from "./resources.ts";

const resources = Object.values(serverResources) as ReadonlyArray<
  ServerResource<unknown, unknown>
>;

const merged = <A>(
  part: (
    resource: ServerResource<unknown, unknown>,
  ) => ((ctx: ResolverContext, a: A) => Fields) | undefined,
) => {
  const parts = resources.flatMap((r) => {
    const fields = part(r);
    return fields === undefined ? [] : [fields];
  });
  return (ctx: ResolverContext, a: A): Fields => {
    const view: Fields = {};
    for (const fields of parts) Object.assign(view, fields(ctx, a));
    return view;
  };
};

const hiders = resources.flatMap((r) => r.hidesProject === undefined ? [] : [r.hidesProject]);
const userFields = merged((r) => r.userFields);
const entityFields = merged((r) => r.entityFields);
const projectFields = merged((r) => r.projectFields);
const runFields = merged((r) => r.runFields);

/**
 * What the resolvers of one request see: the request, the views of the core types (each made
 * of every resource's fields), and the access checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore, resolverContext, serverProfile } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * const viewer = store.users.create({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * store.users.createEntity("u", false, ["u"]);
 * const storage = { signedUrl: (key: string) => key, uploadUrl: (key: string) => key };
 * const ctx = resolverContext({
 *   store, viewer, parquet: undefined, rawJson: (t) => [t], storage, baseUrl: "", profile: serverProfile(),
 * });
 * assert.ok(ctx.entityView("u")?.name === "u");
 * assert.ok(ctx.entityView("nobody") === null);
 * store.close();
 * ```
 */
export function resolverContext(request: RequestContext): ResolverContext {
  const ctx: ResolverContext = {
    ...request,
    userView: (user) => userFields(ctx, user),
    entityView: (name) =>
      request.store.users.entity(name) === undefined ? null : entityFields(ctx, name),
    projectView: (project) => projectFields(ctx, project),
    runView: (run) => runFields(ctx, run),
    canRead: (entity) => {
      const found = request.store.users.entity(entity);
      if (found === undefined) return false;
      if (!found.members.includes(request.viewer.username)) {
        throw new ForbiddenError(
          `permission denied: ${request.viewer.username} may not access ${entity}`,
        );
      }
      return true;
    },
    checkEntity: (entity) => {
      if (!ctx.canRead(entity)) throw new GraphQLError(`entity ${entity} does not exist`);
    },
    projectVisible: (project) => !hiders.some((hides) => hides(ctx, project)),
    forbid: (message) => {
      throw new ForbiddenError(message);
    },
  };
  return ctx;
}

/**
 * The root value: every `Query` and `Mutation` field the local server answers, from every
 * resource.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rootResolvers } from "@effect-wandb/api/testing";
 * assert.ok(typeof rootResolvers.viewer === "function");
 * ```
 */
export const rootResolvers: Readonly<Record<string, RootField>> = Object.assign(
  {
    // The release the server acts as: its features (the official client asks before using some
    // fields) and, for a W&B Server install, its version (SaaS answers null).
    serverInfo: (_args: Record<string, never>, ctx: ResolverContext) => ({
      features: [...ctx.profile.features].map((name) => ({ name, isEnabled: true })),
      latestLocalVersionInfo: ctx.profile.versionString === undefined ? null : {
        outOfDate: ctx.profile.version !== "latest",
        latestVersionString: ctx.profile.versionString,
        versionOnThisInstanceString: ctx.profile.versionString,
      },
    }),
  },
  ...resources.map((r) => r.rootFields ?? {}),
);
