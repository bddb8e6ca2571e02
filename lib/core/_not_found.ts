// The "resource resolved to null" errors every capability raises, worded once.
import { NotFoundError } from "./errors.ts";
import { formatRunPath, type ProjectPath, type RunPath } from "./paths.ts";

/** W&B answered `project: null`. */
export function projectNotFound(operation: string, project: ProjectPath): NotFoundError {
  const path = `${project.entity}/${project.project}`;
  return new NotFoundError({
    operation,
    resource: "project",
    path,
    message: `Could not find project ${path}`,
  });
}

/** W&B answered `run: null`. */
export function runNotFound(operation: string, run: RunPath): NotFoundError {
  const path = formatRunPath(run);
  return new NotFoundError({
    operation,
    resource: "run",
    path,
    message: `Could not find run ${path}`,
  });
}
