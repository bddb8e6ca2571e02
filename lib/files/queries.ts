/**
 * Pure builders for the run-file requests: the official client's `RunFiles`, `CreateRunFiles`
 * and `deleteFiles`, with its operation and variable names, so a real W&B server accepts them.
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
import type { RunPath } from "../core/paths.ts";
import { RunFileNode, type RunFileNodeData } from "./decoders.ts";

/** The official client's `RunFilesFragment`. */
export const runFilesFragment: GraphqlDocument = fragment(`
  fragment RunFilesFragment on Run {
    files(names: $fileNames, after: $fileCursor, first: $fileLimit, pattern: $pattern) {
      edges { node { id name url(upload: $upload) directUrl sizeBytes mimetype updatedAt md5 } cursor }
      pageInfo { endCursor hasNextPage }
    }
  }
`);

const runFilesDocument = operationDocument(
  `
  query RunFiles($project: String!, $entity: String!, $name: String!, $fileCursor: String,
                 $fileLimit: Int = 50, $fileNames: [String] = [], $upload: Boolean = false,
                 $pattern: String) {
    project(name: $project, entityName: $entity) {
      internalId
      run(name: $name) { fileCount ...RunFilesFragment }
    }
  }
`,
  runFilesFragment,
);

/** The decoded answer of a `RunFiles` request. */
export interface RunFilesData {
  readonly project: {
    readonly internalId: string | null;
    readonly run: {
      readonly fileCount: number | null;
      readonly files: {
        readonly edges: ReadonlyArray<{ readonly node: RunFileNodeData; readonly cursor: string }>;
        readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
      } | null;
    } | null;
  } | null;
}

const RunFilesData: Schema.Decoder<RunFilesData> = Schema.Struct({
  project: Schema.NullOr(Schema.Struct({
    internalId: Schema.NullOr(Schema.String),
    run: Schema.NullOr(Schema.Struct({
      fileCount: Schema.NullOr(Schema.Number),
      files: Schema.NullOr(Schema.Struct({
        edges: Schema.Array(Schema.Struct({ node: RunFileNode, cursor: Schema.String })),
        pageInfo: Schema.Struct({
          endCursor: Schema.NullOr(Schema.String),
          hasNextPage: Schema.Boolean,
        }),
      })),
    })),
  })),
});

/** Variables of {@link runFilesQuery} beyond the run. */
export interface RunFilesInput {
  /** Only these names (all when empty). */
  readonly names: ReadonlyArray<string>;
  /** Files per request. */
  readonly perPage: number;
  /** SQL `LIKE` pattern of names (`%.json`), as W&B matches it. */
  readonly pattern: string | null;
  /** The cursor after which the page starts. */
  readonly cursor: string | null;
}

/**
 * The `RunFiles` request for one page of a run's files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runFilesQuery } from "@effect-wandb/api/graphql";
 * const r = runFilesQuery({ entity: "acme", project: "mnist", runId: "abc" }, {
 *   names: [],
 *   perPage: 50,
 *   pattern: "%.json",
 *   cursor: null,
 * });
 * assert.ok(r.operation === "RunFiles" && r.variables.pattern === "%.json");
 * ```
 */
export function runFilesQuery(path: RunPath, input: RunFilesInput): GraphqlRequest<RunFilesData> {
  return {
    operation: "RunFiles",
    document: runFilesDocument,
    variables: {
      project: path.project,
      entity: path.entity,
      name: path.runId,
      fileNames: input.names,
      upload: false,
      pattern: input.pattern,
      fileLimit: input.perPage,
      fileCursor: input.cursor,
    },
    decoder: RunFilesData,
  };
}

const createRunFilesDocument = operationDocument(`
  mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
    createRunFiles(input: {entityName: $entity, projectName: $project, runName: $run, files: $files}) {
      runID uploadHeaders files { name uploadUrl }
    }
  }
`);

/** The decoded answer of `CreateRunFiles`: where to `PUT` each file, and with which headers. */
export interface CreateRunFilesData {
  readonly createRunFiles: {
    readonly runID: string;
    readonly uploadHeaders: ReadonlyArray<string>;
    readonly files: ReadonlyArray<{ readonly name: string; readonly uploadUrl: string | null }>;
  } | null;
}

const CreateRunFilesData: Schema.Decoder<CreateRunFilesData> = Schema.Struct({
  createRunFiles: Schema.NullOr(Schema.Struct({
    runID: Schema.String,
    uploadHeaders: Schema.Array(Schema.String),
    files: Schema.Array(Schema.Struct({
      name: Schema.String,
      uploadUrl: Schema.NullOr(Schema.String),
    })),
  })),
});

/**
 * The `CreateRunFiles` mutation: signed upload URLs for files of a run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRunFilesMutation } from "@effect-wandb/api/graphql";
 * const r = createRunFilesMutation({ entity: "acme", project: "mnist", runId: "abc" }, ["a.txt"]);
 * assert.ok(r.operation === "CreateRunFiles");
 * ```
 */
export function createRunFilesMutation(
  path: RunPath,
  names: ReadonlyArray<string>,
): GraphqlRequest<CreateRunFilesData> {
  return {
    operation: "CreateRunFiles",
    document: createRunFilesDocument,
    variables: { entity: path.entity, project: path.project, run: path.runId, files: names },
    decoder: CreateRunFilesData,
  };
}

const deleteFilesDocument = operationDocument(`
  mutation deleteFiles($files: [ID!]!, $projectId: Int) {
    deleteFiles(input: {files: $files, projectId: $projectId}) { success }
  }
`);

/** The decoded answer of `deleteFiles`. */
export interface DeleteFilesData {
  readonly deleteFiles: { readonly success: boolean } | null;
}

const DeleteFilesData: Schema.Decoder<DeleteFilesData> = Schema.Struct({
  deleteFiles: Schema.NullOr(Schema.Struct({ success: Schema.Boolean })),
});

/**
 * The `deleteFiles` mutation (Python's `File.delete()`), by file node ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteFilesMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteFilesMutation(["RmlsZTox"], 7).variables.projectId === 7);
 * ```
 */
export function deleteFilesMutation(
  ids: ReadonlyArray<string>,
  projectId: number | null,
): GraphqlRequest<DeleteFilesData> {
  return {
    operation: "deleteFiles",
    document: deleteFilesDocument,
    variables: { files: ids, projectId },
    decoder: DeleteFilesData,
  };
}
