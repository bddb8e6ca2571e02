/**
 * The console-log requests, as the official client (wandb-core 0.30) sends them: a page of a
 * run's log from a cursor (`RunConsoleLogPage`, W&B Server 0.77 and later), or its last lines
 * (`RunConsoleLogTail`, every release).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { RunPath } from "../core/paths.ts";

/** A line of a console log, as the server sends it. */
export interface LogLineData {
  readonly number: number;
  readonly timestamp: string | null;
  readonly level: string | null;
  readonly label: string | null;
  readonly line: string;
}

/** The decoded answer of a console-log request. */
export type ConsoleLogData = {
  readonly project: {
    readonly run: {
      readonly logLineCount: number | null;
      readonly logLines: {
        readonly edges: ReadonlyArray<{ readonly node: LogLineData }>;
        readonly pageInfo?:
          | { readonly endCursor: string | null; readonly hasNextPage: boolean }
          | undefined;
      } | null;
    } | null;
  } | null;
};

const LogLine = Schema.Struct({
  number: Schema.Number,
  timestamp: Schema.NullOr(Schema.String),
  level: Schema.NullOr(Schema.String),
  label: Schema.NullOr(Schema.String),
  line: Schema.String,
});

const decoder: Schema.Decoder<ConsoleLogData> = Schema.Struct({
  project: Schema.NullOr(Schema.Struct({
    run: Schema.NullOr(Schema.Struct({
      logLineCount: Schema.NullOr(Schema.Number),
      logLines: Schema.NullOr(Schema.Struct({
        edges: Schema.Array(Schema.Struct({ node: LogLine })),
        pageInfo: Schema.optional(Schema.Struct({
          endCursor: Schema.NullOr(Schema.String),
          hasNextPage: Schema.Boolean,
        })),
      })),
    })),
  })),
});

const lineFields = "edges { node { number timestamp level label line } }";

const pageDocument = operationDocument(`
  query RunConsoleLogPage($entity: String!, $project: String!, $runName: String!, $first: Int,
                          $after: String) {
    project(name: $project, entityName: $entity) {
      run(name: $runName) {
        logLineCount
        logLines(first: $first, after: $after, useImprovedPagination: true) {
          ${lineFields} pageInfo { endCursor hasNextPage }
        }
      }
    }
  }
`);

const tailDocument = operationDocument(`
  query RunConsoleLogTail($entity: String!, $project: String!, $runName: String!, $last: Int!) {
    project(name: $project, entityName: $entity) {
      run(name: $runName) { logLineCount logLines(last: $last) { ${lineFields} } }
    }
  }
`);

/**
 * `RunConsoleLogPage`: the `first` lines of a run's console log after `after`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consoleLogPageQuery } from "@effect-wandb/api/console";
 * const r = consoleLogPageQuery({ entity: "acme", project: "mnist", runId: "abc" }, 1000, null);
 * assert.ok(r.operation === "RunConsoleLogPage");
 * ```
 */
export function consoleLogPageQuery(
  run: RunPath,
  first: number,
  after: string | null,
): GraphqlRequest<ConsoleLogData> {
  return {
    operation: "RunConsoleLogPage",
    document: pageDocument,
    variables: { entity: run.entity, project: run.project, runName: run.runId, first, after },
    decoder,
  };
}

/**
 * `RunConsoleLogTail`: the last `last` lines of a run's console log (the server caps them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consoleLogTailQuery } from "@effect-wandb/api/console";
 * const r = consoleLogTailQuery({ entity: "acme", project: "mnist", runId: "abc" }, 100);
 * assert.ok(r.operation === "RunConsoleLogTail");
 * ```
 */
export function consoleLogTailQuery(run: RunPath, last: number): GraphqlRequest<ConsoleLogData> {
  return {
    operation: "RunConsoleLogTail",
    document: tailDocument,
    variables: { entity: run.entity, project: run.project, runName: run.runId, last },
    decoder,
  };
}
