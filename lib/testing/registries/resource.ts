/**
 * Registries on the local server: an organization's registries (projects of its org entity named
 * `wandb-registry-<name>`) with their visibility, artifact types and members; their collections
 * and versions searched across the organization; creation, changes, renaming and deletion; and
 * the seeded registries of acme-corp (a model registry visible to the organization, a restricted
 * one only its members see).
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { documentFilter } from "../mongo.ts";
import type { Fields, PageArgs, ResolverContext, ServerResource } from "../resource.ts";
import { offsetPage } from "../pages.ts";
import type { StoredProject } from "../projects/store.ts";
import type { StoredCollection } from "../artifacts/store.ts";
import { collectionView, idOf, membershipView, typeView } from "../artifacts/resolvers.ts";
import { registriesSdl } from "./sdl.ts";
import { seedRegistries, type SeedRegistry } from "./seed.ts";
import { registryPrefix, RegistryStore, type StoredRegistryMember } from "./store.ts";

/** Whether the viewer administers a registry: its admin, or an admin of its org entity. */
function administers(ctx: ResolverContext, project: StoredProject): boolean {
  if (ctx.store.teams.isTeamAdmin(project.entity, ctx.viewer.id)) return true;
  return ctx.store.registries.members(project.internalId).some((m) =>
    m.kind === "user" && m.userId === ctx.viewer.id && m.role === "admin"
  );
}

/** Whether the viewer is a member of a registry, as a user or through a team. */
function memberOf(ctx: ResolverContext, project: StoredProject): boolean {
  return ctx.store.registries.members(project.internalId).some((m) =>
    m.kind === "user"
      ? m.userId === ctx.viewer.id
      : ctx.store.users.entity(m.entity)?.members.includes(ctx.viewer.username) === true
  );
}

/** The registries (org entity projects that are registries) the viewer may see. */
function visibleRegistries(ctx: ResolverContext, entity: string, projectFilters?: string | null) {
  const keep = documentFilter("registry", projectFilters);
  return ctx.store.projects.list(entity).filter((p) =>
    ctx.store.registries.get(p.internalId) !== undefined && ctx.projectVisible(p) &&
    keep({ name: p.name, description: p.description, createdAt: p.createdAt })
  );
}

/** The portfolios of a registry project, in creation order. */
function portfolios(ctx: ResolverContext, project: StoredProject): Array<StoredCollection> {
  return ctx.store.artifacts.types(project.internalId)
    .flatMap((t) => ctx.store.artifacts.collections(t.id))
    .filter((c) => c.kind === "portfolio" && !c.deleted)
    .sort((a, b) => a.id - b.id);
}

const sorted = <A>(items: Array<A>, order: string | null | undefined, key: (a: A) => string) => {
  const field = (order ?? "").replace(/^[+-]/, "");
  if (field === "") return items;
  const sign = order!.startsWith("-") ? -1 : 1;
  return items.sort((a, b) => (key(a) < key(b) ? -sign : key(a) > key(b) ? sign : 0));
};

const projectOfId = (ctx: ResolverContext, id: string): StoredProject => {
  let decoded = "";
  try {
    decoded = atob(id);
  } catch {
    // Not base64: not a project id.
  }
  const [kind, , name, entity] = decoded.split(":");
  const project = kind === "Project" && name !== undefined && entity !== undefined
    ? ctx.store.projects.get(entity, name)
    : undefined;
  if (project === undefined || ctx.store.registries.get(project.internalId) === undefined) {
    throw new GraphQLError(`registry ${id} does not exist`);
  }
  if (!ctx.projectVisible(project)) ctx.forbid("permission denied: a restricted registry");
  return project;
};

const requireAdmin = (ctx: ResolverContext, project: StoredProject) => {
  if (!administers(ctx, project)) {
    ctx.forbid(`permission denied: ${ctx.viewer.username} does not administer ${project.name}`);
  }
};

const memberUpdate = (
  input: {
    projectId: string;
    userIds?: ReadonlyArray<string> | null;
    teamIds?: ReadonlyArray<string> | null;
  },
  ctx: ResolverContext,
  change: (project: StoredProject, member: StoredRegistryMember) => void,
) => {
  const project = projectOfId(ctx, input.projectId);
  requireAdmin(ctx, project);
  for (const id of input.userIds ?? []) {
    const userId = idOf(id, "User");
    if (userId === undefined) throw new GraphQLError(`user ${id} does not exist`);
    change(project, { kind: "user", userId, role: "member" });
  }
  for (const id of input.teamIds ?? []) {
    const entity = atob(id).replace(/^Entity:/, "");
    if (ctx.store.users.entity(entity) === undefined) {
      throw new GraphQLError(`team ${id} does not exist`);
    }
    change(project, { kind: "team", entity, role: "member" });
  }
  return { success: true, clientMutationId: null };
};

/** The fields a registry's project has beyond a project's. */
function registryFields(ctx: ResolverContext, project: StoredProject): Fields {
  const registry = ctx.store.registries.get(project.internalId);
  if (registry === undefined) return {};
  return {
    access: registry.access,
    allowAllArtifactTypesInRegistry: registry.allowAllArtifactTypes,
    artifactTypes: (args: PageArgs & { includeAll?: boolean | null }) => {
      const types = ctx.store.artifacts.types(project.internalId);
      const names = args.includeAll === true && !registry.allowAllArtifactTypes
        ? registry.artifactTypes
        : types.map((t) => t.name);
      const nodes = names.map((name) =>
        types.find((t) => t.name === name) ??
          ctx.store.artifacts.type(project.internalId, name, true)!
      );
      const page = offsetPage(nodes, args.after, args.first, 50);
      return { ...page, edges: page.edges.map((e) => ({ ...e, node: typeView(ctx, e.node) })) };
    },
    members: () =>
      ctx.store.registries.members(project.internalId).flatMap((m) => {
        if (m.kind !== "user") return [];
        const user = ctx.store.users.list().find((u) => u.id === m.userId);
        return user === undefined ? [] : [{
          id: btoa(`User:${user.id}`),
          name: user.name,
          username: user.username,
          email: user.email,
          role: { name: m.role },
        }];
      }),
    teamMembers: () =>
      ctx.store.registries.members(project.internalId).flatMap((m) =>
        m.kind === "team" ? [{ team: ctx.entityView(m.entity), role: { name: m.role } }] : []
      ),
  };
}

/** The users and teams a registry's members mutation names. */
interface MembersInput {
  readonly projectId: string;
  readonly userIds?: Array<string> | null;
  readonly teamIds?: Array<string> | null;
}

/**
 * The registries resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { registriesResource } from "@effect-wandb/api/testing";
 * assert.ok(registriesResource.rootFields?.renameProject !== undefined);
 * ```
 */
export const registriesResource: ServerResource<RegistryStore, SeedRegistry> = {
  open: (db) => new RegistryStore(db),
  sdl: registriesSdl,
  gated: {
    // The search across an organization's registries came with registry search.
    ARTIFACT_REGISTRY_SEARCH: ["Entity.artifactCollections", "Entity.artifactMemberships"],
  },
  // A restricted registry is seen by its members and its organization's admins only.
  hidesProject: (ctx, project) => {
    const registry = ctx.store.registries.get(project.internalId);
    return registry?.access === "RESTRICTED" && !memberOf(ctx, project) &&
      !ctx.store.teams.isTeamAdmin(project.entity, ctx.viewer.id);
  },
  projectFields: registryFields,
  entityFields: (ctx, entity) => ({
    artifactCollections: (
      args: PageArgs & {
        projectFilters?: string | null;
        filters?: string | null;
        collectionTypes?: ReadonlyArray<string> | null;
        order?: string | null;
      },
    ) => {
      ctx.checkEntity(entity);
      const keep = documentFilter("collection", args.filters);
      const kinds = args.collectionTypes ?? ["PORTFOLIO"];
      const found = visibleRegistries(ctx, entity, args.projectFilters)
        .flatMap((p) => portfolios(ctx, p))
        .filter((c) =>
          kinds.includes(c.kind === "portfolio" ? "PORTFOLIO" : "SEQUENCE") &&
          keep({ name: c.name, description: c.description, createdAt: c.createdAt })
        );
      const page = offsetPage(sorted(found, args.order, (c) => c.name), args.after, args.first);
      return {
        ...page,
        edges: page.edges.map((e) => ({ ...e, node: collectionView(ctx, e.node) })),
      };
    },
    artifactMemberships: (
      args: PageArgs & {
        projectFilters?: string | null;
        collectionFilters?: string | null;
        filters?: string | null;
      },
    ) => {
      ctx.checkEntity(entity);
      const keepCollection = documentFilter("collection", args.collectionFilters);
      const keepVersion = documentFilter("version", args.filters);
      const found = visibleRegistries(ctx, entity, args.projectFilters)
        .flatMap((p) => portfolios(ctx, p))
        .filter((c) => keepCollection({ name: c.name, description: c.description }))
        .flatMap((c) =>
          ctx.store.artifacts.members(c.id).map(({ artifact, versionIndex }) => ({
            artifact,
            membership: { collection: c, versionIndex },
          }))
        )
        .filter(({ artifact }) =>
          keepVersion({
            alias: ctx.store.artifacts.aliases(artifact.id).map((a) => a.alias),
            tag: ctx.store.artifacts.tags(artifact.id),
            createdAt: artifact.createdAt,
          })
        );
      const page = offsetPage(found, args.after, args.first);
      return {
        ...page,
        edges: page.edges.map((e) => ({
          ...e,
          node: membershipView(ctx, e.node.artifact, e.node.membership),
        })),
      };
    },
  }),
  rootFields: {
    // upsertModel as the projects resource answers it, with a registry's settings on top.
    upsertModel: (
      { input }: {
        input: {
          entityName?: string | null;
          name?: string | null;
          description?: string | null;
          access?: string | null;
          allowAllArtifactTypesInRegistry?: boolean | null;
          artifactTypes?: ReadonlyArray<{ name: string }> | null;
        };
      },
      ctx,
    ) => {
      const entity = input.entityName ?? ctx.viewer.username;
      const name = input.name ?? "uncategorized";
      ctx.checkEntity(entity);
      const existing = ctx.store.projects.get(entity, name);
      if (existing !== undefined && ctx.store.registries.get(existing.internalId) !== undefined) {
        requireAdmin(ctx, existing);
      }
      const { project, inserted } = ctx.store.projects.create(entity, name, {
        description: input.description ?? undefined,
        username: ctx.viewer.username,
      });
      if (!inserted && input.description != null) {
        ctx.store.projects.setDescription(project.internalId, input.description);
      }
      if (name.startsWith(registryPrefix)) {
        const before = ctx.store.registries.get(project.internalId);
        const types = input.artifactTypes?.map((t) => t.name);
        ctx.store.registries.set(project.internalId, {
          access: input.access ?? before?.access ?? "PRIVATE",
          allowAllArtifactTypes: input.allowAllArtifactTypesInRegistry ??
            before?.allowAllArtifactTypes ?? (types === undefined || types.length === 0),
          artifactTypes: [...new Set([...(before?.artifactTypes ?? []), ...(types ?? [])])],
        });
        if (inserted) {
          ctx.store.registries.addMember(project.internalId, {
            kind: "user",
            userId: ctx.viewer.id,
            role: "admin",
          });
        }
      }
      const view = ctx.projectView(ctx.store.projects.get(entity, name)!);
      return { project: view, model: view, inserted };
    },
    renameProject: (
      { input }: { input: { entityName: string; oldProjectName: string; newProjectName: string } },
      ctx,
    ) => {
      ctx.checkEntity(input.entityName);
      const project = ctx.store.projects.get(input.entityName, input.oldProjectName);
      if (project === undefined) {
        throw new GraphQLError(`project ${input.oldProjectName} does not exist`);
      }
      if (ctx.store.registries.get(project.internalId) !== undefined) requireAdmin(ctx, project);
      if (
        !ctx.store.projects.rename(input.entityName, input.oldProjectName, input.newProjectName)
      ) {
        throw new GraphQLError(`project ${input.newProjectName} exists`);
      }
      const renamed = ctx.store.projects.get(input.entityName, input.newProjectName)!;
      return { project: ctx.projectView(renamed), inserted: false, clientMutationId: null };
    },
    deleteModel: ({ input }: { input: { id: string } }, ctx) => {
      const project = projectOfId(ctx, input.id);
      requireAdmin(ctx, project);
      ctx.store.registries.delete(project.internalId);
      ctx.store.projects.delete(project.internalId);
      return { success: true, clientMutationId: null };
    },
    createProjectMembers: (
      { input }: { input: MembersInput },
      ctx,
    ) =>
      memberUpdate(input, ctx, (project, member) => {
        const known = ctx.store.registries.members(project.internalId).some((m) =>
          member.kind === "user"
            ? m.kind === "user" && m.userId === member.userId
            : m.kind === "team" && m.entity === member.entity
        );
        if (!known) ctx.store.registries.addMember(project.internalId, member);
      }),
    deleteProjectMembers: (
      { input }: { input: MembersInput },
      ctx,
    ) =>
      memberUpdate(input, ctx, (project, member) => {
        ctx.store.registries.removeMember(project.internalId, member);
      }),
    updateProjectMember: (
      { input }: { input: { projectId: string; userId: string; userProjectRole: string } },
      ctx,
    ) =>
      memberUpdate({ projectId: input.projectId, userIds: [input.userId] }, ctx, (p, m) => {
        ctx.store.registries.addMember(p.internalId, { ...m, role: input.userProjectRole });
      }),
    updateProjectTeamMember: (
      { input }: { input: { projectId: string; teamId: string; teamProjectRole: string } },
      ctx,
    ) =>
      memberUpdate({ projectId: input.projectId, teamIds: [input.teamId] }, ctx, (p, m) => {
        ctx.store.registries.addMember(p.internalId, { ...m, role: input.teamProjectRole });
      }),
  },
  seed: seedRegistries,
  load: (store, _core, registries) => {
    for (const r of registries) {
      const { project } = store.projects.create(r.orgEntity, `${registryPrefix}${r.name}`, {
        description: r.description,
        username: r.admin,
      });
      store.registries.set(project.internalId, {
        access: r.access,
        allowAllArtifactTypes: r.artifactTypes.length === 0,
        artifactTypes: r.artifactTypes,
      });
      store.registries.addMember(project.internalId, {
        kind: "user",
        userId: store.users.byName(r.admin)!.id,
        role: "admin",
      });
      for (const link of r.links) {
        const [entity, projectName, sequence] = link.from.split("/");
        const source = store.projects.get(entity!, projectName!)!;
        const collection = store.artifacts.collection(source.internalId, sequence!)!;
        const version = store.artifacts.members(collection.id)
          .find((m) => m.versionIndex === link.version)!;
        const type = store.artifacts.type(
          project.internalId,
          store.artifacts.typeById(collection.typeId)!.name,
          true,
        )!;
        const portfolio = store.artifacts.collection(project.internalId, link.collection) ??
          store.artifacts.createCollection(type, link.collection, "portfolio");
        store.artifacts.link(portfolio, version.artifact.id, link.aliases);
      }
    }
  },
};
