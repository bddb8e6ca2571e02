/**
 * The executable form of the project's W&B SDL, and validation of operations against it.
 *
 * @module
 */
import {
  buildSchema,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  validate,
  validateSchema,
} from "graphql";
import { wandbSdl } from "./sdl.ts";

let built: GraphQLSchema | undefined;

/**
 * Builds the W&B schema from {@link wandbSdl} (once; later calls return the same instance).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildWandbSchema } from "@effect-wandb/api/testing";
 * const schema = buildWandbSchema();
 * assert.ok(schema.getQueryType()?.name === "Query");
 * ```
 */
export function buildWandbSchema(): GraphQLSchema {
  if (built === undefined) {
    const schema = buildSchema(wandbSdl);
    const problems = validateSchema(schema);
    if (problems.length > 0) {
      throw new Error(`The W&B SDL is invalid: ${problems.map((p) => p.message).join("; ")}`);
    }
    built = schema;
  }
  return built;
}

/**
 * Parses and validates an operation against a schema with graphql-js's standard rules. Returns
 * the errors; an empty array means the server would accept the document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildWandbSchema, validateOperation } from "@effect-wandb/api/testing";
 * const errors = validateOperation(buildWandbSchema(), "{ viewer { id } }");
 * assert.ok(errors.length === 0);
 * ```
 */
export function validateOperation(
  schema: GraphQLSchema,
  source: string,
): ReadonlyArray<GraphQLError> {
  try {
    return validate(schema, parse(source));
  } catch (error) {
    return [error as GraphQLError];
  }
}
