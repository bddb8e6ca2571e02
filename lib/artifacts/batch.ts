/**
 * Batched artifact lookups: `api.artifact(name)` calls in flight together go out as one GraphQL
 * request with an aliased `project { artifact }` field per name (at most
 * {@link maxArtifactsPerBatch}), through an Effect `RequestResolver`, as run lookups are (see
 * `lib/runs/batch.ts`).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Request from "effect/Request";
import type * as RequestResolver from "effect/RequestResolver";
import * as Schema from "effect/Schema";
import { type BatchData, batchedByEntity, batchField, batchQuery } from "../core/batch.ts";
import type { GraphqlRequest } from "../core/graphql.ts";
import type { ProjectPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { type Artifact, ArtifactNode } from "./decoders.ts";
import { type ArtifactError, artifactOfProject, getArtifact } from "./operations.ts";
import { artifactFragments } from "./queries.ts";

/** Artifacts looked up per request at most. */
export const maxArtifactsPerBatch = 25;

/** One artifact by name, batched with the others in flight. */
export interface ArtifactLookup extends Request.Request<Artifact, ArtifactError> {
  /** Discriminant of the request. */
  readonly _tag: "ArtifactLookup";
  /** The artifact's project. */
  readonly project: ProjectPath;
  /** `collection:alias` or `collection:vN`. */
  readonly name: string;
  /** Only an artifact of this type (else `InvalidArgumentError`). */
  readonly type?: string | undefined;
  /** Record the lookup as the server does for `api.artifact` (Python sends `true`). */
  readonly enableTracking: boolean;
}

/** Makes an {@link ArtifactLookup}. */
export const ArtifactLookup: Request.Constructor<ArtifactLookup, "_tag"> = Request.tagged<
  ArtifactLookup
>("ArtifactLookup");

/**
 * The `ArtifactsBatch` request: `aN: project(…) { artifact(name: …) { …ArtifactFragment } }`
 * for each lookup.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactsBatchQuery, printDocument } from "@effect-wandb/api/graphql";
 * const project = { entity: "acme", project: "mnist" };
 * const request = artifactsBatchQuery([
 *   { project, name: "mnist-raw:v0", enableTracking: true },
 *   { project, name: "mnist-cnn:best", enableTracking: true },
 * ]);
 * assert.ok(printDocument(request.document).includes("a1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.n1, "mnist-cnn:best");
 * ```
 */
export function artifactsBatchQuery(
  lookups: ReadonlyArray<Pick<ArtifactLookup, "project" | "name" | "enableTracking">>,
): GraphqlRequest<BatchData> {
  return batchQuery("ArtifactsBatch", "a", lookups, ({ project, name, enableTracking }, i) => ({
    declarations: `$p${i}: String!, $e${i}: String!, $n${i}: String!, $t${i}: Boolean`,
    field:
      `project(name: $p${i}, entityName: $e${i}) { artifact(name: $n${i}, enableTracking: $t${i}) { ...ArtifactFragment } }`,
    variables: {
      [`p${i}`]: project.project,
      [`e${i}`]: project.entity,
      [`n${i}`]: name,
      [`t${i}`]: enableTracking,
    },
  }), { declarations: "$includeAliases: Boolean = true", fragments: [artifactFragments] });
}

const ProjectArtifact = Schema.NullOr(Schema.Struct({ artifact: Schema.NullOr(ArtifactNode) }));

/**
 * The resolver of {@link ArtifactLookup}s: lookups in flight together share a request per
 * entity, each completed with its artifact or its own error; a lookup alone is the official
 * client's `ArtifactByName`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { ArtifactLookup, artifactLookupResolver } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const two = (client: WandbClient) => {
 *   const resolver = artifactLookupResolver(client);
 *   const project = { entity: "acme", project: "mnist" };
 *   return Effect.all([
 *     Effect.request(ArtifactLookup({ project, name: "mnist-raw:v0", enableTracking: true }), resolver),
 *     Effect.request(ArtifactLookup({ project, name: "mnist-cnn:best", enableTracking: true }), resolver),
 *   ], { concurrency: "unbounded" }); // one request
 * };
 * ```
 */
export function artifactLookupResolver(
  client: WandbClient,
  maxBatch: number = maxArtifactsPerBatch,
): RequestResolver.RequestResolver<ArtifactLookup> {
  return batchedByEntity<ArtifactLookup, Artifact, ArtifactError>(client, maxBatch, {
    entity: ({ project }) => project.entity,
    alone: (lookup) => getArtifact(client, lookup.project, lookup.name, lookup),
    batch: (lookups) => artifactsBatchQuery(lookups),
    field: (data, i, lookup) =>
      Effect.flatMap(
        batchField(data, "ArtifactsBatch", `a${i}`, ProjectArtifact),
        (found) => artifactOfProject(found, lookup.project, lookup.name, lookup),
      ),
  });
}
