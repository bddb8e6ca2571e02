/**
 * Batched run lookups: `api.run(path)` calls in flight together go out as one GraphQL request
 * with an aliased `project { run }` field per run (at most {@link maxRunsPerBatch}), through an
 * Effect `RequestResolver`. A hundred lookups cost four requests instead of a hundred. The same
 * for `api.runCount(path, { filters })`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Request from "effect/Request";
import * as RequestResolver from "effect/RequestResolver";
import * as Schema from "effect/Schema";
import { DecodeError, type NotFoundError, type RequestError } from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { issuePath } from "../core/transport.ts";
import { FullRunNode, type FullRunNodeData, type Run, toRun } from "./decoders.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import { countRuns, getRun } from "./operations.ts";
import { fullRunFragment } from "./queries.ts";

/** Runs looked up per request at most: a document of 25 aliased fields stays small. */
export const maxRunsPerBatch = 25;

/** The answer of a batch: one `rN` field per run asked for. */
export type RunsBatchData = Readonly<Record<string, unknown>>;

/**
 * The `RunsBatch` request: `rN: project(…) { run(…) { …RunFragment } }` for each path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { print } from "graphql";
 * import { runsBatchQuery } from "@effect-wandb/api";
 * const request = runsBatchQuery([
 *   { entity: "acme", project: "mnist", runId: "a" },
 *   { entity: "acme", project: "mnist", runId: "b" },
 * ]);
 * assert.ok(print(request.document).includes("r1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.n1, "b");
 * ```
 */
export function runsBatchQuery(paths: ReadonlyArray<RunPath>): GraphqlRequest<RunsBatchData> {
  const declarations = paths.map((_, i) => `$p${i}: String!, $e${i}: String!, $n${i}: String!`);
  const fields = paths.map((_, i) =>
    `r${i}: project(name: $p${i}, entityName: $e${i}) { run(name: $n${i}) { projectId ...RunFragment } }`
  );
  const variables: Record<string, string> = {};
  paths.forEach((path, i) => {
    variables[`p${i}`] = path.project;
    variables[`e${i}`] = path.entity;
    variables[`n${i}`] = path.runId;
  });
  return {
    operation: "RunsBatch",
    document: operationDocument(
      `query RunsBatch(${declarations.join(", ")}) { ${fields.join(" ")} }`,
      fullRunFragment,
    ),
    variables,
    // Each field is decoded on its own below: one malformed run fails its lookup, not the batch.
    decoder: Schema.Record(Schema.String, Schema.Unknown),
  };
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

/** The run of field `rN` of a batch's answer, or why there is none. */
function runOf(
  data: RunsBatchData,
  index: number,
  path: RunPath,
): Exit.Exit<Run, RequestError | NotFoundError> {
  const decoded = Schema.decodeUnknownExit(ProjectRun)(data[`r${index}`] ?? null);
  if (Exit.isFailure(decoded)) {
    const issue = decoded.cause.reasons.find((r) => r._tag === "Fail");
    return Exit.fail(
      new DecodeError({
        operation: "RunsBatch",
        path: issue?._tag === "Fail" ? `r${index}.${issuePath(issue.error.issue)}` : `r${index}`,
        message: issue?._tag === "Fail" ? issue.error.message : "malformed run",
      }),
    );
  }
  const project = decoded.value as { readonly run: FullRunNodeData | null } | null;
  if (project === null) return Exit.fail(projectNotFound("Run", path));
  if (project.run === null) return Exit.fail(runNotFound("Run", path));
  return Exit.succeed(toRun(path, project.run));
}

/**
 * The resolver of {@link RunLookup}s: the lookups in flight together, up to
 * {@link maxRunsPerBatch} per request, each completed with its run or its own error (a
 * request that fails fails the lookups it carried).
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { RunLookup, runLookupResolver, type WandbClient } from "@effect-wandb/api";
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
  const one = (entry: Request.Entry<RunLookup>) =>
    Effect.exit(getRun(client, entry.request.path)).pipe(
      Effect.map((exit) => entry.completeUnsafe(exit)),
    );
  return RequestResolver.makeGrouped<RunLookup, string>({
    // One entity per request: W&B refuses a whole request (HTTP 403) for an entity the key may
    // not read, which must fail only the lookups of that entity.
    key: (entry) => entry.request.path.entity,
    resolver: (entries) =>
      entries.length === 1
        // A lookup alone is the official client's own `Run` request.
        ? one(entries[0])
        : client.execute(runsBatchQuery(entries.map((entry) => entry.request.path))).pipe(
          Effect.map((data) => {
            entries.forEach((entry, i) => entry.completeUnsafe(runOf(data, i, entry.request.path)));
          }),
          // A GraphQL error names no field we could blame: ask for each run on its own.
          Effect.catchTag("GraphqlError", () => Effect.forEach(entries, one, { discard: true })),
        ),
  }).pipe(RequestResolver.batchN(maxBatch));
}

/**
 * The `RunCountsBatch` request: `cN: project(…) { runCount(filters: …) }` for each project and
 * filter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { print } from "graphql";
 * import { runCountsBatchQuery } from "@effect-wandb/api";
 * const request = runCountsBatchQuery([
 *   { project: { entity: "acme", project: "mnist" }, filters: "{}" },
 *   { project: { entity: "acme", project: "mnist" }, filters: '{"state":"finished"}' },
 * ]);
 * assert.ok(print(request.document).includes("c1: project(name: $p1, entityName: $e1)"));
 * assert.equal(request.variables.f1, '{"state":"finished"}');
 * ```
 */
export function runCountsBatchQuery(
  counts: ReadonlyArray<{ readonly project: ProjectPath; readonly filters: string }>,
): GraphqlRequest<RunsBatchData> {
  const declarations = counts.map((_, i) => `$p${i}: String!, $e${i}: String!, $f${i}: JSONString`);
  const fields = counts.map((_, i) =>
    `c${i}: project(name: $p${i}, entityName: $e${i}) { runCount(filters: $f${i}) }`
  );
  const variables: Record<string, string> = {};
  counts.forEach(({ project, filters }, i) => {
    variables[`p${i}`] = project.project;
    variables[`e${i}`] = project.entity;
    variables[`f${i}`] = filters;
  });
  return {
    operation: "RunCountsBatch",
    document: operationDocument(
      `query RunCountsBatch(${declarations.join(", ")}) { ${fields.join(" ")} }`,
    ),
    variables,
    decoder: Schema.Record(Schema.String, Schema.Unknown),
  };
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
 * import { RunCountLookup, runCountResolver, type WandbClient } from "@effect-wandb/api";
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
  const one = (entry: Request.Entry<RunCountLookup>) =>
    Effect.exit(countRuns(client, entry.request.project, entry.request.filters)).pipe(
      Effect.map((exit) => entry.completeUnsafe(exit)),
    );
  const countOf = (
    data: RunsBatchData,
    index: number,
    project: ProjectPath,
  ): Exit.Exit<number, RequestError | NotFoundError> => {
    const decoded = Schema.decodeUnknownExit(ProjectRunCount)(data[`c${index}`] ?? null);
    if (Exit.isFailure(decoded)) {
      return Exit.fail(
        new DecodeError({ operation: "RunCountsBatch", path: `c${index}`, message: "malformed" }),
      );
    }
    const value = decoded.value as { readonly runCount: number } | null;
    return value === null
      ? Exit.fail(projectNotFound("RunCount", project))
      : Exit.succeed(value.runCount);
  };
  return RequestResolver.makeGrouped<RunCountLookup, string>({
    key: (entry) => entry.request.project.entity,
    resolver: (entries) =>
      entries.length === 1 ? one(entries[0]) : client.execute(
        runCountsBatchQuery(entries.map((e) => e.request)),
      ).pipe(
        Effect.map((data) => {
          entries.forEach((entry, i) =>
            entry.completeUnsafe(countOf(data, i, entry.request.project))
          );
        }),
        Effect.catchTag("GraphqlError", () => Effect.forEach(entries, one, { discard: true })),
      ),
  }).pipe(RequestResolver.batchN(maxBatch));
}
