/**
 * Batched artifact lookups: `api.artifact(name)` calls in flight together go out as one GraphQL
 * request with an aliased `project { artifact }` field per name (at most
 * {@link maxArtifactsPerBatch}), through an Effect `RequestResolver`, as run lookups are (see
 * `lib/runs/batch.ts`).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Request from "effect/Request";
import * as RequestResolver from "effect/RequestResolver";
import * as Schema from "effect/Schema";
import { DecodeError } from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { ProjectPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { type Artifact, ArtifactNode, type ArtifactNodeData } from "./decoders.ts";
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
 * import { print } from "graphql";
 * import { artifactsBatchQuery } from "@effect-wandb/api";
 * const project = { entity: "acme", project: "mnist" };
 * const request = artifactsBatchQuery([
 *   { project, name: "mnist-raw:v0", enableTracking: true },
 *   { project, name: "mnist-cnn:best", enableTracking: true },
 * ]);
 * assert.ok(print(request.document).includes("a1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.n1, "mnist-cnn:best");
 * ```
 */
export function artifactsBatchQuery(
  lookups: ReadonlyArray<Pick<ArtifactLookup, "project" | "name" | "enableTracking">>,
): GraphqlRequest<Readonly<Record<string, unknown>>> {
  const declarations = lookups.map((_, i) =>
    `$p${i}: String!, $e${i}: String!, $n${i}: String!, $t${i}: Boolean`
  );
  const fields = lookups.map((_, i) =>
    `a${i}: project(name: $p${i}, entityName: $e${i}) { artifact(name: $n${i}, enableTracking: $t${i}) { ...ArtifactFragment } }`
  );
  const variables: Record<string, unknown> = {};
  lookups.forEach(({ project, name, enableTracking }, i) => {
    variables[`p${i}`] = project.project;
    variables[`e${i}`] = project.entity;
    variables[`n${i}`] = name;
    variables[`t${i}`] = enableTracking;
  });
  return {
    operation: "ArtifactsBatch",
    document: operationDocument(
      `query ArtifactsBatch(${declarations.join(", ")}, $includeAliases: Boolean = true) { ${
        fields.join(" ")
      } }`,
      artifactFragments,
    ),
    variables,
    // Each field is decoded on its own: one malformed artifact fails its lookup, not the batch.
    decoder: Schema.Record(Schema.String, Schema.Unknown),
  };
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
 * import { ArtifactLookup, artifactLookupResolver, type WandbClient } from "@effect-wandb/api";
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
  const complete = (
    entry: Request.Entry<ArtifactLookup>,
    effect: Effect.Effect<Artifact, ArtifactError>,
  ) => Effect.map(Effect.exit(effect), (exit) => entry.completeUnsafe(exit));
  const one = (entry: Request.Entry<ArtifactLookup>) =>
    complete(entry, getArtifact(client, entry.request.project, entry.request.name, entry.request));
  const fromField = (
    data: Readonly<Record<string, unknown>>,
    index: number,
    lookup: ArtifactLookup,
  ) => {
    const decoded = Schema.decodeUnknownExit(ProjectArtifact)(data[`a${index}`] ?? null);
    return Exit.isFailure(decoded)
      ? Effect.fail(
        new DecodeError({ operation: "ArtifactsBatch", path: `a${index}`, message: "malformed" }),
      )
      : artifactOfProject(
        decoded.value as { readonly artifact: ArtifactNodeData | null } | null,
        lookup.project,
        lookup.name,
        lookup,
      );
  };
  return RequestResolver.makeGrouped<ArtifactLookup, string>({
    // One entity per request: a refused entity (HTTP 403) fails only its own lookups.
    key: (entry) => entry.request.project.entity,
    resolver: (entries) =>
      entries.length === 1 ? one(entries[0]) : client.execute(
        artifactsBatchQuery(entries.map((entry) => entry.request)),
      ).pipe(
        Effect.flatMap((data) =>
          Effect.forEach(
            entries,
            (entry, i) => complete(entry, fromField(data, i, entry.request)),
            { discard: true },
          )
        ),
        Effect.catchTag("GraphqlError", () => Effect.forEach(entries, one, { discard: true })),
      ),
  }).pipe(RequestResolver.batchN(maxBatch));
}
