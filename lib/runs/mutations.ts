/**
 * Pure builders for the run and project mutations: the official client's `UpsertBucket`
 * (creating and updating runs, only the fields that change), `DeleteRun`, `RunState`,
 * `updateRunState` and `CreateProject`, with its operation and variable names.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import { FullRunNode, type FullRunNodeData } from "./decoders.ts";
import { fullRunFragment } from "./queries.ts";

/** What {@link updateRunMutation} may change; each field given is sent, the rest is not. */
export interface RunUpdateFields {
  readonly displayName?: string | undefined;
  readonly description?: string | undefined;
  readonly notes?: string | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
  readonly groupName?: string | undefined;
  readonly jobType?: string | undefined;
  /** The whole stored config, as JSON text (`{key: {value, desc}}`). */
  readonly config?: string | undefined;
  /** The whole summary, as JSON text. */
  readonly summaryMetrics?: string | undefined;
}

/** The decoded answer of an `UpsertBucket` that selects the run. */
export interface UpsertBucketData {
  readonly upsertBucket: {
    readonly bucket: (FullRunNodeData & { readonly projectId?: string | null }) | null;
    readonly inserted?: boolean | null;
  } | null;
}

const UpsertBucketData: Schema.Decoder<UpsertBucketData> = Schema.Struct({
  upsertBucket: Schema.NullOr(Schema.Struct({
    bucket: Schema.NullOr(FullRunNode),
    inserted: Schema.optional(Schema.NullOr(Schema.Boolean)),
  })),
});

/** GraphQL names and types of the updatable fields, as the official client names them. */
const updatable: ReadonlyArray<readonly [keyof RunUpdateFields, string, string, string]> = [
  ["description", "description", "description", "String"],
  ["displayName", "display_name", "displayName", "String"],
  ["notes", "notes", "notes", "String"],
  ["tags", "tags", "tags", "[String!]"],
  ["config", "config", "config", "JSONString"],
  ["summaryMetrics", "summaryMetrics", "summaryMetrics", "JSONString"],
  ["groupName", "groupName", "groupName", "String"],
  ["jobType", "jobType", "jobType", "String"],
];

/**
 * The `UpsertBucket` that updates a run, sending only the fields given (one request for all of
 * them, the summary included), and reading the run back with `RunFragment`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { printDocument, updateRunMutation } from "@effect-wandb/api/graphql";
 * const r = updateRunMutation("UnVuOnYxOnIxOnA6ZQ==", { tags: ["a"], notes: "n" });
 * assert.ok(r.variables.tags !== undefined && !("config" in r.variables));
 * assert.ok(printDocument(r.document).includes("$notes: String"));
 * ```
 */
export function updateRunMutation(
  storageId: string,
  fields: RunUpdateFields,
): GraphqlRequest<UpsertBucketData> {
  const given = updatable.filter(([key]) => fields[key] !== undefined);
  const declarations = given.map(([, variable, , type]) => `$${variable}: ${type}`);
  const inputs = given.map(([, variable, input]) => `${input}: $${variable}`);
  return {
    operation: "UpsertBucket",
    document: operationDocument(
      `mutation UpsertBucket($id: String!${declarations.map((d) => `, ${d}`).join("")}) {
        upsertBucket(input: {id: $id${inputs.map((i) => `, ${i}`).join("")}}) {
          bucket { projectId ...RunFragment }
        }
      }`,
      fullRunFragment,
    ),
    variables: {
      id: storageId,
      ...Object.fromEntries(given.map(([key, variable]) => [variable, fields[key]])),
    },
    decoder: UpsertBucketData,
  };
}

const createRunDocument = operationDocument(
  `
  mutation UpsertBucket($project: String, $entity: String, $name: String!, $state: String) {
    upsertBucket(input: {modelName: $project, entityName: $entity, name: $name, state: $state}) {
      bucket { projectId ...RunFragment }
      inserted
    }
  }
`,
  fullRunFragment,
);

/**
 * The `UpsertBucket` that creates a run (Python's `api.create_run`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRunMutation } from "@effect-wandb/api/graphql";
 * const r = createRunMutation({ entity: "acme", project: "mnist", runId: "new1" }, "running");
 * assert.ok(r.variables.name === "new1");
 * ```
 */
export function createRunMutation(run: RunPath, state: string): GraphqlRequest<UpsertBucketData> {
  return {
    operation: "UpsertBucket",
    document: createRunDocument,
    variables: { project: run.project, entity: run.entity, name: run.runId, state },
    decoder: UpsertBucketData,
  };
}

/** The decoded answer of `DeleteRun`. */
export interface DeleteRunData {
  readonly deleteRun: { readonly clientMutationId: string | null } | null;
}

const deleteRunDocument = operationDocument(`
  mutation DeleteRun($id: ID!, $deleteArtifacts: Boolean) {
    deleteRun(input: {id: $id, deleteArtifacts: $deleteArtifacts}) { clientMutationId }
  }
`);

/**
 * `DeleteRun` (Python's `run.delete(delete_artifacts)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteRunMutation } from "@effect-wandb/api/graphql";
 * assert.ok(deleteRunMutation("UnVu", true).variables.deleteArtifacts === true);
 * ```
 */
export function deleteRunMutation(
  storageId: string,
  deleteArtifacts: boolean,
): GraphqlRequest<DeleteRunData> {
  return {
    operation: "DeleteRun",
    document: deleteRunDocument,
    variables: { id: storageId, deleteArtifacts },
    decoder: Schema.Struct({
      deleteRun: Schema.NullOr(Schema.Struct({ clientMutationId: Schema.NullOr(Schema.String) })),
    }),
  };
}

/** The decoded answer of `RunState`. */
export interface RunStateData {
  readonly project: { readonly run: { readonly state: string } | null } | null;
}

const runStateDocument = operationDocument(`
  query RunState($project: String!, $entity: String!, $name: String!) {
    project(name: $project, entityName: $entity) { run(name: $name) { state } }
  }
`);

/**
 * `RunState`: a run's state, the one field `waitUntilFinished` polls.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runStateQuery } from "@effect-wandb/api/graphql";
 * assert.ok(runStateQuery({ entity: "a", project: "p", runId: "r" }).operation === "RunState");
 * ```
 */
export function runStateQuery(run: RunPath): GraphqlRequest<RunStateData> {
  return {
    operation: "RunState",
    document: runStateDocument,
    variables: { project: run.project, entity: run.entity, name: run.runId },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        run: Schema.NullOr(Schema.Struct({ state: Schema.String })),
      })),
    }),
  };
}

/** The decoded answer of `UpdateRunState`. */
export interface UpdateRunStateData {
  readonly updateRunState: { readonly success: boolean } | null;
}

const updateRunStateDocument = operationDocument(`
  mutation UpdateRunState($id: ID!, $state: String!) {
    updateRunState(input: {id: $id, state: $state}) { success }
  }
`);

/**
 * `UpdateRunState` (Python's `run.update_state(state)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateRunStateMutation } from "@effect-wandb/api/graphql";
 * assert.ok(updateRunStateMutation("UnVu", "pending").variables.state === "pending");
 * ```
 */
export function updateRunStateMutation(
  storageId: string,
  state: string,
): GraphqlRequest<UpdateRunStateData> {
  return {
    operation: "UpdateRunState",
    document: updateRunStateDocument,
    variables: { id: storageId, state },
    decoder: Schema.Struct({
      updateRunState: Schema.NullOr(Schema.Struct({ success: Schema.Boolean })),
    }),
  };
}

/** The decoded answer of `StopRun`. */
export interface StopRunData {
  readonly stopRun: { readonly success: boolean | null } | null;
}

const stopRunDocument = operationDocument(`
  mutation StopRun($id: ID!) {
    stopRun(input: {id: $id}) { success }
  }
`);

/**
 * `StopRun` (Python's `run.stop()`): flags a run to stop, as the App's "Stop run" button does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stopRunMutation } from "@effect-wandb/api/graphql";
 * assert.ok(stopRunMutation("UnVu").operation === "StopRun");
 * ```
 */
export function stopRunMutation(storageId: string): GraphqlRequest<StopRunData> {
  return {
    operation: "StopRun",
    document: stopRunDocument,
    variables: { id: storageId },
    decoder: Schema.Struct({
      stopRun: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
    }),
  };
}

/** The decoded answer of `CreateProject`. */
export interface CreateProjectData {
  readonly result: {
    readonly project: { readonly id: string; readonly name: string; readonly entityName: string };
    readonly inserted: boolean | null;
  } | null;
}

const createProjectDocument = operationDocument(`
  mutation CreateProject($input: UpsertModelInput!) {
    result: upsertModel(input: $input) {
      project { ...CreatedProjectFragment }
      model { ...CreatedProjectFragment }
      inserted
    }
  }
  fragment CreatedProjectFragment on Project { id name entityName description access views }
`);

/**
 * `CreateProject` (Python's `api.create_project(name, entity)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProjectMutation } from "@effect-wandb/api/graphql";
 * assert.ok(createProjectMutation({ entity: "acme", project: "new" }).operation === "CreateProject");
 * ```
 */
export function createProjectMutation(project: ProjectPath): GraphqlRequest<CreateProjectData> {
  return {
    operation: "CreateProject",
    document: createProjectDocument,
    variables: { input: { entityName: project.entity, name: project.project } },
    decoder: Schema.Struct({
      result: Schema.NullOr(Schema.Struct({
        project: Schema.Struct({
          id: Schema.String,
          name: Schema.String,
          entityName: Schema.String,
        }),
        inserted: Schema.NullOr(Schema.Boolean),
      })),
    }),
  };
}
