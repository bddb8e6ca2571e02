/**
 * The local server's Launch fields and mutations, in the shapes of the official client's
 * `GetRunQueueMetadata`, `GetDefaultResourceConfig`, `GetRunQueueItems`, `GetRunQueueItem`,
 * `CreateDefaultResourceConfig`, `CreateRunQueue`, `UpsertRunQueue`, `DeleteRunQueue` and
 * `DeleteFromRunQueue`. Every one checks that the viewer belongs to the queue's entity.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { ResolverContext } from "../resource.ts";
import type { StoredProject } from "../projects/store.ts";
import { offsetPage } from "../pages.ts";
import type { StoredQueueItem, StoredRunQueue } from "./store.ts";

const nodeId = (type: string, id: number) => btoa(`${type}:${id}`);

const idOf = (type: string, id: string): number | undefined => {
  try {
    const [kind, value] = atob(id).split(":");
    return kind === type && /^\d+$/.test(value ?? "") ? Number(value) : undefined;
  } catch {
    return /^\d+$/.test(id) ? Number(id) : undefined;
  }
};

const itemView = (item: StoredQueueItem) => ({
  id: String(item.id),
  state: item.state,
  associatedRunId: item.associatedRunId,
  priority: item.priority,
  createdAt: item.createdAt,
});

/** The `RunQueue` view. */
export function queueView(ctx: ResolverContext, queue: StoredRunQueue): Record<string, unknown> {
  return {
    id: nodeId("RunQueue", queue.id),
    name: queue.name,
    access: queue.access,
    defaultResourceConfigID: queue.defaultResourceConfigId === null
      ? null
      : nodeId("DefaultResourceConfig", queue.defaultResourceConfigId),
    prioritizationMode: queue.prioritizationMode,
    externalLinks: queue.externalLinks,
    runQueueItem: ({ id }: { id: string }) => {
      const item = /^\d+$/.test(id) ? ctx.store.launch.item(queue.id, Number(id)) : undefined;
      return item === undefined ? null : itemView(item);
    },
    runQueueItems: (args: { first?: number | null; after?: string | null }) => {
      const page = offsetPage(ctx.store.launch.items(queue.id), args.after, args.first, 100);
      return {
        pageInfo: page.pageInfo,
        edges: page.edges.map(({ node, cursor }) => ({ node: itemView(node), cursor })),
      };
    },
  };
}

/** The `Project` fields about run queues. */
export function projectLaunchFields(
  ctx: ResolverContext,
  project: StoredProject,
): Record<string, unknown> {
  return {
    runQueue: ({ name }: { name: string }) => {
      const queue = ctx.store.launch.queue(project.entity, project.name, name);
      return queue === undefined ? null : queueView(ctx, queue);
    },
    runQueues: () => [],
  };
}

/** `Entity.defaultResourceConfig`. */
export function entityLaunchFields(ctx: ResolverContext, entity: string): Record<string, unknown> {
  return {
    defaultResourceConfig: ({ id }: { id: string }) => {
      const config = ctx.store.launch.resourceConfig(idOf("DefaultResourceConfig", id) ?? -1);
      if (config === undefined || config.entity !== entity) return null;
      const variables = JSON.parse(config.templateVariables) as Record<string, unknown>;
      return {
        id: nodeId("DefaultResourceConfig", config.id),
        resource: config.resource,
        config: config.config,
        templateVariables: Object.entries(variables).map(([name, schema]) => ({
          name,
          schema: JSON.stringify(schema),
        })),
      };
    },
  };
}

const checkJsonObject = (field: string, text: string | null | undefined) => {
  if (text === null || text === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GraphQLError(`invalid ${field}: not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new GraphQLError(`invalid ${field}: not a JSON object`);
  }
};

function queueById(ctx: ResolverContext, id: string): StoredRunQueue {
  const queue = ctx.store.launch.queueById(idOf("RunQueue", id) ?? -1);
  if (queue === undefined) throw new GraphQLError(`run queue ${id} does not exist`);
  ctx.checkEntity(queue.entity);
  return queue;
}

/** The mutations of Launch. */
export const launchMutations = {
  createDefaultResourceConfig: (
    { input }: {
      input: {
        entityName: string;
        resource: string;
        config: string;
        templateVariables?: string | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    ctx.checkEntity(input.entityName);
    checkJsonObject("config", input.config);
    checkJsonObject("templateVariables", input.templateVariables);
    const config = ctx.store.launch.createResourceConfig(
      input.entityName,
      input.resource,
      input.config,
      input.templateVariables ?? null,
    );
    return { defaultResourceConfigID: nodeId("DefaultResourceConfig", config.id), success: true };
  },
  createRunQueue: (
    { input }: {
      input: {
        entityName: string;
        projectName: string;
        queueName: string;
        access: string;
        prioritizationMode?: string | null;
        defaultResourceConfigID?: string | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    ctx.checkEntity(input.entityName);
    if (
      ctx.store.launch.queue(input.entityName, input.projectName, input.queueName) !== undefined
    ) {
      throw new GraphQLError(`run queue ${input.queueName} exists`);
    }
    ctx.store.projects.create(input.entityName, input.projectName);
    const queue = ctx.store.launch.createQueue({
      entity: input.entityName,
      project: input.projectName,
      name: input.queueName,
      access: input.access,
      prioritizationMode: input.prioritizationMode ?? null,
      defaultResourceConfigId: input.defaultResourceConfigID === null ||
          input.defaultResourceConfigID === undefined
        ? null
        : idOf("DefaultResourceConfig", input.defaultResourceConfigID) ?? null,
    });
    return { success: true, queueID: nodeId("RunQueue", queue.id) };
  },
  upsertRunQueue: (
    { input }: {
      input: {
        entityName: string;
        projectName: string;
        queueName: string;
        resourceType: string;
        resourceConfig: string;
        templateVariables?: string | null;
        prioritizationMode?: string | null;
        externalLinks?: string | null;
      };
    },
    ctx: ResolverContext,
  ) => {
    ctx.checkEntity(input.entityName);
    checkJsonObject("resourceConfig", input.resourceConfig);
    checkJsonObject("templateVariables", input.templateVariables);
    checkJsonObject("externalLinks", input.externalLinks);
    const existing = ctx.store.launch.queue(input.entityName, input.projectName, input.queueName);
    if (existing === undefined) {
      ctx.store.projects.create(input.entityName, input.projectName);
      const config = ctx.store.launch.createResourceConfig(
        input.entityName,
        input.resourceType,
        input.resourceConfig,
        input.templateVariables ?? null,
      );
      ctx.store.launch.createQueue({
        entity: input.entityName,
        project: input.projectName,
        name: input.queueName,
        access: "PROJECT",
        prioritizationMode: input.prioritizationMode ?? null,
        defaultResourceConfigId: config.id,
        externalLinks: input.externalLinks ?? "{}",
      });
    } else {
      let configId = existing.defaultResourceConfigId;
      if (configId === null) {
        configId = ctx.store.launch.createResourceConfig(
          input.entityName,
          input.resourceType,
          input.resourceConfig,
          input.templateVariables ?? null,
        ).id;
      } else {
        ctx.store.launch.updateResourceConfig(
          configId,
          input.resourceType,
          input.resourceConfig,
          input.templateVariables ?? null,
        );
      }
      ctx.store.launch.updateQueue(existing.id, {
        prioritizationMode: input.prioritizationMode ?? existing.prioritizationMode,
        defaultResourceConfigId: configId,
        externalLinks: input.externalLinks ?? undefined,
      });
    }
    return { success: true, configSchemaValidationErrors: [] };
  },
  deleteRunQueues: ({ input }: { input: { queueIDs: Array<string> } }, ctx: ResolverContext) => {
    const queues = input.queueIDs.map((id) => queueById(ctx, id));
    for (const queue of queues) ctx.store.launch.deleteQueue(queue.id);
    return { success: true };
  },
  deleteFromRunQueue: (
    { input }: { input: { queueID: string; runQueueItemId: string } },
    ctx: ResolverContext,
  ) => {
    const queue = queueById(ctx, input.queueID);
    const deleted = /^\d+$/.test(input.runQueueItemId) &&
      ctx.store.launch.deleteItem(queue.id, Number(input.runQueueItemId));
    if (!deleted) throw new GraphQLError(`no item ${input.runQueueItemId} in queue ${queue.name}`);
    return { success: true };
  },
};
