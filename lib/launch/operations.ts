/**
 * Launch: run queues (their access, prioritization, default resource config and template
 * variables, their items as a Stream), creating, upserting and deleting them, queued runs (their
 * state, waiting for them to run and to finish on a `Schedule`, deleting them), and jobs (the
 * artifacts of type `job`). Python's `api.run_queue`, `api.create_run_queue`,
 * `api.upsert_run_queue`, `run_queue.delete()`, `api.queued_run`, `queued_run.*`, `api.job`
 * and `api.list_jobs`, with the official client's operations.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schedule from "effect/Schedule";
import * as Stream from "effect/Stream";
import {
  InvalidArgumentError,
  NotFoundError,
  type RequestError,
  type WaitTimeoutError,
} from "../core/errors.ts";
import type { ProjectPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import type { Artifact } from "../artifacts/decoders.ts";
import {
  getArtifact,
  listArtifactCollections,
  listArtifactVersions,
} from "../artifacts/operations.ts";
import type { Run } from "../runs/decoders.ts";
import { getRun } from "../runs/operations.ts";
import { type WaitOptions, waitUntilFinished } from "../runs/changes.ts";
import { withWaitTimeout } from "../core/_wait.ts";
import { parseWandbJson } from "../core/wandb_json.ts";
import {
  jsonObject,
  launchProject,
  type QueuedRun,
  type RunQueue,
  type RunQueueSpec,
} from "./decoders.ts";
import {
  createResourceConfigMutation,
  createRunQueueMutation,
  deleteFromRunQueueMutation,
  deleteRunQueueMutation,
  resourceConfigQuery,
  runQueueItemQuery,
  runQueueItemsQuery,
  runQueueMetadataQuery,
  upsertRunQueueMutation,
} from "./queries.ts";

const queueNotFound = (entity: string, name: string) =>
  new NotFoundError({
    operation: "GetRunQueueMetadata",
    resource: "run queue",
    path: `${entity}/${name}`,
    message: `Could not find run queue ${name} of ${entity}`,
  });

/**
 * A run queue with its default resource config and template variables (Python's
 * `api.run_queue(entity, name)`); `NotFoundError` naming it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getRunQueue } from "@effect-wandb/api/launch";
 * const queue = (client: WandbClient) => getRunQueue(client, "acme", "gpu-queue");
 * ```
 */
export function getRunQueue(
  client: WandbClient,
  entity: string,
  name: string,
): Effect.Effect<RunQueue, RequestError | NotFoundError> {
  return Effect.gen(function* () {
    const data = yield* client.execute(runQueueMetadataQuery(entity, name));
    const queue = data.project?.runQueue ?? null;
    if (queue === null) return yield* Effect.fail(queueNotFound(entity, name));
    const config = queue.defaultResourceConfigID === null
      ? null
      : (yield* client.execute(resourceConfigQuery(entity, queue.defaultResourceConfigID))).entity
        ?.defaultResourceConfig ?? null;
    return {
      id: queue.id,
      name,
      entity,
      access: queue.access ?? "PROJECT",
      prioritizationMode: queue.prioritizationMode,
      externalLinks: jsonObject(queue.externalLinks),
      type: config?.resource ?? null,
      defaultResourceConfig: jsonObject(config?.config ?? null),
      templateVariables: Object.fromEntries(
        (config?.templateVariables ?? []).map((
          v,
        ) => [v.name, v.schema === null ? null : parseWandbJson(v.schema)]),
      ),
    };
  });
}

/**
 * A queue's items (Python's `run_queue.items`: the first 100), as queued runs whose runs are
 * logged to `project`.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { runQueueItems } from "@effect-wandb/api/launch";
 * const items = (client: WandbClient) => Stream.runCollect(runQueueItems(client, "acme", "gpu-queue", "mnist"));
 * ```
 */
export function runQueueItems(
  client: WandbClient,
  entity: string,
  name: string,
  project: string,
): Stream.Stream<QueuedRun, RequestError | NotFoundError> {
  return Stream.fromIterableEffect(
    client.execute(runQueueItemsQuery(entity, name)).pipe(
      Effect.flatMap((data) => {
        const queue = data.project?.runQueue ?? null;
        return queue === null ? Effect.fail(queueNotFound(entity, name)) : Effect.succeed(
          queue.runQueueItems.edges.map(({ node }) => ({
            id: node.id,
            queueName: name,
            entity,
            project,
            projectQueue: launchProject,
          })),
        );
      }),
    ),
  );
}

const resources = new Set([
  "local-container",
  "local-process",
  "kubernetes",
  "sagemaker",
  "gcp-vertex",
]);

function checkSpec(spec: RunQueueSpec): Effect.Effect<void, InvalidArgumentError> {
  if (!/^[-\w.]+$/.test(spec.name)) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "name",
        value: spec.name,
        message: "A queue name holds letters, digits, '-', '_' and '.'",
      }),
    );
  }
  if (!resources.has(spec.resource)) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "resource",
        value: spec.resource,
        message: `The resource is one of ${[...resources].join(", ")}`,
      }),
    );
  }
  return Effect.void;
}

/**
 * Creates a run queue with its default resource config (Python's `api.create_run_queue(name,
 * resource, entity, prioritization_mode, config, template_variables)`); returns it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createRunQueue } from "@effect-wandb/api/launch";
 * const make = (client: WandbClient) =>
 *   createRunQueue(client, { name: "cpu-queue", resource: "local-process", entity: "acme" });
 * ```
 */
export function createRunQueue(
  client: WandbClient,
  spec: RunQueueSpec,
): Effect.Effect<RunQueue, RequestError | NotFoundError | InvalidArgumentError> {
  return Effect.gen(function* () {
    yield* checkSpec(spec);
    const config = yield* client.execute(
      createResourceConfigMutation(
        spec.entity,
        spec.resource,
        spec.config ?? {},
        spec.templateVariables ?? null,
      ),
    );
    yield* client.execute(
      createRunQueueMutation(
        spec.entity,
        spec.name,
        spec.prioritizationMode ?? null,
        config.createDefaultResourceConfig?.defaultResourceConfigID ?? null,
      ),
    );
    return yield* getRunQueue(client, spec.entity, spec.name);
  });
}

/**
 * Creates a run queue or changes the one of that name (Python's `api.upsert_run_queue(…)`);
 * returns it as the server now holds it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { upsertRunQueue } from "@effect-wandb/api/launch";
 * const set = (client: WandbClient) =>
 *   upsertRunQueue(client, { name: "gpu-queue", resource: "local-container", entity: "acme", config: { gpus: 2 } });
 * ```
 */
export function upsertRunQueue(
  client: WandbClient,
  spec: RunQueueSpec,
): Effect.Effect<RunQueue, RequestError | NotFoundError | InvalidArgumentError> {
  return checkSpec(spec).pipe(
    Effect.flatMap(() => client.execute(upsertRunQueueMutation(spec))),
    Effect.flatMap(() => getRunQueue(client, spec.entity, spec.name)),
  );
}

/**
 * Deletes a run queue (Python's `run_queue.delete()`); returns it.
 *
 * @example
 * ```ts
 * import { type RunQueue } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { deleteRunQueue } from "@effect-wandb/api/launch";
 * const drop = (client: WandbClient, q: RunQueue) => deleteRunQueue(client, q);
 * ```
 */
export function deleteRunQueue(
  client: WandbClient,
  queue: RunQueue,
): Effect.Effect<RunQueue, RequestError> {
  return client.execute(deleteRunQueueMutation(queue.id)).pipe(Effect.as(queue));
}

/** The item of a queued run, or its `NotFoundError`. */
function itemOf(client: WandbClient, queued: QueuedRun) {
  return client.execute(runQueueItemQuery(queued)).pipe(
    Effect.flatMap((data) => {
      const item = data.project?.runQueue?.runQueueItem ?? null;
      return item === null
        ? Effect.fail(
          new NotFoundError({
            operation: "GetRunQueueItem",
            resource: "queued run",
            path: `${queued.entity}/${queued.queueName}/${queued.id}`,
            message: `Could not find item ${queued.id} of run queue ${queued.queueName}`,
          }),
        )
        : Effect.succeed(item);
    }),
  );
}

/**
 * A queued run by its item id (Python's `api.queued_run(entity, project, queue_name,
 * run_queue_item_id, project_queue)`), checked to exist.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getQueuedRun } from "@effect-wandb/api/launch";
 * const item = (client: WandbClient) => getQueuedRun(client, { entity: "acme", project: "mnist", queueName: "gpu-queue", id: "1" });
 * ```
 */
export function getQueuedRun(
  client: WandbClient,
  queued: Omit<QueuedRun, "projectQueue"> & { readonly projectQueue?: string | undefined },
): Effect.Effect<QueuedRun, RequestError | NotFoundError> {
  const full = { ...queued, projectQueue: queued.projectQueue ?? launchProject };
  return Effect.as(itemOf(client, full), full);
}

/**
 * A queued run's state, lowercased as Python gives it (`pending`, `claimed`, …).
 *
 * @example
 * ```ts
 * import { type QueuedRun } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { queuedRunState } from "@effect-wandb/api/launch";
 * const state = (client: WandbClient, q: QueuedRun) => queuedRunState(client, q);
 * ```
 */
export function queuedRunState(
  client: WandbClient,
  queued: QueuedRun,
): Effect.Effect<string, RequestError | NotFoundError> {
  return Effect.map(itemOf(client, queued), (item) => (item.state ?? "").toLowerCase());
}

/**
 * Waits until an agent started the queued run and returns the run (Python's
 * `queued_run.wait_until_running()`), asking on `schedule` (every 5 s by default) and failing
 * with a `WaitTimeoutError` after `timeout`.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect";
 * import { type QueuedRun } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { waitUntilRunning } from "@effect-wandb/api/launch";
 * const run = (client: WandbClient, q: QueuedRun) =>
 *   waitUntilRunning(client, q, { schedule: Schedule.spaced("10 seconds"), timeout: "30 minutes" });
 * ```
 */
export function waitUntilRunning(
  client: WandbClient,
  queued: QueuedRun,
  options?: WaitOptions,
): Effect.Effect<Run, RequestError | NotFoundError | WaitTimeoutError> {
  const polled = itemOf(client, queued).pipe(
    Effect.repeat({
      schedule: options?.schedule ?? Schedule.spaced("5 seconds"),
      until: (item: { readonly associatedRunId: string | null }) => item.associatedRunId !== null,
    }),
  );
  const bounded = withWaitTimeout(
    polled,
    options?.timeout,
    "GetRunQueueItem",
    (waited) => `Item ${queued.id} of ${queued.queueName} had not started a run after ${waited}`,
  );
  return bounded.pipe(
    Effect.flatMap((item) =>
      getRun(client, {
        entity: queued.entity,
        project: queued.project,
        runId: item.associatedRunId!,
      })
    ),
  );
}

/**
 * Waits until the queued run has run and finished, and returns it (Python's
 * `queued_run.wait_until_finished()`); `timeout` bounds the whole wait.
 *
 * @example
 * ```ts
 * import { type QueuedRun } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { waitUntilQueuedRunFinished } from "@effect-wandb/api/launch";
 * const done = (client: WandbClient, q: QueuedRun) => waitUntilQueuedRunFinished(client, q, { timeout: "2 hours" });
 * ```
 */
export function waitUntilQueuedRunFinished(
  client: WandbClient,
  queued: QueuedRun,
  options?: WaitOptions,
): Effect.Effect<Run, RequestError | NotFoundError | WaitTimeoutError> {
  const both = Effect.flatMap(
    waitUntilRunning(client, queued, { schedule: options?.schedule }),
    (run) =>
      waitUntilFinished(client, { entity: run.entity, project: run.project, runId: run.id }, {
        schedule: options?.schedule,
      }),
  );
  return withWaitTimeout(
    both,
    options?.timeout,
    "RunState",
    (waited) => `Item ${queued.id} of ${queued.queueName} had not finished after ${waited}`,
  );
}

/**
 * Removes a queued run from its queue (Python's `queued_run.delete()`); returns it.
 *
 * @example
 * ```ts
 * import { type QueuedRun } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { deleteQueuedRun } from "@effect-wandb/api/launch";
 * const drop = (client: WandbClient, q: QueuedRun) => deleteQueuedRun(client, q);
 * ```
 */
export function deleteQueuedRun(
  client: WandbClient,
  queued: QueuedRun,
): Effect.Effect<QueuedRun, RequestError | NotFoundError> {
  return getRunQueue(client, queued.entity, queued.queueName).pipe(
    Effect.flatMap((queue) => client.execute(deleteFromRunQueueMutation(queue.id, queued.id))),
    Effect.as(queued),
  );
}

/**
 * A job (Python's `api.job(name, path)`): the version of a `job` artifact.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getJob } from "@effect-wandb/api/launch";
 * const job = (client: WandbClient) => getJob(client, { entity: "acme", project: "mnist" }, "job-mnist-train:latest");
 * ```
 */
export function getJob(
  client: WandbClient,
  project: ProjectPath,
  name: string,
): Effect.Effect<Artifact, RequestError | NotFoundError | InvalidArgumentError> {
  return getArtifact(client, project, name, { type: "job", enableTracking: false });
}

/**
 * A project's jobs (Python's `api.list_jobs(entity, project)`): every version of its `job`
 * artifacts, newest first within each.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { listJobs } from "@effect-wandb/api/launch";
 * const jobs = (client: WandbClient) => Stream.runCollect(listJobs(client, { entity: "acme", project: "mnist" }));
 * ```
 */
export function listJobs(
  client: WandbClient,
  project: ProjectPath,
): Stream.Stream<Artifact, RequestError | NotFoundError | InvalidArgumentError> {
  return listArtifactCollections(client, project, "job").pipe(
    Stream.catchTag(
      "NotFoundError",
      (e) => e.resource === "artifact type" ? Stream.empty : Stream.fail(e),
    ),
    Stream.flatMap((collection) => listArtifactVersions(client, project, "job", collection.name)),
  );
}
