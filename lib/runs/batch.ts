/**
 * Batched run lookups: `api.run(path)` calls in flight together go out as one GraphQL request
 * with an aliased `project { run }` field per run (at most {@link maxRunsPerBatch}), through an
 * Effect `RequestResolver` (see `lib/core/batch.ts`). A hundred lookups cost four requests
 * instead of a hundred. The same for `api.runCount(path, { filters })`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Request from "effect/Request";
import type * as RequestResolver from "effect/RequestResolver";
import * as Schema from "effect/Schema";
import { type BatchData, batchedByEntity, batchField, batchQuery } from "../core/batch.ts";
import type { NotFoundError, RequestError } from "../core/errors.ts";
import type { GraphqlRequest } from "../core/graphql.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { FullRunNode, type Run, toRun } from "./decoders.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import { countRuns, getRun } from "./operations.ts";
import { fullRunFragment } from "./queries.ts";

/** Runs looked up per request at most: a document of 25 aliased fields stays small. */
export const maxRunsPerBatch = 25;

/** The answer of a batch: one `rN` field per run asked for. */
export type RunsBatchData = BatchData;

/**
 * The `RunsBatch` request: `rN: project(…) { run(…) { …RunFragment } }` for each path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runsBatchQuery, printDocument } from "@effect-wandb/api/graphql";
 * const request = runsBatchQuery([
 *   { entity: "acme", project: "mnist", runId: "a" },
 *   { entity: "acme", project: "mnist", runId: "b" },
 * ]);
 * assert.ok(printDocument(request.document).includes("r1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.n1, "b");
 * ```
 */
export function runsBatchQuery(paths: ReadonlyArray<RunPath>): GraphqlRequest<RunsBatchData> {
  return batchQuery("RunsBatch", "r", paths, (path, i) => ({
    declarations: `$p${i}: String!, $e${i}: String!, $n${i}: String!`,
    field:
      `project(name: $p${i}, entityName: $e${i}) { run(name: $n${i}) { projectId ...RunFragment } }`,
    variables: { [`p${i}`]: path.project, [`e${i}`]: path.entity, [`n${i}`]: path.runId },
  }), { fragments: [fullRunFragment] });
}

const ProjectRun = Schema.NullOr(Schema.Struct({ run: Schema.NullOr(FullRunNode) }));

/** One run looked up by path, batched with the others in flight. */
export interface RunLookup extends Request.Request<Run, RequestError | NotFoundError> {
  /** Discriminant of the request. */
  readonly _tag: "RunLookup";
  /** The run looked up. */
  readonly path: RunPath;
}

/** Makes a {@link RunLookup}. */
export const RunLookup: Request.Constructor<RunLookup, "_tag"> = Request.tagged<RunLookup>(
  "RunLookup",
);

/**
 * The resolver of {@link RunLookup}s: the lookups in flight together, up to
 * {@link maxRunsPerBatch} per request and one entity per request, each completed with its run
 * or its own error (a request that fails fails the lookups it carried).
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { RunLookup, runLookupResolver } from "@effect-wandb/api/runs";
 * const both = (client: WandbClient) => {
 *   const resolver = runLookupResolver(client);
 *   return Effect.all([
 *     Effect.request(RunLookup({ path: { entity: "acme", project: "mnist", runId: "a" } }), resolver),
 *     Effect.request(RunLookup({ path: { entity: "acme", project: "mnist", runId: "b" } }), resolver),
 *   ], { concurrency: "unbounded" }); // one request
 * };
 * ```
 */
export function runLookupResolver(
  client: WandbClient,
  maxBatch: number = maxRunsPerBatch,
): RequestResolver.RequestResolver<RunLookup> {
  return batchedByEntity<RunLookup, Run, NotFoundError>(client, maxBatch, {
    entity: ({ path }) => path.entity,
    alone: ({ path }) => getRun(client, path),
    batch: (lookups) => runsBatchQuery(lookups.map((lookup) => lookup.path)),
    field: (data, i, { path }) =>
      Effect.flatMap(batchField(data, "RunsBatch", `r${i}`, ProjectRun), (project) => {
        if (project === null) return Effect.fail(projectNotFound("Run", path));
        if (project.run === null) return Effect.fail(runNotFound("Run", path));
        return Effect.succeed(toRun(path, project.run));
      }),
  });
}

/**
 * The `RunCountsBatch` request: `cN: project(…) { runCount(filters: …) }` for each project and
 * filter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCountsBatchQuery, printDocument } from "@effect-wandb/api/graphql";
 * const request = runCountsBatchQuery([
 *   { project: { entity: "acme", project: "mnist" }, filters: "{}" },
 *   { project: { entity: "acme", project: "mnist" }, filters: '{"state":"finished"}' },
 * ]);
 * assert.ok(printDocument(request.document).includes("c1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.f1, '{"state":"finished"}');
 * ```
 */
export function runCountsBatchQuery(
  counts: ReadonlyArray<{ readonly project: ProjectPath; readonly filters: string }>,
): GraphqlRequest<RunsBatchData> {
  return batchQuery("RunCountsBatch", "c", counts, ({ project, filters }, i) => ({
    declarations: `$p${i}: String!, $e${i}: String!, $f${i}: JSONString`,
    field: `project(name: $p${i}, entityName: $e${i}) { runCount(filters: $f${i}) }`,
    variables: { [`p${i}`]: project.project, [`e${i}`]: project.entity, [`f${i}`]: filters },
  }));
}

const ProjectRunCount = Schema.NullOr(Schema.Struct({ runCount: Schema.Number }));

/** How many runs of a project match a filter, batched with the other counts in flight. */
export interface RunCountLookup extends Request.Request<number, RequestError | NotFoundError> {
  /** Discriminant of the request. */
  readonly _tag: "RunCountLookup";
  /** The project counted. */
  readonly project: ProjectPath;
  /** Filters, already encoded as JSON. */
  readonly filters: string;
}

/** Makes a {@link RunCountLookup}. */
export const RunCountLookup: Request.Constructor<RunCountLookup, "_tag"> = Request.tagged<
  RunCountLookup
>("RunCountLookup");

/**
 * The resolver of {@link RunCountLookup}s, as {@link runLookupResolver} for runs: counts in
 * flight together share a request per entity, a count alone is the official `RunCount`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { RunCountLookup, runCountResolver } from "@effect-wandb/api/runs";
 * const counts = (client: WandbClient) => {
 *   const resolver = runCountResolver(client);
 *   const project = { entity: "acme", project: "mnist" };
 *   return Effect.all([
 *     Effect.request(RunCountLookup({ project, filters: "{}" }), resolver),
 *     Effect.request(RunCountLookup({ project, filters: '{"state":"running"}' }), resolver),
 *   ], { concurrency: "unbounded" }); // one request
 * };
 * ```
 */
export function runCountResolver(
  client: WandbClient,
  maxBatch: number = maxRunsPerBatch,
): RequestResolver.RequestResolver<RunCountLookup> {
  return batchedByEntity<RunCountLookup, number, NotFoundError>(client, maxBatch, {
    entity: ({ project }) => project.entity,
    alone: ({ project, filters }) => countRuns(client, project, filters),
    batch: (lookups) => runCountsBatchQuery(lookups),
    field: (data, i, { project }) =>
      Effect.flatMap(
        batchField(data, "RunCountsBatch", `c${i}`, ProjectRunCount),
        (found) =>
          found === null
            ? Effect.fail(projectNotFound("RunCount", project))
            : Effect.succeed(found.runCount),
      ),
  });
}
