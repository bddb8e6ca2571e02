/**
 * The executable form of the project's W&B SDL, and validation of operations against it.
 *
 * @module
 */
import {
  buildASTSchema,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type InputValueDefinitionNode,
  Kind,
  parse,
  validate,
  validateSchema,
  visit,
} from "graphql";
import { serverResources } from "../resources.ts";
import { serverProfile, type ServerVersion } from "../server_versions.ts";
import { wandbSdl } from "./sdl.ts";

const built = new Map<ServerVersion, GraphQLSchema>();

/**
 * The schema coordinates (`Type`, `Type.field`, `Type.field(arg:)`) a release lacks: what each
 * of its missing features brings, as the resources name it, and `serverInfo.features` itself on
 * releases that predate it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingCoordinates } from "@effect-wandb/api/testing";
 * assert.ok(missingCoordinates("0.70").has("ServerInfo.features"));
 * assert.ok(missingCoordinates("latest").size === 0);
 * ```
 */
export function missingCoordinates(version: ServerVersion): ReadonlySet<string> {
  const profile = serverProfile(version);
  const missing = new Set<string>(profile.listsFeatures ? [] : ["ServerInfo.features"]);
  for (const resource of Object.values(serverResources)) {
    for (const [feature, coordinates] of Object.entries(resource.gated ?? {})) {
      if (!profile.features.has(feature)) { for (const c of coordinates) missing.add(c); }
    }
  }
  return missing;
}

/**
 * The SDL's document without the fields, arguments, types, enum values (`Enum.VALUE`) and union
 * members (`Union.Member`) at `missing`.
 */
function without(document: DocumentNode, missing: ReadonlySet<string>): DocumentNode {
  let type = "";
  let field = "";
  return visit(document, {
    enter(node) {
      switch (node.kind) {
        case Kind.OBJECT_TYPE_DEFINITION:
        case Kind.OBJECT_TYPE_EXTENSION:
        case Kind.INPUT_OBJECT_TYPE_DEFINITION:
        case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        case Kind.INTERFACE_TYPE_DEFINITION:
        case Kind.ENUM_TYPE_DEFINITION:
          type = node.name.value;
          return missing.has(type) ? null : undefined;
        case Kind.ENUM_VALUE_DEFINITION:
          return missing.has(`${type}.${node.name.value}`) ? null : undefined;
        case Kind.UNION_TYPE_DEFINITION: {
          // A union loses the members a release lacks: the type itself, or its place here.
          const union = node.name.value;
          const kept = (node.types ?? []).filter((member) =>
            !missing.has(member.name.value) && !missing.has(`${union}.${member.name.value}`)
          );
          return kept.length === (node.types ?? []).length ? undefined : { ...node, types: kept };
        }
        case Kind.FIELD_DEFINITION:
          field = node.name.value;
          return missing.has(`${type}.${field}`) ? null : undefined;
        case Kind.INPUT_VALUE_DEFINITION: {
          const input = node as InputValueDefinitionNode;
          return missing.has(`${type}.${field}(${input.name.value}:)`) ||
              missing.has(`${type}.${input.name.value}`)
            ? null
            : undefined;
        }
      }
      return undefined;
    },
  });
}

/**
 * Builds the W&B schema from {@link wandbSdl}, as the release `version` has it (once per
 * release; later calls return the same instance).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildWandbSchema } from "@effect-wandb/api/testing";
 * assert.ok(buildWandbSchema().getQueryType()?.name === "Query");
 * assert.ok(buildWandbSchema("0.70").getType("ServerInfo")?.toString() === "ServerInfo");
 * ```
 */
export function buildWandbSchema(version: ServerVersion = "latest"): GraphQLSchema {
  let schema = built.get(version);
  if (schema === undefined) {
    schema = buildASTSchema(without(parse(wandbSdl), missingCoordinates(version)));
    const problems = validateSchema(schema);
    if (problems.length > 0) {
      throw new Error(`The W&B SDL is invalid: ${problems.map((p) => p.message).join("; ")}`);
    }
    built.set(version, schema);
  }
  return schema;
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
