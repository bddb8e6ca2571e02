/**
 * Sweeps: the official client's `GetSweep` and `GetSweeps` (queries), the `Sweep` they decode to
 * (its YAML or JSON config parsed, its metric and goal read from it), a sweep's runs as a
 * Stream, and its best run by the sweep's own metric (Python's `api.sweep(path)`,
 * `project.sweeps()`, `sweep.runs`, `sweep.best_run()`).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import * as Stream from "effect/Stream";
import { load } from "js-yaml";
import {
  DecodeError,
  type InvalidArgumentError,
  NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import {
  fragment,
  type GraphqlDocument,
  type GraphqlRequest,
  operationDocument,
} from "../core/graphql.ts";
import { paginate } from "../core/pagination.ts";
import type { ProjectPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { parseWandbJson } from "../core/wandb_json.ts";
import type { Run } from "../runs/decoders.ts";
import { listRuns } from "../runs/operations.ts";
import { appUrl } from "../runs/changes.ts";

/** The official client's `SweepFragment`. */
export const sweepFragment: GraphqlDocument = fragment(`
  fragment SweepFragment on Sweep {
    __typename id name displayName method state description bestLoss config createdAt updatedAt
    runCount runCountExpected
  }
`);

/** A sweep node as `SweepFragment` selects it. */
export interface SweepNodeData {
  readonly id: string;
  readonly name: string;
  readonly displayName: string | null;
  readonly method: string | null;
  readonly state: string | null;
  readonly description: string | null;
  readonly bestLoss: number | null;
  readonly config: string | null;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly runCount: number;
  readonly runCountExpected: number | null;
}

/** Decodes `SweepFragment`. */
export const SweepNode: Schema.Decoder<SweepNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  method: Schema.NullOr(Schema.String),
  state: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  bestLoss: Schema.NullOr(Schema.Number),
  config: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.NullOr(Schema.String),
  runCount: Schema.Number,
  runCountExpected: Schema.NullOr(Schema.Number),
});

/** A sweep (Python's `Sweep`). */
export interface Sweep {
  /** The sweep's id, as in its path (`entity/project/<id>`) and Python's `sweep.id`. */
  readonly id: string;
  /** The same id: what W&B's GraphQL calls the sweep's `name`. */
  readonly name: string;
  /** The server's node id (`U3dlZXA6MQ==`), as `Run.storageId` is a run's. */
  readonly storageId: string;
  readonly displayName: string | null;
  readonly entity: string;
  readonly project: string;
  /** `entity/project/name`. */
  readonly path: string;
  /** `grid`, `random`, `bayes`. */
  readonly method: string | null;
  /** `RUNNING`, `PAUSED`, `FINISHED`, `CANCELED`, … */
  readonly state: string | null;
  readonly description: string | null;
  /** The config, decoded from the YAML (or JSON) W&B stores. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The metric the sweep optimizes, from its config. */
  readonly metric: { readonly name: string; readonly goal: "minimize" | "maximize" } | null;
  readonly bestLoss: number | null;
  readonly runCount: number;
  /** How many runs the sweep plans (Python's `expected_run_count`). */
  readonly expectedRunCount: number | null;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  /** Its page in the W&B app. */
  readonly url: string;
}

/**
 * Decodes a sweep's config: YAML, which JSON also is, as W&B stores it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSweepConfig } from "@effect-wandb/api/sweeps";
 * const c = parseSweepConfig("method: bayes\nmetric:\n  name: loss\n  goal: minimize\n");
 * assert.ok(c.method === "bayes");
 * ```
 */
export function parseSweepConfig(text: string | null): Readonly<Record<string, unknown>> {
  if (text === null || text.trim() === "") return {};
  let value: unknown;
  try {
    value = parseWandbJson(text);
  } catch {
    value = load(text);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("a sweep config is a mapping");
  }
  return value as Record<string, unknown>;
}

/** Builds a {@link Sweep} from its node (failing with a `DecodeError` on a config it cannot read). */
export function toSweep(
  project: ProjectPath,
  node: SweepNodeData,
  baseUrl: string,
): Effect.Effect<Sweep, DecodeError> {
  return Effect.try({
    try: () => parseSweepConfig(node.config),
    catch: (e) =>
      new DecodeError({
        operation: "GetSweep",
        path: "project.sweep.config",
        message: `The sweep's config is neither YAML nor JSON: ${
          e instanceof Error ? e.message : e
        }`,
      }),
  }).pipe(Effect.map((config) => {
    const metric = config["metric"] as { name?: unknown; goal?: unknown } | undefined;
    return {
      id: node.name,
      name: node.name,
      storageId: node.id,
      displayName: node.displayName,
      entity: project.entity,
      project: project.project,
      path: `${project.entity}/${project.project}/${node.name}`,
      method: node.method ?? (typeof config["method"] === "string" ? config["method"] : null),
      state: node.state,
      description: node.description,
      config,
      metric: typeof metric?.name === "string"
        ? { name: metric.name, goal: metric.goal === "maximize" ? "maximize" : "minimize" }
        : null,
      bestLoss: node.bestLoss,
      runCount: node.runCount,
      expectedRunCount: node.runCountExpected,
      createdAt: node.createdAt,
      updatedAt: node.updatedAt,
      url: `${appUrl(baseUrl)}/${project.entity}/${project.project}/sweeps/${node.name}`,
    };
  }));
}

/** The decoded answer of `GetSweep`. */
export interface SweepData {
  readonly project: { readonly sweep: SweepNodeData | null } | null;
}

const sweepDocument = operationDocument(
  `
  query GetSweep($name: String!, $project: String, $entity: String) {
    project(name: $project, entityName: $entity) { sweep(sweepName: $name) { ...SweepFragment } }
  }
`,
  sweepFragment,
);

/**
 * `GetSweep`: one sweep by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepQuery } from "@effect-wandb/api/graphql";
 * assert.ok(sweepQuery({ entity: "a", project: "p" }, "swp1").variables.name === "swp1");
 * ```
 */
export function sweepQuery(project: ProjectPath, name: string): GraphqlRequest<SweepData> {
  return {
    operation: "GetSweep",
    document: sweepDocument,
    variables: { entity: project.entity, project: project.project, name },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({ sweep: Schema.NullOr(SweepNode) })),
    }),
  };
}

/** The decoded answer of `GetSweeps`. */
export interface SweepsData {
  readonly project: {
    readonly totalSweeps: number;
    readonly sweeps: {
      readonly edges: ReadonlyArray<{ readonly node: SweepNodeData }>;
      readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
    } | null;
  } | null;
}

const sweepsDocument = operationDocument(
  `
  query GetSweeps($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50) {
    project(name: $project, entityName: $entity) {
      totalSweeps
      sweeps(after: $cursor, first: $perPage) {
        pageInfo { __typename endCursor hasNextPage } edges { node { ...SweepFragment } }
      }
    }
  }
`,
  sweepFragment,
);

/**
 * `GetSweeps`: a page of a project's sweeps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(sweepsQuery({ entity: "a", project: "p" }, 50, null).operation === "GetSweeps");
 * ```
 */
export function sweepsQuery(
  project: ProjectPath,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<SweepsData> {
  return {
    operation: "GetSweeps",
    document: sweepsDocument,
    variables: { entity: project.entity, project: project.project, perPage, cursor },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        totalSweeps: Schema.Number,
        sweeps: Schema.NullOr(Schema.Struct({
          edges: Schema.Array(Schema.Struct({ node: SweepNode })),
          pageInfo: Schema.Struct({
            endCursor: Schema.NullOr(Schema.String),
            hasNextPage: Schema.Boolean,
          }),
        })),
      })),
    }),
  };
}

/**
 * One sweep (Python's `api.sweep("entity/project/sweep_id")`); `NotFoundError` naming it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getSweep } from "@effect-wandb/api/sweeps";
 * const sweep = (client: WandbClient) => getSweep(client, { entity: "acme", project: "mnist" }, "swp1");
 * ```
 */
export function getSweep(
  client: WandbClient,
  project: ProjectPath,
  name: string,
): Effect.Effect<Sweep, RequestError | NotFoundError> {
  return client.execute(sweepQuery(project, name)).pipe(
    Effect.flatMap((data): Effect.Effect<Sweep, RequestError | NotFoundError> => {
      if (data.project === null) return Effect.fail(projectNotFound("GetSweep", project));
      if (data.project.sweep === null) {
        const path = `${project.entity}/${project.project}/${name}`;
        return Effect.fail(
          new NotFoundError({
            operation: "GetSweep",
            resource: "sweep",
            path,
            message: `Could not find sweep ${path}`,
          }),
        );
      }
      return toSweep(project, data.project.sweep, client.config.baseUrl);
    }),
  );
}

/**
 * A project's sweeps, lazily (Python's `project.sweeps()`).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { listSweeps } from "@effect-wandb/api/sweeps";
 * const all = (client: WandbClient) => Stream.runCollect(listSweeps(client, { entity: "acme", project: "mnist" }));
 * ```
 */
export function listSweeps(
  client: WandbClient,
  project: ProjectPath,
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<Sweep, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = options?.perPage ?? 50;
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "GetSweeps",
      fetchPage: (cursor) =>
        client.execute(sweepsQuery(project, perPage, cursor)).pipe(
          Effect.flatMap((data): Effect.Effect<
            { items: Array<Sweep>; nextCursor: string | null; hasNextPage: boolean },
            RequestError | NotFoundError
          > => {
            if (data.project === null) return Effect.fail(projectNotFound("GetSweeps", project));
            const sweeps = data.project.sweeps;
            return Effect.forEach(
              sweeps?.edges ?? [],
              ({ node }) => toSweep(project, node, client.config.baseUrl),
            ).pipe(Effect.map((items) => ({
              items,
              nextCursor: sweeps?.pageInfo.endCursor ?? null,
              hasNextPage: sweeps?.pageInfo.hasNextPage ?? false,
            })));
          }),
        ),
    }),
  );
}

/**
 * A sweep's runs, lazily (Python's `sweep.runs`): the project's runs whose sweep is this one.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getSweep, sweepRuns } from "@effect-wandb/api/sweeps";
 * const runs = (client: WandbClient) =>
 *   getSweep(client, { entity: "acme", project: "mnist" }, "swp1").pipe(
 *     Effect.flatMap((s) => Stream.runCollect(sweepRuns(client, s))),
 *   );
 * ```
 */
export function sweepRuns(
  client: WandbClient,
  sweep: Sweep,
  options?: { readonly order?: string | undefined; readonly perPage?: number | undefined },
): Stream.Stream<Run, RequestError | NotFoundError> {
  return listRuns(client, {
    project: { entity: sweep.entity, project: sweep.project },
    filters: JSON.stringify({ sweep: sweep.name }),
    order: options?.order ?? "+created_at",
    perPage: options?.perPage ?? 50,
    full: true,
  });
}

/**
 * The sweep's best run (Python's `sweep.best_run(order)`): by `order` when given
 * (`"-summary_metrics.acc"`), else by the sweep's metric and goal; `null` without runs or
 * without a metric to rank by. Runs that never logged the metric come last.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { bestSweepRun, getSweep } from "@effect-wandb/api/sweeps";
 * const best = (client: WandbClient) =>
 *   getSweep(client, { entity: "acme", project: "mnist" }, "swp1").pipe(
 *     Effect.flatMap((s) => bestSweepRun(client, s)),
 *   );
 * ```
 */
export function bestSweepRun(
  client: WandbClient,
  sweep: Sweep,
  options?: { readonly order?: string | undefined },
): Effect.Effect<Run | null, RequestError | NotFoundError> {
  const order = options?.order ??
    (sweep.metric === null
      ? undefined
      : `${sweep.metric.goal === "maximize" ? "-" : "+"}summary_metrics.${sweep.metric.name}`);
  if (order === undefined) return Effect.succeed(null);
  return sweepRuns(client, sweep, { order, perPage: 1 }).pipe(
    Stream.take(1),
    Stream.runHead,
    Effect.map((head) => head._tag === "Some" ? head.value : null),
  );
}
