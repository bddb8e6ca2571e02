/**
 * W&B paths: `entity/project` and the run path forms the Python client accepts.
 *
 * Parsing is pure and total: a string either becomes a path whose missing parts are left
 * `undefined` (to be filled from the config or the viewer's default entity), or an
 * `InvalidArgumentError` saying which forms are accepted.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { InvalidArgumentError } from "./errors.ts";

/** A project, fully qualified. */
export interface ProjectPath {
  /** The entity (user or team) that owns the project. */
  readonly entity: string;
  /** The project name. */
  readonly project: string;
}

/** A run, fully qualified. */
export interface RunPath extends ProjectPath {
  /** The run id (Python's `run.id`; the server's `Run.name`). */
  readonly runId: string;
}

/** A parsed path whose entity and project may still be missing. */
export interface PartialRunPath {
  /** The entity, when the path named it. */
  readonly entity: string | undefined;
  /** The project, when the path named it. */
  readonly project: string | undefined;
  /** The run id. */
  readonly runId: string;
}

/** A parsed project path whose entity may still be missing. */
export interface PartialProjectPath {
  /** The entity, when the path named it. */
  readonly entity: string | undefined;
  /** The project, when the path named it. */
  readonly project: string | undefined;
}

const namePattern = /^[A-Za-z0-9_.\-]+$/;

/** Whether a string can be an entity, project or run name. */
export function isValidName(name: string): boolean {
  return namePattern.test(name) && name !== "." && name !== "..";
}

/** Strips `https://host/` so that a URL copied from the W&B app works as a path. */
function stripUrl(path: string): string {
  const match = /^https?:\/\/[^/]+\/(.*)$/.exec(path.trim());
  return (match ? match[1]! : path.trim()).replace(/^\/+|\/+$/g, "");
}

const runForms = "e/p/runs/id, e/p/id, e/p:id, p/id, p:id or id";

/**
 * Parses a run path in any form the Python client accepts: `e/p/runs/id`, `e/p/id`, `e/p:id`,
 * `p/id`, `p:id`, `id` (and a W&B app URL ending in one of those).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { parseRunPath } from "@effect-wandb/api/runs";
 * const path = Effect.runSync(parseRunPath("acme/mnist:abc123"));
 * assert.ok(path.entity === "acme" && path.project === "mnist" && path.runId === "abc123");
 * ```
 */
export function parseRunPath(path: string): Effect.Effect<PartialRunPath, InvalidArgumentError> {
  return Effect.suspend((): Effect.Effect<PartialRunPath, InvalidArgumentError> => {
    const fail = (why: string) =>
      Effect.fail(
        new InvalidArgumentError({
          argument: "path",
          value: path,
          message: `Cannot parse run path '${path}': ${why}; expected ${runForms}`,
        }),
      );
    const text = stripUrl(path);
    if (text.length === 0) return fail("it is empty");
    let parts: Array<string>;
    if (text.includes(":")) {
      const [head, runId, ...rest] = text.split(":");
      if (rest.length > 0) return fail("it has more than one ':'");
      parts = [...head!.split("/"), runId!];
      if (parts.length > 3) return fail("too many parts before ':'");
    } else {
      parts = text.split("/");
      if (parts.length === 4) {
        if (parts[2] !== "runs") return fail(`the third part must be 'runs', not '${parts[2]}'`);
        parts = [parts[0]!, parts[1]!, parts[3]!];
      }
      if (parts.length > 3) return fail("too many parts");
    }
    const bad = parts.find((p) => !isValidName(p));
    if (bad !== undefined) return fail(`'${bad}' is not a valid name`);
    const runId = parts[parts.length - 1]!;
    const project = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    const entity = parts.length === 3 ? parts[0] : undefined;
    return Effect.succeed({ entity, project, runId });
  });
}

/**
 * Parses `entity/project` or `project` (or an empty string, meaning the defaults).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { parseProjectPath } from "@effect-wandb/api/runs";
 * const path = Effect.runSync(parseProjectPath("acme/mnist"));
 * assert.ok(path.entity === "acme" && path.project === "mnist");
 * ```
 */
export function parseProjectPath(
  path: string,
): Effect.Effect<PartialProjectPath, InvalidArgumentError> {
  return Effect.suspend((): Effect.Effect<PartialProjectPath, InvalidArgumentError> => {
    const text = stripUrl(path);
    if (text.length === 0) return Effect.succeed({ entity: undefined, project: undefined });
    const parts = text.split("/");
    const invalid = (why: string) =>
      Effect.fail(
        new InvalidArgumentError({
          argument: "path",
          value: path,
          message:
            `Cannot parse project path '${path}': ${why}; expected entity/project or project`,
        }),
      );
    if (parts.length > 2) return invalid("too many parts");
    const bad = parts.find((p) => !isValidName(p));
    if (bad !== undefined) return invalid(`'${bad}' is not a valid name`);
    return Effect.succeed(
      parts.length === 2
        ? { entity: parts[0], project: parts[1] }
        : { entity: undefined, project: parts[0] },
    );
  });
}

/** What `fromPath` found a path to name. */
export type ParsedPath =
  | { readonly _tag: "project"; readonly path: PartialProjectPath }
  | { readonly _tag: "run"; readonly path: PartialRunPath };

/**
 * Classifies a path as the Python `Api.from_path` does: 1 part or `e/p` is a project; 3 parts,
 * `e/p:id` or `e/p/runs/id` is a run. Sweep and report paths are rejected for now.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { classifyPath } from "@effect-wandb/api/runs";
 * assert.ok(Effect.runSync(classifyPath("acme/mnist/runs/abc"))._tag === "run");
 * ```
 */
export function classifyPath(path: string): Effect.Effect<ParsedPath, InvalidArgumentError> {
  return Effect.suspend((): Effect.Effect<ParsedPath, InvalidArgumentError> => {
    const text = stripUrl(path);
    const parts = text.split("/");
    if (parts.length === 4 && (parts[2] === "sweeps" || parts[2] === "reports")) {
      return Effect.fail(
        new InvalidArgumentError({
          argument: "path",
          value: path,
          message: `Paths to ${parts[2]} are not supported yet: only projects and runs`,
        }),
      );
    }
    if (!text.includes(":") && parts.length <= 2) {
      return Effect.map(parseProjectPath(path), (p) => ({ _tag: "project", path: p }) as const);
    }
    return Effect.map(parseRunPath(path), (p) => ({ _tag: "run", path: p }) as const);
  });
}

/**
 * Formats a run path as `entity/project/runId`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatRunPath } from "@effect-wandb/api/runs";
 * assert.ok(formatRunPath({ entity: "a", project: "b", runId: "c" }) === "a/b/c");
 * ```
 */
export function formatRunPath(path: RunPath): string {
  return `${path.entity}/${path.project}/${path.runId}`;
}
