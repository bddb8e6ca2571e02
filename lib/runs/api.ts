/**
 * The runs' slice of the `Api`: listing and counting runs, one run, a path of either kind, and a
 * run's changes (create, update, delete, state, waiting for its end), metadata and URL.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { positiveInteger } from "../core/_arguments.ts";
import { type ApiContext, loadOnce, memoized, type RunRef } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import { encodeFilters, encodeOrder, type RunFilter } from "../core/filters.ts";
import type { Page } from "../core/pagination.ts";
import { classifyPath, type RunPath } from "../core/paths.ts";
import type { Project } from "../projects/projects.ts";
import type { Run, RunField } from "./decoders.ts";
import type { RunChanges, WaitOptions } from "./changes.ts";
import type { FollowRunsOptions, RunEvent } from "./follow.ts";
import type { RunSchemas } from "./typed.ts";

/** Options of {@link RunsApi.runs}. */
export interface RunsOptions<
  C = Readonly<Record<string, unknown>>,
  S = Readonly<Record<string, unknown>>,
> extends RunSchemas<C, S> {
  /** A filter built with `and`, `runField`, `config`, `summary`, … or a raw Mongo-style object. */
  readonly filters?: RunFilter | undefined;
  /**
   * Order key: `+created_at`, `-summary_metrics.loss`, `+config.lr.value`, or a field's
   * `.asc` / `.desc`.
   * @default {"+created_at"}
   */
  readonly order?: string | undefined;
  /**
   * Runs per request (Python's `per_page`). Without one, a listing that loads config, summary
   * or other heavy fields reads its first 50 runs as the official client does and the rest
   * faster: their order from light pages, their fields in requests side by side.
   * @default {50}
   */
  readonly perPage?: number | undefined;
  /**
   * Load config, summary, system metrics and history keys in the listing (Python's
   * `lazy=False`). Light listings are cheaper; `run()` always loads everything. A listing
   * given a `config` or `summary` Schema is always full.
   * @default {false}
   */
  readonly full?: boolean | undefined;
  /**
   * Load only these of config, summary, system metrics and history keys: a runs table that
   * needs config and summary (`["config", "summary"]`) spares W&B the rest, which it computes
   * per run. Overrides `full`; a `config` or `summary` Schema adds its field.
   */
  readonly fields?: ReadonlyArray<RunField> | undefined;
}

/** What {@link RunsApi.fromPath} found. */
export type PathTarget =
  | { readonly kind: "project"; readonly project: Project }
  | { readonly kind: "run"; readonly run: Run };

/** Options of {@link RunsApi.createRun}. */
export interface CreateRunOptions {
  /** The run's id; a random 8-character one when absent. */
  readonly runId?: string | undefined;
  /** `project` or `entity/project`; the default project when absent. */
  readonly project?: string | undefined;
  /** The entity; the default one when absent. */
  readonly entity?: string | undefined;
  /**
   * The run's state.
   * @default {"pending"}
   */
  readonly state?: string | undefined;
}

/** The runs' methods of the `Api`. */
export interface RunsApi {
  /**
   * A project's runs (Python's `Api.runs`), lazily paged, in the requested order, each run once.
   *
   * One `Runs` request per page, made only when the stream is pulled: `Stream.take(n)` stops
   * requesting. Each page is retried on its own (never the whole stream). Memory: one page plus
   * the ids already emitted.
   */
  runs<C = Readonly<Record<string, unknown>>, S = Readonly<Record<string, unknown>>>(
    path?: string,
    options?: RunsOptions<C, S>,
  ): Stream.Stream<Run<C, S>, WandbError>;
  /** Pages of runs, each with the filtered total in `totalCount`. */
  runsPages(path?: string, options?: RunsOptions): Stream.Stream<Page<Run>, WandbError>;
  /** How many runs match (Python's `len(api.runs(...))`). */
  runCount(
    path?: string,
    options?: Pick<RunsOptions, "filters">,
  ): Effect.Effect<number, WandbError>;
  /** One run with all its fields (Python's `Api.run`); lookups in flight together share a request. */
  run<C = Readonly<Record<string, unknown>>, S = Readonly<Record<string, unknown>>>(
    path: string,
    schemas?: RunSchemas<C, S>,
  ): Effect.Effect<Run<C, S>, WandbError>;
  /** A project or a run, from any path the Python `Api.from_path` accepts. */
  fromPath(path: string): Effect.Effect<PathTarget, WandbError>;
  /**
   * Creates a run (Python's `api.create_run(run_id, project, entity)`), `pending` unless
   * `state` says otherwise; a random 8-character id when none is given. Returns it.
   */
  createRun(options?: CreateRunOptions): Effect.Effect<Run, WandbError>;
  /**
   * Updates a run (Python's `run.update()`): one `UpsertBucket` with only the fields given;
   * returns the run as the server now holds it.
   */
  updateRun(run: Run, changes: RunChanges): Effect.Effect<Run, WandbError>;
  /** Deletes a run (Python's `run.delete(delete_artifacts)`); returns it. */
  deleteRun(
    run: Run,
    options?: { readonly deleteArtifacts?: boolean | undefined },
  ): Effect.Effect<Run, WandbError>;
  /** Sets a run's state where W&B allows it (Python's `run.update_state`). */
  updateRunState(run: Run, state: string): Effect.Effect<Run, WandbError>;
  /**
   * Asks a run to stop gracefully (Python's `run.stop()`): its process stops at its next
   * heartbeat; this returns once W&B has flagged it.
   */
  stopRun(run: RunRef): Effect.Effect<void, WandbError>;
  /**
   * Waits for a run to finish, crash, fail or be killed (Python's `run.wait_until_finished()`),
   * polling on a `Schedule`, failing with a `WaitTimeoutError` after `timeout`.
   */
  waitUntilFinished(run: RunRef, options?: WaitOptions): Effect.Effect<Run, WandbError>;
  /** A run's `wandb-metadata.json` (Python's `run.metadata`), or `null`. */
  runMetadata(run: RunRef): Effect.Effect<Readonly<Record<string, unknown>> | null, WandbError>;
  /** A run's page in the W&B app (Python's `run.url`). */
  runUrl(run: RunRef): Effect.Effect<string, WandbError>;
  /**
   * A project's run events as they happen (created, state changed, heartbeat stale, finished),
   * polled on `schedule` until interrupted.
   */
  followRuns(project?: string, options?: FollowRunsOptions): Stream.Stream<RunEvent, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));
const changes = loadOnce(() => import("./changes.ts"));
const batch = loadOnce(() => import("./batch.ts"));
const follow = loadOnce(() => import("./follow.ts"));
const typed = loadOnce(() => import("./typed.ts"));
const projects = loadOnce(() => import("../projects/projects.ts"));

/** Builds the runs' slice. */
export function runsApi(context: ApiContext): RunsApi {
  const { client, config, paths } = context;
  // Lookups in flight together share one request (see ./batch.ts): one resolver per `Api`.
  const lookups = memoized(
    Effect.map(batch, (m) => ({
      run: m.runLookupResolver(client),
      count: m.runCountResolver(client),
      RunLookup: m.RunLookup,
      RunCountLookup: m.RunCountLookup,
    })),
  );
  const runsInput = (
    path: string | undefined,
    options: RunsOptions<unknown, unknown> | undefined,
  ) =>
    Effect.all({
      project: paths.project(path),
      filters: encodeFilters(options?.filters),
      order: encodeOrder(options?.order),
      perPage: positiveInteger("perPage", options?.perPage ?? 50),
    }).pipe(Effect.map((input) => ({
      ...input,
      full: (options?.full ?? false) || options?.config !== undefined ||
        options?.summary !== undefined,
      adaptive: options?.perPage === undefined,
      fields: options?.fields === undefined ? undefined : [
        ...options.fields,
        ...(options.config === undefined ? [] : ["config" as const]),
        ...(options.summary === undefined ? [] : ["summary" as const]),
      ],
    })));
  const withRun = <A>(run: RunRef, use: (path: RunPath) => Effect.Effect<A, WandbError>) =>
    Effect.flatMap(paths.run(run), use);
  return {
    runs: <C, S>(path?: string, options?: RunsOptions<C, S>) =>
      Stream.unwrap(
        Effect.map(Effect.zip(runsInput(path, options), operations), ([input, m]) => {
          const runs = m.listRuns(client, input);
          return options?.config === undefined && options?.summary === undefined
            ? runs as Stream.Stream<Run<C, S>, WandbError>
            : Stream.unwrap(Effect.map(typed, (t) => runs.pipe(t.typedRuns(options))));
        }),
      ),
    runsPages: (path, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(runsInput(path, options), operations), ([input, m]) =>
          m.listRunsPages(client, input)),
      ),
    runCount: (path, options) =>
      Effect.all([paths.project(path), encodeFilters(options?.filters), lookups]).pipe(
        Effect.flatMap(([project, filters, r]) =>
          Effect.request(r.RunCountLookup({ project, filters }), r.count)
        ),
      ),
    run: <C, S>(path: string, schemas?: RunSchemas<C, S>) =>
      Effect.flatMap(
        Effect.zip(Effect.flatMap(Effect.succeed(path), (p) => paths.run(p)), lookups),
        ([runPath, r]) => Effect.request(r.RunLookup({ path: runPath }), r.run),
      ).pipe(
        Effect.flatMap((found): Effect.Effect<Run<C, S>, WandbError> =>
          schemas === undefined
            ? Effect.succeed(found as Run<C, S>)
            : Effect.flatMap(typed, (t) => t.typedRun(found, schemas))
        ),
      ),
    fromPath: (path) =>
      classifyPath(path).pipe(
        Effect.flatMap((target): Effect.Effect<PathTarget, WandbError> =>
          target._tag === "project"
            ? Effect.flatMap(Effect.zip(paths.projectOf(target.path), projects), ([p, m]) =>
              Effect.map(m.getProject(client, p), (project) =>
                ({ kind: "project", project }) as const))
            : Effect.flatMap(Effect.zip(paths.runOf(target.path), operations), ([p, m]) =>
              Effect.map(m.getRun(client, p), (run) =>
                ({ kind: "run", run }) as const))
        ),
      ),
    createRun: (options) =>
      paths.project(
        options?.project === undefined
          ? undefined
          : options.entity === undefined
          ? options.project
          : `${options.entity}/${options.project}`,
      ).pipe(
        Effect.zip(changes),
        Effect.flatMap(([project, m]) =>
          m.createRun(client, {
            ...project,
            runId: options?.runId ?? crypto.randomUUID().replaceAll("-", "").slice(0, 8),
          }, { state: options?.state })
        ),
      ),
    updateRun: (run, update) => Effect.flatMap(changes, (m) => m.updateRun(client, run, update)),
    deleteRun: (run, options) => Effect.flatMap(changes, (m) => m.deleteRun(client, run, options)),
    updateRunState: (run, state) =>
      Effect.flatMap(changes, (m) => m.updateRunState(client, run, state)),
    stopRun: (run) =>
      // The mutation takes the run's storage id: a run already fetched has it.
      Effect.flatMap(changes, (m) =>
        typeof run === "object" && "storageId" in run
          ? m.stopRun(client, run as Run)
          : withRun(run, (path) =>
            Effect.flatMap(
              Effect.flatMap(operations, (o) =>
                o.getRun(client, path)),
              (found) => m.stopRun(client, found),
            ))),
    waitUntilFinished: (run, options) =>
      withRun(
        run,
        (path) => Effect.flatMap(changes, (m) => m.waitUntilFinished(client, path, options)),
      ),
    runMetadata: (run) =>
      withRun(run, (path) => Effect.flatMap(changes, (m) => m.runMetadata(client, path))),
    runUrl: (run) =>
      withRun(run, (path) => Effect.map(changes, (m) => m.runUrl(config.baseUrl, path))),
    followRuns: (project, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.project(project), follow), ([p, m]) =>
          m.followRuns(client, p, options)),
      ),
  };
}
