/**
 * The project's own W&B GraphQL SDL and its executable schema.
 *
 * @module
 */
export { wandbSdl } from "./sdl.ts";
export { buildWandbSchema, validateOperation } from "./schema.ts";
