/**
 * What every slice of the `Api` is built from: the client, its configuration, and one resolver
 * of paths against the defaults (the config's entity and project, then the viewer's default
 * entity, asked once and remembered for the life of the `Api`). Also the loader that lets a
 * slice load its resource's modules the first time one of its methods is called, so that
 * importing the package costs only what a program uses.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import type { ApiConfig } from "./config.ts";
import { InvalidArgumentError, type WandbError } from "./errors.ts";
import {
  parseProjectPath,
  parseRunPath,
  type PartialProjectPath,
  type PartialRunPath,
  type ProjectPath,
  type RunPath,
} from "./paths.ts";
import type { WandbClient } from "./transport.ts";

/**
 * A run, named by any path form the Python client accepts, by its parts, or by a run already
 * fetched (anything with its `entity`, `project` and `id`).
 */
export type RunRef =
  | string
  | RunPath
  | { readonly entity: string; readonly project: string; readonly id: string };

/** Resolves paths against the `Api`'s defaults. */
export interface Paths {
  /** The viewer's default entity (Python's `Api.default_entity`): one request, remembered. */
  readonly defaultEntity: Effect.Effect<string, WandbError>;
  /** `entity`, else the config's, else the viewer's default. */
  entity(entity?: string): Effect.Effect<string, WandbError>;
  /** A parsed project path with its defaults filled in. */
  projectOf(partial: PartialProjectPath): Effect.Effect<ProjectPath, WandbError>;
  /** `entity/project`, `project` or nothing (the defaults). */
  project(path?: string): Effect.Effect<ProjectPath, WandbError>;
  /** A parsed run path with its defaults filled in. */
  runOf(partial: PartialRunPath): Effect.Effect<RunPath, WandbError>;
  /** A run named any way {@link RunRef} allows. */
  run(ref: RunRef): Effect.Effect<RunPath, WandbError>;
  /**
   * `entity/project/name`, `project/name` or `name` (an artifact, a sweep, a job) with the
   * project's defaults filled in.
   */
  named(
    path: string,
  ): Effect.Effect<{ readonly project: ProjectPath; readonly name: string }, WandbError>;
}

/** What a slice of the `Api` is built from. */
export interface ApiContext {
  /** The resolved configuration (the key stays `Redacted`). */
  readonly config: ApiConfig;
  /** The transport every operation runs on. */
  readonly client: WandbClient;
  /** Paths resolved against the defaults. */
  readonly paths: Paths;
}

/**
 * The path resolver of an `Api`: `askDefaultEntity` is asked at most once (its answer is kept,
 * its failure is not, so a later call asks again).
 */
export function makePaths(
  config: ApiConfig,
  askDefaultEntity: Effect.Effect<string, WandbError>,
): Paths {
  let known: string | undefined;
  const defaultEntity: Effect.Effect<string, WandbError> = Effect.suspend(() =>
    known !== undefined
      ? Effect.succeed(known)
      : Effect.tap(askDefaultEntity, (entity) => Effect.sync(() => (known = entity)))
  );
  const entity = (name?: string) =>
    name !== undefined
      ? Effect.succeed(name)
      : config.entity !== undefined
      ? Effect.succeed(config.entity)
      : defaultEntity;
  const projectOf = (partial: PartialProjectPath) =>
    Effect.map(entity(partial.entity), (resolved) => ({
      entity: resolved,
      // The Python client's fallback when neither the path nor the settings name a project.
      project: partial.project ?? config.project ?? "uncategorized",
    }));
  const project = (path?: string) => Effect.flatMap(parseProjectPath(path ?? ""), projectOf);
  const runOf = (partial: PartialRunPath) =>
    Effect.map(projectOf(partial), (resolved) => ({ ...resolved, runId: partial.runId }));
  const run = (ref: RunRef): Effect.Effect<RunPath, WandbError> =>
    typeof ref === "string" ? Effect.flatMap(parseRunPath(ref), runOf) : Effect.succeed(
      "runId" in ref ? ref : { entity: ref.entity, project: ref.project, runId: ref.id },
    );
  const named = (path: string) => {
    const parts = path.split("/");
    const name = parts.at(-1)!;
    if (parts.length > 3 || name === "" || parts.some((part) => part === "")) {
      return Effect.fail(
        new InvalidArgumentError({
          argument: "path",
          value: path,
          message:
            `Cannot read the path '${path}': expected entity/project/name (or project/name, or name under the default project)`,
        }),
      );
    }
    return Effect.map(
      project(parts.length === 1 ? undefined : parts.slice(0, -1).join("/")),
      (resolved) => ({ project: resolved, name }),
    );
  };
  return { defaultEntity, entity, projectOf, project, runOf, run, named };
}

/**
 * A module loaded the first time the Effect runs, then kept: a slice of the `Api` loads its
 * resource's queries and operations only when one of its methods is first called.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { loadOnce } from "./context.ts";
 * const paths = loadOnce(() => import("./paths.ts"));
 * const parsed = Effect.flatMap(paths, (m) => m.parseProjectPath("acme/mnist"));
 * ```
 */
export function loadOnce<M>(load: () => Promise<M>): Effect.Effect<M> {
  let loaded: Promise<M> | undefined;
  return Effect.promise(() => loaded ??= load());
}

/**
 * `effect`, run once: the first caller runs it, later and concurrent callers share its value
 * (one request resolver per `Api`, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { memoized } from "./context.ts";
 * let runs = 0;
 * const value = memoized(Effect.sync(() => ++runs));
 * assert.deepEqual(Effect.runSync(Effect.all([value, value])), [1, 1]);
 * ```
 */
export function memoized<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E> {
  return Effect.runSync(Effect.cached(effect));
}
