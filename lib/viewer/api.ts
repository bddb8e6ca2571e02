/**
 * The viewer's slice of the `Api`: who the key belongs to, and their default entity.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { User } from "./viewer.ts";

/** The viewer's methods of the `Api`. */
export interface ViewerApi {
  /** The user the API key belongs to (Python's `Api.viewer`). */
  readonly viewer: Effect.Effect<User, WandbError>;
  /** The viewer's default entity (Python's `Api.default_entity`); asked once, then remembered. */
  readonly defaultEntity: Effect.Effect<string, WandbError>;
}

const viewer = loadOnce(() => import("./viewer.ts"));

/** The viewer's default entity, as the `Api`'s path resolver asks for it. */
export function askDefaultEntity(
  context: Pick<ApiContext, "client">,
): Effect.Effect<string, WandbError> {
  return Effect.flatMap(viewer, (m) => m.getDefaultEntity(context.client));
}

/** Builds the viewer's slice. */
export function viewerApi(context: ApiContext): ViewerApi {
  return {
    viewer: Effect.flatMap(viewer, (m) => m.getViewer(context.client)),
    defaultEntity: context.paths.defaultEntity,
  };
}
