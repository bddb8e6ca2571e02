/**
 * Operations that change runs and projects, or wait on them: Python's `api.create_project`,
 * `api.create_run`, `run.update()`, `run.delete()`, `run.update_state()`,
 * `run.wait_until_finished()`, `run.metadata` and `run.url`. Every mutation returns the value
 * the server now holds, decoded; bad input fails with an `InvalidArgumentError` before any
 * request.
 *
 * @module
 */
import type * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Schedule from "effect/Schedule";
import {
  InvalidArgumentError,
  type NotFoundError,
  type RequestError,
  type WaitTimeoutError,
} from "../core/errors.ts";
import type { ProjectPath, RunPath } from "../core/paths.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { parseWandbJson, printWandbJson } from "../core/wandb_json.ts";
import { getRunFile } from "../files/operations.ts";
import { getProject, type Project } from "../projects/projects.ts";
import { type Run, toRun } from "./decoders.ts";
import {
  createProjectMutation,
  createRunMutation,
  deleteRunMutation,
  runStateQuery,
  type RunUpdateFields,
  stopRunMutation,
  updateRunMutation,
  updateRunStateMutation,
} from "./mutations.ts";
import { getRun } from "./operations.ts";
import { withWaitTimeout } from "../core/_wait.ts";

const invalid = (argument: string, value: unknown, message: string) =>
  new InvalidArgumentError({ argument, value, message });

const namePattern = /^[-\w.]+$/;

/**
 * Creates a project (Python's `api.create_project(name, entity)`) and returns it; an existing
 * project is returned as it is.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createProject } from "@effect-wandb/api/runs";
 * const make = (client: WandbClient) => createProject(client, { entity: "acme", project: "new-idea" });
 * ```
 */
export function createProject(
  client: WandbClient,
  project: ProjectPath,
): Effect.Effect<Project, RequestError | NotFoundError | InvalidArgumentError> {
  if (!namePattern.test(project.project)) {
    return Effect.fail(
      invalid("name", project.project, "A project name holds letters, digits, '-', '_' and '.'"),
    );
  }
  return client.execute(createProjectMutation(project)).pipe(
    Effect.flatMap(() => getProject(client, project)),
  );
}

/**
 * Creates a run (Python's `api.create_run(run_id, project, entity)`), in state `pending` unless
 * told otherwise, and returns it.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { createRun } from "@effect-wandb/api/runs";
 * const make = (client: WandbClient) => createRun(client, { entity: "acme", project: "mnist", runId: "import-1" });
 * ```
 */
export function createRun(
  client: WandbClient,
  path: RunPath,
  options?: { readonly state?: string | undefined },
): Effect.Effect<Run, RequestError | NotFoundError | InvalidArgumentError> {
  if (!namePattern.test(path.runId)) {
    return Effect.fail(
      invalid("runId", path.runId, "A run id holds letters, digits, '-', '_' and '.'"),
    );
  }
  return client.execute(createRunMutation(path, options?.state ?? "pending")).pipe(
    Effect.flatMap((data) => {
      const bucket = data.upsertBucket?.bucket ?? null;
      return bucket === null
        ? Effect.fail(projectNotFound("UpsertBucket", path))
        : Effect.succeed(toRun(path, bucket));
    }),
  );
}

/**
 * What {@link updateRun} changes (Python's `run.update()` after setting these attributes). Each
 * field given is the value wanted, and only those are sent.
 */
export interface RunChanges {
  /** The display name (Python's `run.name`). */
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly notes?: string | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
  readonly group?: string | undefined;
  readonly jobType?: string | undefined;
  /**
   * The whole config wanted, as plain values (W&B's `{value, desc}` wrapping, each key's
   * `desc`, and `_wandb` are kept as stored).
   */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /** The whole summary wanted. */
  readonly summary?: Readonly<Record<string, unknown>> | undefined;
}

/** Whether a value is something JSON can carry (no NaN, no ±Infinity, no functions). */
function jsonProblem(value: unknown, at: string): string | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : `${at} is ${value}`;
  if (
    value === null || typeof value === "string" || typeof value === "boolean" ||
    typeof value === "bigint"
  ) {
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = jsonProblem(value[i], `${at}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      const problem = jsonProblem(item, `${at}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  return `${at} is a ${
    typeof value === "object" ? value.constructor?.name ?? "object" : typeof value
  }`;
}

function checkChanges(changes: RunChanges): Effect.Effect<void, InvalidArgumentError> {
  for (const tag of changes.tags ?? []) {
    if (typeof tag !== "string" || tag.trim().length === 0 || tag.length > 64) {
      return Effect.fail(
        invalid("tags", tag, "A tag is a non-empty string of at most 64 characters"),
      );
    }
  }
  for (
    const [argument, value] of [["config", changes.config], ["summary", changes.summary]] as const
  ) {
    if (value === undefined) continue;
    const problem = jsonProblem(value, argument);
    if (problem !== undefined) {
      return Effect.fail(
        invalid(
          argument,
          undefined,
          `${problem}: W&B stores ${argument} as JSON, which cannot carry it`,
        ),
      );
    }
  }
  return Effect.void;
}

/**
 * Updates a run (Python's `run.update()`): one `UpsertBucket` carrying only the fields given.
 * Tags must be non-empty; a config or summary value JSON cannot carry (NaN, ±Infinity, a Date)
 * fails with an `InvalidArgumentError` naming it, before anything is sent. Returns the run as
 * the server now holds it.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { getRun, updateRun } from "@effect-wandb/api/runs";
 * const retag = (client: WandbClient) =>
 *   getRun(client, { entity: "acme", project: "mnist", runId: "abc" }).pipe(
 *     Effect.flatMap((run) => updateRun(client, run, { tags: [...run.tags, "reviewed"], notes: "ok" })),
 *   );
 * ```
 */
export function updateRun(
  client: WandbClient,
  run: Run,
  changes: RunChanges,
): Effect.Effect<Run, RequestError | NotFoundError | InvalidArgumentError> {
  const path = { entity: run.entity, project: run.project, runId: run.id };
  return Effect.gen(function* () {
    yield* checkChanges(changes);
    let config: string | undefined;
    if (changes.config !== undefined) {
      const raw = run.rawConfig ?? (yield* getRun(client, path)).rawConfig ?? {};
      const wrapped: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(raw)) {
        if (key === "_wandb" || key === "wandb_version") wrapped[key] = entry;
      }
      for (const [key, value] of Object.entries(changes.config)) {
        const old = raw[key] as { desc?: unknown } | undefined;
        wrapped[key] = {
          value,
          desc: typeof old === "object" && old !== null ? old.desc ?? null : null,
        };
      }
      config = printWandbJson(wrapped);
    }
    const fields: RunUpdateFields = {
      displayName: changes.name,
      description: changes.description,
      notes: changes.notes,
      tags: changes.tags,
      groupName: changes.group,
      jobType: changes.jobType,
      config,
      summaryMetrics: changes.summary === undefined ? undefined : printWandbJson(changes.summary),
    };
    const data = yield* client.execute(updateRunMutation(run.storageId, fields));
    const bucket = data.upsertBucket?.bucket ?? null;
    if (bucket === null) return yield* Effect.fail(runNotFound("UpsertBucket", path));
    return toRun({ entity: run.entity, project: run.project }, bucket);
  });
}

/**
 * Deletes a run (Python's `run.delete(delete_artifacts)`); returns the run deleted.
 *
 * @example
 * ```ts
 * import { type Run } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { deleteRun } from "@effect-wandb/api/runs";
 * const remove = (client: WandbClient, run: Run) => deleteRun(client, run, { deleteArtifacts: false });
 * ```
 */
export function deleteRun(
  client: WandbClient,
  run: Run,
  options?: { readonly deleteArtifacts?: boolean | undefined },
): Effect.Effect<Run, RequestError> {
  return client.execute(deleteRunMutation(run.storageId, options?.deleteArtifacts ?? false)).pipe(
    Effect.as(run),
  );
}

/** The states a run no longer leaves by itself. */
const finishedStates: ReadonlySet<string> = new Set(["finished", "crashed", "failed", "killed"]);

/**
 * Sets a run's state (Python's `run.update_state(state)`); W&B takes `pending` (to queue a
 * run again) and refuses what it does not allow. Returns the run as the server now holds it.
 *
 * @example
 * ```ts
 * import { type Run } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { updateRunState } from "@effect-wandb/api/runs";
 * const requeue = (client: WandbClient, run: Run) => updateRunState(client, run, "pending");
 * ```
 */
export function updateRunState(
  client: WandbClient,
  run: Run,
  state: string,
): Effect.Effect<Run, RequestError | NotFoundError | InvalidArgumentError> {
  if (!/^[a-z]+$/.test(state)) {
    return Effect.fail(invalid("state", state, "A run state is a lowercase word, e.g. 'pending'"));
  }
  return client.execute(updateRunStateMutation(run.storageId, state)).pipe(
    Effect.flatMap(() =>
      getRun(client, { entity: run.entity, project: run.project, runId: run.id })
    ),
  );
}

/**
 * Asks a run to stop gracefully (Python's `run.stop()`): W&B flags it, and the process running
 * it shuts the run down at its next heartbeat, so this is safe for remote runs (a Kubernetes
 * pod, say). It returns once the flag is set, not once the run ends (wait with
 * {@link waitUntilFinished}); asking again, or asking a run that ended, changes nothing.
 *
 * @example
 * ```ts
 * import { type Run } from "@effect-wandb/api";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * import { stopRun } from "@effect-wandb/api/runs";
 * const stop = (client: WandbClient, run: Run) => stopRun(client, run);
 * ```
 */
export function stopRun(
  client: WandbClient,
  run: Pick<Run, "storageId" | "entity" | "project" | "id">,
): Effect.Effect<void, RequestError | NotFoundError> {
  return client.execute(stopRunMutation(run.storageId)).pipe(
    Effect.flatMap((data) =>
      data.stopRun?.success === true ? Effect.void : Effect.fail(
        runNotFound("StopRun", { entity: run.entity, project: run.project, runId: run.id }),
      )
    ),
  );
}

/** Options of {@link waitUntilFinished}. */
export interface WaitOptions {
  /**
   * When to ask again.
   * @default {Schedule.spaced("5 seconds")}
   */
  readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined;
  /** Give up with a `WaitTimeoutError` after this long. Without it, wait as long as it takes. */
  readonly timeout?: Duration.Input | undefined;
}

/**
 * Waits until a run is finished, crashed, failed or killed (Python's
 * `run.wait_until_finished()`), asking its state (`RunState`) on `schedule`; returns the run
 * as it ended. With `timeout`, a run still going after it fails the wait with a
 * `WaitTimeoutError`: the wait never hangs past it.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { waitUntilFinished } from "@effect-wandb/api/runs";
 * const done = (client: WandbClient) =>
 *   waitUntilFinished(client, { entity: "acme", project: "mnist", runId: "abc" }, {
 *     schedule: Schedule.spaced("10 seconds"),
 *     timeout: "2 hours",
 *   });
 * ```
 */
export function waitUntilFinished(
  client: WandbClient,
  path: RunPath,
  options?: WaitOptions,
): Effect.Effect<Run, RequestError | NotFoundError | WaitTimeoutError> {
  const state = client.execute(runStateQuery(path)).pipe(
    Effect.flatMap((data) =>
      data.project?.run === null || data.project === null
        ? Effect.fail(runNotFound("RunState", path))
        : Effect.succeed(data.project.run.state)
    ),
  );
  const polled = state.pipe(
    Effect.repeat({
      schedule: options?.schedule ?? Schedule.spaced("5 seconds"),
      until: (s: string) => finishedStates.has(s),
    }),
  );
  const bounded = withWaitTimeout(
    polled,
    options?.timeout,
    "RunState",
    (waited) => `Run ${path.entity}/${path.project}/${path.runId} had not finished after ${waited}`,
  );
  return bounded.pipe(Effect.flatMap(() => getRun(client, path)));
}

/**
 * A run's `wandb-metadata.json` (Python's `run.metadata`: host, OS, Python, GPU, program,
 * arguments…), or `null` when the run has none.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { runMetadata } from "@effect-wandb/api/runs";
 * const gpu = (client: WandbClient) => runMetadata(client, { entity: "acme", project: "mnist", runId: "abc" });
 * ```
 */
export function runMetadata(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<Readonly<Record<string, unknown>> | null, RequestError | NotFoundError> {
  return getRunFile(client, path, "wandb-metadata.json").pipe(
    Effect.flatMap((file) =>
      file.directUrl === null
        ? Effect.succeed(null)
        : client.download(file.directUrl, { operation: "GET run metadata" }).pipe(
          Effect.map((bytes) => {
            try {
              const parsed = parseWandbJson(new TextDecoder().decode(bytes));
              return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
                ? parsed as Record<string, unknown>
                : null;
            } catch {
              return null;
            }
          }),
        )
    ),
    Effect.catchIf(
      (e) => e._tag === "NotFoundError" && e.resource === "file",
      () => Effect.succeed(null),
    ),
  );
}

/**
 * The web page of a run (Python's `run.url`): on W&B's app for `api.wandb.ai`, on the server
 * itself for a dedicated or local one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runUrl } from "@effect-wandb/api/runs";
 * const url = runUrl("https://api.wandb.ai", { entity: "acme", project: "mnist", runId: "abc" });
 * assert.ok(url === "https://wandb.ai/acme/mnist/runs/abc");
 * ```
 */
export function runUrl(baseUrl: string, path: RunPath): string {
  return `${appUrl(baseUrl)}/${path.entity}/${path.project}/runs/${path.runId}`;
}

/** The app's URL for an API base URL: `api.wandb.ai` is served as `wandb.ai`. */
export function appUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname === "api.wandb.ai") url.hostname = "wandb.ai";
  return url.origin;
}

/** Whether a state is one a run no longer leaves by itself. */
export const isFinishedState = (state: string): boolean => finishedStates.has(state);
