/**
 * Pure builders for the run queries. The documents are the official client's `Runs` and `Run`
 * operations with its two fragments, so a real W&B server accepts them as they are.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import {
  fragment,
  type GraphqlDocument,
  type GraphqlRequest,
  operationDocument,
} from "../core/graphql.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import {
  allRunFields,
  FullRunNode,
  type FullRunNodeData,
  LightRunNode,
  type LightRunNodeData,
  type RunField,
  runFieldSelections,
  type RunNode,
  selectedRunNode,
} from "./decoders.ts";

/** The official client's `LightweightRunFragment`: everything but the JSON blobs. */
export const lightRunFragment: GraphqlDocument = fragment(`
  fragment LightweightRunFragment on Run {
    id tags name displayName sweepName state group jobType commit readOnly createdAt heartbeatAt
    description notes historyLineCount user { name username }
  }
`);

/** The official client's `RunFragment`: adds config, summary, system metrics, history keys. */
export const fullRunFragment: GraphqlDocument = fragment(`
  fragment RunFragment on Run {
    id tags name displayName sweepName state config group jobType commit readOnly createdAt
    heartbeatAt description notes systemMetrics summaryMetrics historyLineCount
    user { name username } historyKeys
  }
`);

const runsSource = (spread: string) => `
  query Runs($project: String!, $entity: String!, $cursor: String, $perPage: Int = 50,
             $order: String, $filters: JSONString) {
    project(name: $project, entityName: $entity) {
      internalId
      runCount(filters: $filters)
      readOnly
      runs(filters: $filters, after: $cursor, first: $perPage, order: $order) {
        edges { node { projectId ...${spread} } cursor }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
`;

const lightRunsDocument = operationDocument(runsSource("LightweightRunFragment"), lightRunFragment);
const fullRunsDocument = operationDocument(runsSource("RunFragment"), fullRunFragment);

/** The light fields, as `LightweightRunFragment` selects them. */
const lightSelection = `
  id tags name displayName sweepName state group jobType commit readOnly createdAt heartbeatAt
  description notes historyLineCount user { name username }
`;

/**
 * A `Runs` document and decoder for a selection of the full fields (made once per selection):
 * the light fields and only what was asked, so W&B does none of the work for the rest.
 */
const selectedRuns = (() => {
  const made = new Map<string, { document: GraphqlDocument; decoder: Schema.Decoder<RunsData> }>();
  return (fields: ReadonlyArray<RunField>) => {
    const chosen = allRunFields.filter((f) => fields.includes(f));
    const key = chosen.join(",");
    let found = made.get(key);
    if (found === undefined) {
      found = {
        document: operationDocument(
          runsSource("RunFieldsFragment"),
          fragment(`
            fragment RunFieldsFragment on Run {
              ${lightSelection} ${chosen.map((f) => runFieldSelections[f]).join(" ")}
            }
          `),
        ),
        decoder: runsData(selectedRunNode(chosen)) as Schema.Decoder<RunsData>,
      };
      made.set(key, found);
    }
    return found;
  };
})();

/** The decoded answer of a `Runs` request. */
export interface RunsData<Node extends RunNode = RunNode> {
  readonly project: {
    readonly runCount: number;
    readonly runs: {
      readonly edges: ReadonlyArray<{ readonly node: Node; readonly cursor: string }>;
      readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
    };
  } | null;
}

const runsData = <Node extends RunNode>(
  node: Schema.Decoder<Node>,
): Schema.Decoder<RunsData<Node>> =>
  Schema.Struct({
    project: Schema.NullOr(Schema.Struct({
      runCount: Schema.Number,
      runs: Schema.Struct({
        edges: Schema.Array(Schema.Struct({ node, cursor: Schema.String })),
        pageInfo: Schema.Struct({
          endCursor: Schema.NullOr(Schema.String),
          hasNextPage: Schema.Boolean,
        }),
      }),
    })),
  });

const LightRunsData: Schema.Decoder<RunsData<LightRunNodeData>> = runsData(LightRunNode);
const FullRunsData: Schema.Decoder<RunsData<FullRunNodeData>> = runsData(FullRunNode);

/** Variables of {@link runsQuery}. */
export interface RunsQueryInput {
  /** The project to list. */
  readonly project: ProjectPath;
  /** Filters, already encoded as a JSON string. */
  readonly filters: string;
  /** Order key, e.g. `+created_at`. */
  readonly order: string;
  /** Page size. */
  readonly perPage: number;
  /** The cursor after which the page starts (`null` for the first page). */
  readonly cursor: string | null;
  /** Select `RunFragment` (config, summary, …) instead of `LightweightRunFragment`. */
  readonly full: boolean;
  /**
   * Select only these of the full fields (with the light ones); `full` is then ignored. All
   * four is `RunFragment`, none `LightweightRunFragment`, as the official client sends them.
   */
  readonly fields?: ReadonlyArray<RunField> | undefined;
}

/**
 * The `Runs` request for one page.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runsQuery } from "@effect-wandb/api/graphql";
 * const request = runsQuery({
 *   project: { entity: "acme", project: "mnist" },
 *   filters: "{}",
 *   order: "+created_at",
 *   perPage: 50,
 *   cursor: null,
 *   full: false,
 * });
 * assert.ok(request.variables.perPage === 50);
 * ```
 */
export function runsQuery(input: RunsQueryInput): GraphqlRequest<RunsData> {
  const fields = input.fields;
  const full = fields === undefined ? input.full : allRunFields.every((f) => fields.includes(f));
  const selection = fields === undefined || full || fields.length === 0
    ? undefined
    : selectedRuns(fields);
  return {
    operation: "Runs",
    document: selection?.document ?? (full ? fullRunsDocument : lightRunsDocument),
    variables: {
      project: input.project.project,
      entity: input.project.entity,
      cursor: input.cursor,
      perPage: input.perPage,
      order: input.order,
      filters: input.filters,
    },
    decoder: selection?.decoder ?? (full ? FullRunsData : LightRunsData),
  };
}

const runDocument = operationDocument(
  `
  query Run($project: String!, $entity: String!, $name: String!) {
    project(name: $project, entityName: $entity) {
      run(name: $name) { projectId ...RunFragment }
    }
  }
`,
  fullRunFragment,
);

/** The decoded answer of a `Run` request. */
export interface RunData {
  readonly project: { readonly run: FullRunNodeData | null } | null;
}

const RunData: Schema.Decoder<RunData> = Schema.Struct({
  project: Schema.NullOr(Schema.Struct({ run: Schema.NullOr(FullRunNode) })),
});

/**
 * The `Run` request (full fields).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runQuery } from "@effect-wandb/api/graphql";
 * const request = runQuery({ entity: "acme", project: "mnist", runId: "abc123" });
 * assert.ok(request.variables.name === "abc123");
 * ```
 */
export function runQuery(path: RunPath): GraphqlRequest<RunData> {
  return {
    operation: "Run",
    document: runDocument,
    variables: { project: path.project, entity: path.entity, name: path.runId },
    decoder: RunData,
  };
}

const runCountDocument = operationDocument(`
  query RunCount($project: String!, $entity: String!, $filters: JSONString) {
    project(name: $project, entityName: $entity) { runCount(filters: $filters) }
  }
`);

/** The decoded answer of a `RunCount` request. */
export interface RunCountData {
  readonly project: { readonly runCount: number } | null;
}

const RunCountData: Schema.Decoder<RunCountData> = Schema.Struct({
  project: Schema.NullOr(Schema.Struct({ runCount: Schema.Number })),
});

/**
 * The `RunCount` request: how many runs match the filters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCountQuery } from "@effect-wandb/api/graphql";
 * const request = runCountQuery({ entity: "acme", project: "mnist" }, "{}");
 * assert.ok(request.operation === "RunCount");
 * ```
 */
export function runCountQuery(project: ProjectPath, filters: string): GraphqlRequest<RunCountData> {
  return {
    operation: "RunCount",
    document: runCountDocument,
    variables: { project: project.project, entity: project.entity, filters },
    decoder: RunCountData,
  };
}
