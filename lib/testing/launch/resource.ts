/**
 * The Launch resource of the local server: run queues (in an entity's `model-registry`
 * project), default resource configs, queue items, and the seeded `gpu-queue` of acme.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { entityLaunchFields, launchMutations, projectLaunchFields } from "./resolvers.ts";
import { launchSdl } from "./sdl.ts";
import { type SeedRunQueue, seedRunQueues } from "./seed.ts";
import { LaunchStore } from "./store.ts";

/**
 * The Launch resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { launchResource } from "@effect-wandb/api/testing";
 * assert.ok(launchResource.rootFields?.createRunQueue !== undefined);
 * ```
 */
export const launchResource: ServerResource<LaunchStore, SeedRunQueue> = {
  open: (db) => new LaunchStore(db),
  sdl: launchSdl,
  rootFields: launchMutations,
  projectFields: projectLaunchFields,
  entityFields: entityLaunchFields,
  seed: seedRunQueues,
  load: (store, _core, queues) => {
    for (const q of queues) {
      store.projects.create(q.entity, "model-registry");
      const config = store.launch.createResourceConfig(
        q.entity,
        q.resource,
        q.config,
        q.templateVariables,
      );
      const queue = store.launch.createQueue({
        entity: q.entity,
        name: q.name,
        access: "PROJECT",
        prioritizationMode: q.prioritizationMode,
        defaultResourceConfigId: config.id,
      });
      for (const item of q.items) store.launch.addItem(queue.id, item.state, item.runId);
    }
  },
};
