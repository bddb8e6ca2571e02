/**
 * Projects: an entity’s projects, one project, a new one.
 *
 * Everything here is also reachable through the `Api` (its `ProjectsApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { ProjectsApi } from "@effect-wandb/api/projects";
 * type Methods = keyof ProjectsApi;
 * ```
 *
 * @module
 */
export { type ProjectsApi, projectsApi, type ProjectsOptions } from "./api.ts";
export { getProject, listProjects, listProjectsPages, type Project } from "./projects.ts";
