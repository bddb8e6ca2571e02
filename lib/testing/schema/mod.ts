/**
 * The project's own W&B GraphQL SDL and its executable schema.
 *
 * @module
 */
export { wandbSdl } from "./sdl.ts";
export { buildWandbSchema, missingCoordinates, validateOperation } from "./schema.ts";
