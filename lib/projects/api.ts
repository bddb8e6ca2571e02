/**
 * The projects' slice of the `Api`: an entity's projects, one project, a new project.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { positiveInteger } from "../core/_arguments.ts";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Page } from "../core/pagination.ts";
import { parseProjectPath } from "../core/paths.ts";
import type { Project } from "./projects.ts";

/** Options of {@link ProjectsApi.projects}. */
export interface ProjectsOptions {
  /**
   * Projects per request.
   * @default {200}
   */
  readonly perPage?: number | undefined;
}

/** The projects' methods of the `Api`. */
export interface ProjectsApi {
  /** An entity's projects, lazily paged (Python's `Api.projects`). */
  projects(entity?: string, options?: ProjectsOptions): Stream.Stream<Project, WandbError>;
  /** Pages of an entity's projects. */
  projectsPages(
    entity?: string,
    options?: ProjectsOptions,
  ): Stream.Stream<Page<Project>, WandbError>;
  /** One project (Python's `Api.project(name, entity)`); `NotFoundError` if it does not exist. */
  project(name: string, entity?: string): Effect.Effect<Project, WandbError>;
  /** Creates a project (Python's `api.create_project(name, entity)`); returns it. */
  createProject(name: string, entity?: string): Effect.Effect<Project, WandbError>;
}

const projects = loadOnce(() => import("./projects.ts"));
const changes = loadOnce(() => import("../runs/changes.ts"));

/** Builds the projects' slice. */
export function projectsApi(context: ApiContext): ProjectsApi {
  const { client, paths } = context;
  const named = (name: string, entity: string | undefined) =>
    parseProjectPath(entity === undefined ? name : `${entity}/${name}`).pipe(
      Effect.flatMap(paths.projectOf),
    );
  const projectsPages = (entity?: string, options?: ProjectsOptions) =>
    Stream.unwrap(
      Effect.all([
        paths.entity(entity),
        positiveInteger("perPage", options?.perPage ?? 200),
        projects,
      ])
        .pipe(Effect.map(([e, perPage, m]) => m.listProjectsPages(client, e, perPage))),
    );
  return {
    projects: (entity, options) =>
      projectsPages(entity, options).pipe(
        Stream.flatMap((page) => Stream.fromIterable(page.items)),
      ),
    projectsPages,
    project: (name, entity) =>
      Effect.flatMap(
        Effect.zip(named(name, entity), projects),
        ([path, m]) => m.getProject(client, path),
      ),
    createProject: (name, entity) =>
      Effect.flatMap(
        Effect.zip(named(name, entity), changes),
        ([path, m]) => m.createProject(client, path),
      ),
  };
}
