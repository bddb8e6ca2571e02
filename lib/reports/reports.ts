/**
 * Reports: the official client's `ProjectViews` (W&B keeps reports as views of a project), the
 * `Report` it decodes to with its spec parsed and its sections (panels and run sets) as data,
 * and the reports of a project as a Stream (Python's `api.reports(path, name, per_page)`).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import type * as Stream from "effect/Stream";
import {
  DecodeError,
  type InvalidArgumentError,
  type NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import { paginate } from "../core/pagination.ts";
import type { ProjectPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { parseWandbJson } from "../core/wandb_json.ts";
import { appUrl } from "../runs/changes.ts";

/** A report node as `ProjectViews` selects it. */
export interface ReportNodeData {
  readonly id: string;
  readonly name: string | null;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly user: {
    readonly username: string | null;
    readonly photoUrl: string | null;
    readonly email: string | null;
  } | null;
  readonly spec: string | null;
  readonly updatedAt: string | null;
  readonly createdAt: string;
}

/** Decodes a `ProjectViews` node. */
export const ReportNode: Schema.Decoder<ReportNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.NullOr(Schema.String),
  displayName: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  user: Schema.NullOr(Schema.Struct({
    username: Schema.NullOr(Schema.String),
    photoUrl: Schema.NullOr(Schema.String),
    email: Schema.NullOr(Schema.String),
  })),
  spec: Schema.NullOr(Schema.String),
  updatedAt: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
});

/** A section of a report: a panel group, its panels and the run sets they show. */
export interface ReportSection {
  readonly name: string | null;
  readonly panels: ReadonlyArray<unknown>;
  readonly runSets: ReadonlyArray<unknown>;
}

/** A report (Python's `BetaReport`). */
export interface Report {
  readonly id: string;
  readonly name: string | null;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly entity: string;
  readonly project: string;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly user: { readonly username: string | null; readonly email: string | null } | null;
  /** Its page in the W&B app. */
  readonly url: string;
  /** The spec, decoded (W&B's JSON rules). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The spec's sections (`panelGroups`), each with its panels and run sets. */
  readonly sections: ReadonlyArray<ReportSection>;
}

/** The decoded answer of `ProjectViews`. */
export interface ReportsData {
  readonly project: {
    readonly allViews: {
      readonly edges: ReadonlyArray<{ readonly node: ReportNodeData; readonly cursor: string }>;
      readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
    } | null;
  } | null;
}

const reportsDocument = operationDocument(`
  query ProjectViews($project: String!, $entity: String!, $reportCursor: String,
                     $reportLimit: Int!, $viewType: String = "runs", $viewName: String) {
    project(name: $project, entityName: $entity) {
      allViews(viewType: $viewType, viewName: $viewName, first: $reportLimit, after: $reportCursor) {
        edges {
          node { id name displayName description user { username photoUrl email } spec updatedAt createdAt }
          cursor
        }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
`);

/**
 * `ProjectViews`: a page of a project's reports (only those named `name`, when given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(reportsQuery({ entity: "a", project: "p" }, null, 50, null).operation === "ProjectViews");
 * ```
 */
export function reportsQuery(
  project: ProjectPath,
  name: string | null,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<ReportsData> {
  return {
    operation: "ProjectViews",
    document: reportsDocument,
    variables: {
      project: project.project,
      entity: project.entity,
      viewName: name,
      reportCursor: cursor,
      reportLimit: perPage,
    },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        allViews: Schema.NullOr(Schema.Struct({
          edges: Schema.Array(Schema.Struct({ node: ReportNode, cursor: Schema.String })),
          pageInfo: Schema.Struct({
            endCursor: Schema.NullOr(Schema.String),
            hasNextPage: Schema.Boolean,
          }),
        })),
      })),
    }),
  };
}

const asList = (value: unknown): ReadonlyArray<unknown> => Array.isArray(value) ? value : [];

/** Builds a {@link Report}, its spec parsed (a `DecodeError` naming it when it is not JSON). */
export function toReport(
  project: ProjectPath,
  node: ReportNodeData,
  baseUrl: string,
): Effect.Effect<Report, DecodeError> {
  return Effect.try({
    try: () => {
      const spec = node.spec === null || node.spec === "" ? {} : parseWandbJson(node.spec);
      if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
        throw new Error("not an object");
      }
      return spec as Record<string, unknown>;
    },
    catch: (e) =>
      new DecodeError({
        operation: "ProjectViews",
        path: "project.allViews.node.spec",
        message: `The spec of report ${node.displayName ?? node.id} is not a JSON object: ${
          e instanceof Error ? e.message : e
        }`,
      }),
  }).pipe(Effect.map((spec) => {
    const slug = encodeURIComponent((node.displayName ?? "").replaceAll(" ", "-"));
    return {
      id: node.id,
      name: node.name,
      displayName: node.displayName,
      description: node.description,
      entity: project.entity,
      project: project.project,
      createdAt: node.createdAt,
      updatedAt: node.updatedAt,
      user: node.user === null ? null : { username: node.user.username, email: node.user.email },
      url: `${appUrl(baseUrl)}/${project.entity}/${project.project}/reports/${slug}--${
        node.id.replaceAll("=", "")
      }`,
      spec,
      sections: asList(spec["panelGroups"]).map((group) => {
        const g = (typeof group === "object" && group !== null ? group : {}) as Record<
          string,
          unknown
        >;
        return {
          name: typeof g["name"] === "string" ? g["name"] : null,
          panels: asList(g["panels"]),
          runSets: asList(g["runSets"]),
        };
      }),
    };
  }));
}

/**
 * A project's reports, lazily (Python's `api.reports(path, name, per_page)`); only those named
 * `name` when given.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { listReports } from "@effect-wandb/api/reports";
 * const all = (client: WandbClient) => Stream.runCollect(listReports(client, { entity: "acme", project: "mnist" }));
 * ```
 */
export function listReports(
  client: WandbClient,
  project: ProjectPath,
  options?: { readonly name?: string | undefined; readonly perPage?: number | undefined },
): Stream.Stream<Report, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = options?.perPage ?? 50;
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "ProjectViews",
      fetchPage: (cursor) =>
        client.execute(reportsQuery(project, options?.name ?? null, perPage, cursor)).pipe(
          Effect.flatMap((data): Effect.Effect<
            { items: Array<Report>; nextCursor: string | null; hasNextPage: boolean },
            RequestError | NotFoundError
          > => {
            if (data.project === null) return Effect.fail(projectNotFound("ProjectViews", project));
            const views = data.project.allViews;
            const edges = views?.edges ?? [];
            return Effect.forEach(
              edges,
              ({ node }) => toReport(project, node, client.config.baseUrl),
            )
              .pipe(
                Effect.map((items) => ({
                  items,
                  nextCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : null,
                  hasNextPage: views?.pageInfo.hasNextPage ?? false,
                })),
              );
          }),
        ),
    }),
  );
}
