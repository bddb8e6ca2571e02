/**
 * Launch's slice of the `Api`: run queues and their items, queued runs and waiting for them,
 * jobs.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Artifact } from "../artifacts/decoders.ts";
import type { Run } from "../runs/decoders.ts";
import type { WaitOptions } from "../runs/changes.ts";
import type { QueuedRun, RunQueue, RunQueueSpec } from "./decoders.ts";

/** Launch's methods of the `Api`. */
export interface LaunchApi {
  /** A run queue (Python's `api.run_queue(entity, name)`). */
  runQueue(entity: string, name: string): Effect.Effect<RunQueue, WandbError>;
  /** A queue's items, runs logged to `project` (Python's `run_queue.items`). */
  runQueueItems(queue: RunQueue, project: string): Stream.Stream<QueuedRun, WandbError>;
  /** Creates a run queue (Python's `api.create_run_queue(…)`). */
  createRunQueue(spec: RunQueueSpec): Effect.Effect<RunQueue, WandbError>;
  /** Creates or changes a run queue (Python's `api.upsert_run_queue(…)`). */
  upsertRunQueue(spec: RunQueueSpec): Effect.Effect<RunQueue, WandbError>;
  /** Deletes a run queue (Python's `run_queue.delete()`). */
  deleteRunQueue(queue: RunQueue): Effect.Effect<RunQueue, WandbError>;
  /** A queued run (Python's `api.queued_run(entity, project, queue_name, item_id)`). */
  queuedRun(
    queued: Omit<QueuedRun, "projectQueue"> & { readonly projectQueue?: string | undefined },
  ): Effect.Effect<QueuedRun, WandbError>;
  /** A queued run's state (Python's `queued_run.state`). */
  queuedRunState(queued: QueuedRun): Effect.Effect<string, WandbError>;
  /** Waits until the queued run's run starts (Python's `queued_run.wait_until_running()`). */
  waitUntilRunning(queued: QueuedRun, options?: WaitOptions): Effect.Effect<Run, WandbError>;
  /** Waits until the queued run's run ends (Python's `queued_run.wait_until_finished()`). */
  waitUntilQueuedRunFinished(
    queued: QueuedRun,
    options?: WaitOptions,
  ): Effect.Effect<Run, WandbError>;
  /** Removes a queued run from its queue (Python's `queued_run.delete()`). */
  deleteQueuedRun(queued: QueuedRun): Effect.Effect<QueuedRun, WandbError>;
  /** A job (Python's `api.job(name, path)`): a version of a `job` artifact. */
  job(name: string): Effect.Effect<Artifact, WandbError>;
  /** A project's jobs (Python's `api.list_jobs(entity, project)`). */
  listJobs(project?: string): Stream.Stream<Artifact, WandbError>;
}

const launch = loadOnce(() => import("./operations.ts"));

/** Builds Launch's slice. */
export function launchApi(context: ApiContext): LaunchApi {
  const { client, paths } = context;
  const using = <A>(use: (m: typeof import("./operations.ts")) => Effect.Effect<A, WandbError>) =>
    Effect.flatMap(launch, use);
  return {
    runQueue: (entity, name) => using((m) => m.getRunQueue(client, entity, name)),
    runQueueItems: (queue, project) =>
      Stream.unwrap(
        Effect.map(launch, (m) => m.runQueueItems(client, queue.entity, queue.name, project)),
      ),
    createRunQueue: (spec) => using((m) => m.createRunQueue(client, spec)),
    upsertRunQueue: (spec) => using((m) => m.upsertRunQueue(client, spec)),
    deleteRunQueue: (queue) => using((m) => m.deleteRunQueue(client, queue)),
    queuedRun: (queued) => using((m) => m.getQueuedRun(client, queued)),
    queuedRunState: (queued) => using((m) => m.queuedRunState(client, queued)),
    waitUntilRunning: (queued, options) =>
      using((m) => m.waitUntilRunning(client, queued, options)),
    waitUntilQueuedRunFinished: (queued, options) =>
      using((m) => m.waitUntilQueuedRunFinished(client, queued, options)),
    deleteQueuedRun: (queued) => using((m) => m.deleteQueuedRun(client, queued)),
    job: (name) =>
      Effect.flatMap(
        paths.named(name),
        ({ project, name }) => using((m) => m.getJob(client, project, name)),
      ),
    listJobs: (project) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), launch), ([p, m]) => m.listJobs(client, p)),
      ),
  };
}
