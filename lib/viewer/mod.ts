/**
 * The viewer: who the API key belongs to, and their default entity.
 *
 * Everything here is also reachable through the `Api` (its `ViewerApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { ViewerApi } from "@effect-wandb/api/viewer";
 * type Methods = keyof ViewerApi;
 * ```
 *
 * @module
 */
export { type ViewerApi, viewerApi } from "./api.ts";
export { getDefaultEntity, getViewer, type User } from "./viewer.ts";
