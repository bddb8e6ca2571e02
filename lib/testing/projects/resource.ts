/**
 * Projects on the local server: the `projects`/`models` and `project`/`model` root fields, an
 * entity's projects, `upsertModel`, and the seeded projects.
 *
 * @module
 */
import type { PageArgs, ResolverContext, ServerResource } from "../resource.ts";
import { documentFilter } from "../mongo.ts";
import { offsetPage } from "../pages.ts";
import type { StoredProject } from "./store.ts";
import { ProjectStore } from "./store.ts";
import { projectsSdl } from "./sdl.ts";

/**
 * W&B's project filters: a Mongo-style document over a project's `name`, `description`,
 * `createdAt` and `updatedAt` (the official client's registry search sends them).
 */
function projectFilter(filters: string | null | undefined): (project: StoredProject) => boolean {
  const keep = documentFilter("project", filters);
  return (p) =>
    keep({
      name: p.name,
      description: p.description,
      createdAt: p.createdAt,
      updatedAt: p.createdAt,
    });
}

/** An order key of projects: `name`, `created_at` or `updated_at`, `-` for descending. */
function projectOrder(order: string | null | undefined) {
  const key = (order ?? "").replace(/^[+-]/, "");
  const sign = order?.startsWith("-") === true ? -1 : 1;
  const value = (p: StoredProject) => key === "name" ? p.name : p.createdAt;
  return (a: StoredProject, b: StoredProject) =>
    key === "" ? 0 : value(a) < value(b) ? -sign : value(a) > value(b) ? sign : 0;
}

function projectsConnection(
  ctx: ResolverContext,
  entity: string,
  args: PageArgs & { readonly filters?: string | null; readonly order?: string | null },
) {
  if (!ctx.canRead(entity)) return null;
  const keep = projectFilter(args.filters);
  const projects = ctx.store.projects.list(entity)
    .filter((p) => ctx.projectVisible(p) && keep(p))
    .sort(projectOrder(args.order));
  const page = offsetPage(projects, args.after, args.first, 50);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: ctx.projectView(e.node) })) };
}

function projectOrNull(ctx: ResolverContext, entity: string, name: string) {
  if (!ctx.canRead(entity)) return null;
  const project = ctx.store.projects.get(entity, name);
  return project === undefined || !ctx.projectVisible(project) ? null : ctx.projectView(project);
}

type EntityArgs = PageArgs & { readonly entityName?: string | null };
type ProjectArgs = { readonly name?: string | null; readonly entityName?: string | null };

/**
 * The projects resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { projectsResource } from "@effect-wandb/api/testing";
 * assert.ok(projectsResource.rootFields?.upsertModel !== undefined);
 * ```
 */
export const projectsResource: ServerResource<ProjectStore> = {
  open: (db, opened) => new ProjectStore(db, opened.users),
  sdl: projectsSdl,
  rootFields: {
    models: (args: EntityArgs, ctx) =>
      projectsConnection(ctx, args.entityName ?? ctx.viewer.username, args),
    projects: (args: EntityArgs, ctx) =>
      projectsConnection(ctx, args.entityName ?? ctx.viewer.username, args),
    project: (args: ProjectArgs, ctx) =>
      projectOrNull(ctx, args.entityName ?? ctx.viewer.username, args.name ?? "uncategorized"),
    model: (args: ProjectArgs, ctx) =>
      projectOrNull(ctx, args.entityName ?? ctx.viewer.username, args.name ?? "uncategorized"),
    upsertModel: (
      { input }: {
        input: { entityName?: string | null; name?: string | null; description?: string | null };
      },
      ctx,
    ) => {
      const entity = input.entityName ?? ctx.viewer.username;
      ctx.checkEntity(entity);
      const { project, inserted } = ctx.store.projects.create(
        entity,
        input.name ?? "uncategorized",
        { description: input.description ?? undefined, username: ctx.viewer.username },
      );
      const view = ctx.projectView(project);
      return { project: view, model: view, inserted };
    },
  },
  entityFields: (ctx, entity) => ({
    project: ({ name }: { name?: string }) => projectOrNull(ctx, entity, name ?? ""),
    projects: (args: PageArgs & { filters?: string | null; order?: string | null }) =>
      projectsConnection(ctx, entity, args),
  }),
  projectFields: (ctx, project) => {
    const owner = project.username === null ? undefined : ctx.store.users.byName(project.username);
    return {
      id: btoa(`Project:v1:${project.name}:${project.entity}`),
      internalId: String(project.internalId),
      name: project.name,
      entityName: project.entity,
      entity: () => ctx.entityView(project.entity),
      description: project.description,
      access: "PRIVATE",
      views: "{}",
      readOnly: false,
      isBenchmark: false,
      createdAt: project.createdAt,
      updatedAt: project.createdAt,
      user: owner === undefined ? null : ctx.userView(owner),
    };
  },
  load: (store, core) => {
    for (const p of core.projects) {
      store.projects.create(p.entity, p.name, {
        description: p.description,
        createdAt: p.createdAt,
        username: p.username,
      });
    }
  },
};
