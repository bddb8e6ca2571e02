/**
 * Pure builders for Launch's requests, with the official client's operations: a queue's
 * metadata and default resource config, its items, creating, upserting and deleting queues,
 * one item, removing an item.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import { launchProject, type QueuedRun, type RunQueueSpec } from "./decoders.ts";

const metadataDocument = operationDocument(`
  query GetRunQueueMetadata($projectName: String!, $entityName: String!, $runQueue: String!) {
    project(name: $projectName, entityName: $entityName) {
      runQueue(name: $runQueue) { id access defaultResourceConfigID prioritizationMode externalLinks }
    }
  }
`);

/** The decoded answer of `GetRunQueueMetadata`. */
export interface RunQueueMetadataData {
  readonly project: {
    readonly runQueue: {
      readonly id: string;
      readonly access: string | null;
      readonly defaultResourceConfigID: string | null;
      readonly prioritizationMode: string | null;
      readonly externalLinks: string | null;
    } | null;
  } | null;
}

/**
 * `GetRunQueueMetadata`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runQueueMetadataQuery } from "@effect-wandb/api/graphql";
 * assert.ok(runQueueMetadataQuery("acme", "gpu-queue").variables.projectName === "model-registry");
 * ```
 */
export function runQueueMetadataQuery(
  entity: string,
  name: string,
): GraphqlRequest<RunQueueMetadataData> {
  return {
    operation: "GetRunQueueMetadata",
    document: metadataDocument,
    variables: { projectName: launchProject, entityName: entity, runQueue: name },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        runQueue: Schema.NullOr(Schema.Struct({
          id: Schema.String,
          access: Schema.NullOr(Schema.String),
          defaultResourceConfigID: Schema.NullOr(Schema.String),
          prioritizationMode: Schema.NullOr(Schema.String),
          externalLinks: Schema.NullOr(Schema.String),
        })),
      })),
    }),
  };
}

const resourceConfigDocument = operationDocument(`
  query GetDefaultResourceConfig($entityName: String!, $id: ID!) {
    entity(name: $entityName) {
      defaultResourceConfig(id: $id) { config resource templateVariables { name schema } }
    }
  }
`);

/** The decoded answer of `GetDefaultResourceConfig`. */
export interface ResourceConfigData {
  readonly entity: {
    readonly defaultResourceConfig: {
      readonly config: string | null;
      readonly resource: string;
      readonly templateVariables: ReadonlyArray<
        { readonly name: string; readonly schema: string | null }
      >;
    } | null;
  } | null;
}

/**
 * `GetDefaultResourceConfig`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resourceConfigQuery } from "@effect-wandb/api/graphql";
 * assert.ok(resourceConfigQuery("acme", "RGVm").operation === "GetDefaultResourceConfig");
 * ```
 */
export function resourceConfigQuery(
  entity: string,
  id: string,
): GraphqlRequest<ResourceConfigData> {
  return {
    operation: "GetDefaultResourceConfig",
    document: resourceConfigDocument,
    variables: { entityName: entity, id },
    decoder: Schema.Struct({
      entity: Schema.NullOr(Schema.Struct({
        defaultResourceConfig: Schema.NullOr(Schema.Struct({
          config: Schema.NullOr(Schema.String),
          resource: Schema.String,
          templateVariables: Schema.Array(Schema.Struct({
            name: Schema.String,
            schema: Schema.NullOr(Schema.String),
          })),
        })),
      })),
    }),
  };
}

const itemsDocument = operationDocument(`
  query GetRunQueueItems($projectName: String!, $entityName: String!, $runQueue: String!) {
    project(name: $projectName, entityName: $entityName) {
      runQueue(name: $runQueue) { runQueueItems(first: 100) { edges { node { id } } } }
    }
  }
`);

/** The decoded answer of `GetRunQueueItems`. */
export interface RunQueueItemsData {
  readonly project: {
    readonly runQueue: {
      readonly runQueueItems: {
        readonly edges: ReadonlyArray<{ readonly node: { readonly id: string } }>;
      };
    } | null;
  } | null;
}

/**
 * `GetRunQueueItems` (the first 100, as the official client asks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runQueueItemsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(runQueueItemsQuery("acme", "gpu-queue").operation === "GetRunQueueItems");
 * ```
 */
export function runQueueItemsQuery(
  entity: string,
  name: string,
): GraphqlRequest<RunQueueItemsData> {
  return {
    operation: "GetRunQueueItems",
    document: itemsDocument,
    variables: { projectName: launchProject, entityName: entity, runQueue: name },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        runQueue: Schema.NullOr(Schema.Struct({
          runQueueItems: Schema.Struct({
            edges: Schema.Array(Schema.Struct({ node: Schema.Struct({ id: Schema.String }) })),
          }),
        })),
      })),
    }),
  };
}

const createConfigDocument = operationDocument(`
  mutation CreateDefaultResourceConfig($entityName: String!, $resource: String!, $config: JSONString!,
                                       $templateVariables: JSONString) {
    createDefaultResourceConfig(input: {entityName: $entityName, resource: $resource, config: $config,
                                        templateVariables: $templateVariables}) {
      defaultResourceConfigID success
    }
  }
`);

const createQueueDocument = operationDocument(`
  mutation CreateRunQueue($entity: String!, $project: String!, $queueName: String!,
                          $access: RunQueueAccessType!, $prioritizationMode: RunQueuePrioritizationMode,
                          $defaultResourceConfigID: ID) {
    createRunQueue(input: {entityName: $entity, projectName: $project, queueName: $queueName,
                           access: $access, prioritizationMode: $prioritizationMode,
                           defaultResourceConfigID: $defaultResourceConfigID}) {
      success queueID
    }
  }
`);

/**
 * `CreateDefaultResourceConfig`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createResourceConfigMutation } from "@effect-wandb/api/graphql";
 * assert.ok(createResourceConfigMutation("acme", "kubernetes", {}, null).variables.config === "{}");
 * ```
 */
export function createResourceConfigMutation(
  entity: string,
  resource: string,
  config: Readonly<Record<string, unknown>>,
  templateVariables: Readonly<Record<string, unknown>> | null,
): GraphqlRequest<
  {
    readonly createDefaultResourceConfig:
      | { readonly defaultResourceConfigID: string | null }
      | null;
  }
> {
  return {
    operation: "CreateDefaultResourceConfig",
    document: createConfigDocument,
    variables: {
      entityName: entity,
      resource,
      config: JSON.stringify(config),
      templateVariables: templateVariables === null ? null : JSON.stringify(templateVariables),
    },
    decoder: Schema.Struct({
      createDefaultResourceConfig: Schema.NullOr(Schema.Struct({
        defaultResourceConfigID: Schema.NullOr(Schema.String),
      })),
    }),
  };
}

/**
 * `CreateRunQueue`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRunQueueMutation } from "@effect-wandb/api/graphql";
 * assert.ok(createRunQueueMutation("acme", "q", null, null).variables.access === "PROJECT");
 * ```
 */
export function createRunQueueMutation(
  entity: string,
  name: string,
  prioritizationMode: string | null,
  configId: string | null,
): GraphqlRequest<{ readonly createRunQueue: { readonly success: boolean | null } | null }> {
  return {
    operation: "CreateRunQueue",
    document: createQueueDocument,
    variables: {
      entity,
      project: launchProject,
      queueName: name,
      access: "PROJECT",
      prioritizationMode,
      defaultResourceConfigID: configId,
    },
    decoder: Schema.Struct({
      createRunQueue: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
    }),
  };
}

const upsertDocument = operationDocument(`
  mutation UpsertRunQueue($entityName: String!, $projectName: String!, $queueName: String!,
                          $resourceType: String!, $resourceConfig: JSONString!, $templateVariables: JSONString,
                          $prioritizationMode: RunQueuePrioritizationMode, $externalLinks: JSONString,
                          $clientMutationId: String) {
    upsertRunQueue(input: {entityName: $entityName, projectName: $projectName, queueName: $queueName,
                           resourceType: $resourceType, resourceConfig: $resourceConfig,
                           templateVariables: $templateVariables, prioritizationMode: $prioritizationMode,
                           externalLinks: $externalLinks, clientMutationId: $clientMutationId}) {
      success configSchemaValidationErrors
    }
  }
`);

/**
 * `UpsertRunQueue`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { upsertRunQueueMutation } from "@effect-wandb/api/graphql";
 * const r = upsertRunQueueMutation({ name: "q", resource: "kubernetes", entity: "acme" });
 * assert.ok(r.variables.resourceType === "kubernetes");
 * ```
 */
export function upsertRunQueueMutation(
  spec: RunQueueSpec,
): GraphqlRequest<{ readonly upsertRunQueue: { readonly success: boolean | null } | null }> {
  return {
    operation: "UpsertRunQueue",
    document: upsertDocument,
    variables: {
      entityName: spec.entity,
      projectName: launchProject,
      queueName: spec.name,
      resourceType: spec.resource,
      resourceConfig: JSON.stringify(spec.config ?? {}),
      templateVariables: spec.templateVariables === undefined
        ? null
        : JSON.stringify(spec.templateVariables),
      prioritizationMode: spec.prioritizationMode ?? null,
      externalLinks: spec.externalLinks === undefined ? null : JSON.stringify(spec.externalLinks),
      clientMutationId: null,
    },
    decoder: Schema.Struct({
      upsertRunQueue: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
    }),
  };
}

const deleteQueueDocument = operationDocument(`
  mutation DeleteRunQueue($id: ID!) { deleteRunQueues(input: {queueIDs: [$id]}) { success clientMutationId } }
`);

const itemDocument = operationDocument(`
  query GetRunQueueItem($projectName: String!, $entityName: String!, $runQueue: String!, $itemId: ID!) {
    project(name: $projectName, entityName: $entityName) {
      runQueue(name: $runQueue) { runQueueItem(id: $itemId) { id state associatedRunId } }
    }
  }
`);

/** The decoded answer of `GetRunQueueItem`. */
export interface RunQueueItemData {
  readonly project: {
    readonly runQueue: {
      readonly runQueueItem: {
        readonly id: string;
        readonly state: string | null;
        readonly associatedRunId: string | null;
      } | null;
    } | null;
  } | null;
}

/**
 * `GetRunQueueItem`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runQueueItemQuery } from "@effect-wandb/api/graphql";
 * const q = { id: "1", queueName: "gpu-queue", entity: "acme", project: "mnist", projectQueue: "model-registry" };
 * assert.ok(runQueueItemQuery(q).variables.itemId === "1");
 * ```
 */
export function runQueueItemQuery(queued: QueuedRun): GraphqlRequest<RunQueueItemData> {
  return {
    operation: "GetRunQueueItem",
    document: itemDocument,
    variables: {
      projectName: queued.projectQueue,
      entityName: queued.entity,
      runQueue: queued.queueName,
      itemId: queued.id,
    },
    decoder: Schema.Struct({
      project: Schema.NullOr(Schema.Struct({
        runQueue: Schema.NullOr(Schema.Struct({
          runQueueItem: Schema.NullOr(Schema.Struct({
            id: Schema.String,
            state: Schema.NullOr(Schema.String),
            associatedRunId: Schema.NullOr(Schema.String),
          })),
        })),
      })),
    }),
  };
}

const deleteItemDocument = operationDocument(`
  mutation DeleteFromRunQueue($queueID: ID!, $runQueueItemId: ID!) {
    deleteFromRunQueue(input: {queueID: $queueID, runQueueItemId: $runQueueItemId}) { success clientMutationId }
  }
`);

/**
 * The `DeleteRunQueue` request (Python's `run_queue.delete()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteRunQueueMutation } from "@effect-wandb/api/graphql";
 * assert.equal(deleteRunQueueMutation("UnVuUXVldWU6MQ==").variables.id, "UnVuUXVldWU6MQ==");
 * ```
 */
export function deleteRunQueueMutation(id: string): GraphqlRequest<unknown> {
  return {
    operation: "DeleteRunQueue",
    document: deleteQueueDocument,
    variables: { id },
    decoder: Schema.Struct({
      deleteRunQueues: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
    }),
  };
}

/**
 * The `DeleteFromRunQueue` request (Python's `queued_run.delete()`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deleteFromRunQueueMutation } from "@effect-wandb/api/graphql";
 * assert.equal(deleteFromRunQueueMutation("UnVuUXVldWU6MQ==", "7").variables.runQueueItemId, "7");
 * ```
 */
export function deleteFromRunQueueMutation(
  queueId: string,
  itemId: string,
): GraphqlRequest<unknown> {
  return {
    operation: "DeleteFromRunQueue",
    document: deleteItemDocument,
    variables: { queueID: queueId, runQueueItemId: itemId },
    decoder: Schema.Struct({
      deleteFromRunQueue: Schema.NullOr(Schema.Struct({ success: Schema.NullOr(Schema.Boolean) })),
    }),
  };
}
