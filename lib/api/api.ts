/**
 * The `Api` service: the facade a Python user knows as `wandb.Api()`, as an Effect service.
 *
 * Every method returns an `Effect` (one value) or a `Stream` (a collection, lazily paged). Paths
 * take every form the Python client accepts; missing entities and projects come from the config,
 * then from the viewer's default entity (one request, remembered for the life of the `Api`).
 *
 * @module
 */
import type * as Config from "effect/Config";
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as Option from "effect/Option";
import * as Ref from "effect/Ref";
import * as Stream from "effect/Stream";
import type * as HttpClient from "effect/http/HttpClient";
import { positiveInteger } from "../core/_arguments.ts";
import { ArtifactLookup, artifactLookupResolver } from "../artifacts/batch.ts";
import { RunCountLookup, runCountResolver, RunLookup, runLookupResolver } from "../runs/batch.ts";
import {
  type ApiConfig,
  apiConfigFromEnv,
  type ApiOptions,
  apiOptionsConfig,
  makeApiConfig,
} from "../core/config.ts";
import type { InvalidArgumentError, RuntimePermissionError, WandbError } from "../core/errors.ts";
import { encodeFilters, encodeOrder, type RunFilter } from "../core/filters.ts";
import type { Page } from "../core/pagination.ts";
import {
  classifyPath,
  parseProjectPath,
  parseRunPath,
  type PartialProjectPath,
  type PartialRunPath,
  type ProjectPath,
  type RunPath,
} from "../core/paths.ts";
import { makeWandbClient, type WandbClient } from "../core/transport.ts";
import { getProject, listProjectsPages, type Project } from "../projects/projects.ts";
import type { Run } from "../runs/decoders.ts";
import { getRun, listRuns, listRunsPages } from "../runs/operations.ts";
import { getDefaultEntity, getViewer, type User } from "../viewer/viewer.ts";
import {
  histories,
  history,
  type HistoryOptions,
  lastHistoryStep,
  type MultiRunOptions,
  type NdjsonScanOptions,
  scanHistories,
  scanHistoriesJson,
  scanHistoriesNdjson,
  scanHistory,
  scanHistoryJson,
  scanHistoryNdjson,
  type ScanHistoryOptions,
  systemMetrics,
  type TaggedHistoryRow,
} from "../history/operations.ts";
import type { HistoryRow } from "../history/queries.ts";
import type { DownloadedFile, DownloadFilesOptions } from "../core/download.ts";
import type { RunFile } from "../files/decoders.ts";
import {
  createProject,
  createRun,
  deleteRun,
  type RunChanges,
  runMetadata,
  runUrl,
  updateRun,
  updateRunState,
  type WaitOptions,
  waitUntilFinished,
} from "../runs/changes.ts";
import { bestSweepRun, getSweep, listSweeps, type Sweep, sweepRuns } from "../sweeps/sweeps.ts";
import { listReports, type Report } from "../reports/reports.ts";
import {
  createRunQueue,
  deleteQueuedRun,
  deleteRunQueue,
  getJob,
  getQueuedRun,
  getRunQueue,
  listJobs,
  type QueuedRun,
  queuedRunState,
  type RunQueue,
  runQueueItems,
  type RunQueueSpec,
  upsertRunQueue,
  waitUntilQueuedRunFinished,
  waitUntilRunning,
} from "../launch/launch.ts";
import {
  createUser,
  deleteApiKey,
  generateApiKey,
  type GeneratedApiKey,
  getUser,
  searchUsers,
  type UserAccount,
} from "../users/users.ts";
import {
  createServiceAccount,
  createTeam,
  getTeam,
  inviteToTeam,
  removeTeamMember,
  type Team,
  type TeamMember,
} from "../teams/teams.ts";
import type {
  Artifact,
  ArtifactCollection,
  ArtifactFile,
  ArtifactManifest,
  ArtifactManifestEntry,
  ArtifactType,
} from "../artifacts/decoders.ts";
import {
  artifactCollectionExists,
  artifactExists,
  type ArtifactVersionsOptions,
  getArtifactCollection,
  getArtifactEntry,
  getArtifactManifest,
  type GetArtifactOptions,
  getArtifactType,
  listArtifactCollections,
  listArtifactFiles,
  listArtifactTypes,
  listArtifactVersions,
  parseArtifactPath,
} from "../artifacts/operations.ts";
import {
  type ArtifactDownload,
  type ArtifactDownloadOptions,
  checkoutArtifact,
  downloadArtifact,
  downloadArtifactFile,
  verifyArtifact,
} from "../artifacts/download.ts";
import {
  type ArtifactChanges,
  type CollectionChanges,
  deleteArtifact,
  deleteArtifactCollection,
  linkArtifact,
  type LinkedArtifact,
  saveArtifact,
  saveArtifactCollection,
} from "../artifacts/mutations.ts";
import {
  artifactLoggedBy,
  artifactUsedBy,
  listRunArtifacts,
  logArtifact,
  useArtifact,
} from "../artifacts/lineage.ts";
import {
  deleteRunFile,
  downloadRunFile,
  downloadRunFiles,
  getRunFile,
  listRunFiles,
  type RunFileDownloadOptions,
  type RunFilesOptions,
  uploadRunFile,
  type UploadRunFileOptions,
} from "../files/operations.ts";

/** A run, named by any accepted path form, by its parts, or by a `Run` already fetched. */
export type RunRef = string | RunPath | Run;

/** Options of {@link ApiShape.runs}. */
export interface RunsOptions {
  /** A filter built with `and`, `runField`, `config`, `summary`, … or a raw Mongo-style object. */
  readonly filters?: RunFilter | undefined;
  /**
   * Order key: `+created_at`, `-summary_metrics.loss`, `+config.lr.value`, or a field's
   * `.asc` / `.desc`.
   * @default {"+created_at"}
   */
  readonly order?: string | undefined;
  /**
   * Runs per request (Python's `per_page`).
   * @default {50}
   */
  readonly perPage?: number | undefined;
  /**
   * Load config, summary, system metrics and history keys in the listing (Python's
   * `lazy=False`). Light listings are cheaper; `run()` always loads everything.
   * @default {false}
   */
  readonly full?: boolean | undefined;
}

/** Options of {@link ApiShape.projects}. */
export interface ProjectsOptions {
  /**
   * Projects per request.
   * @default {200}
   */
  readonly perPage?: number | undefined;
}

/** What {@link ApiShape.fromPath} found. */
export type PathTarget =
  | { readonly kind: "project"; readonly project: Project }
  | { readonly kind: "run"; readonly run: Run };

/**
 * The `Api` service's methods. Python names in camelCase; see the README for the full map.
 */
export interface ApiShape {
  /** The resolved configuration (the key stays `Redacted`). */
  readonly config: ApiConfig;
  /** The underlying client, for the operation functions and custom queries. */
  readonly client: WandbClient;
  /** The user the API key belongs to (Python `Api.viewer`). */
  readonly viewer: Effect.Effect<User, WandbError>;
  /** The viewer's default entity (Python `Api.default_entity`); cached after the first call. */
  readonly defaultEntity: Effect.Effect<string, WandbError>;
  /** An entity's projects, lazily paged (Python `Api.projects`). */
  projects(entity?: string, options?: ProjectsOptions): Stream.Stream<Project, WandbError>;
  /** Pages of an entity's projects. */
  projectsPages(
    entity?: string,
    options?: ProjectsOptions,
  ): Stream.Stream<Page<Project>, WandbError>;
  /** One project (Python `Api.project(name, entity)`); `NotFoundError` if it does not exist. */
  project(name: string, entity?: string): Effect.Effect<Project, WandbError>;
  /**
   * A project's runs (Python `Api.runs`), lazily paged, in the requested order, each run once.
   *
   * One `Runs` request per page, made only when the stream is pulled: `Stream.take(n)` stops
   * requesting. Each page is retried on its own (never the whole stream). Memory: one page plus
   * the ids already emitted.
   */
  runs(path?: string, options?: RunsOptions): Stream.Stream<Run, WandbError>;
  /** Pages of runs, each with the filtered total in `totalCount`. */
  runsPages(path?: string, options?: RunsOptions): Stream.Stream<Page<Run>, WandbError>;
  /** How many runs match (Python `len(api.runs(...))`). */
  runCount(
    path?: string,
    options?: Pick<RunsOptions, "filters">,
  ): Effect.Effect<number, WandbError>;
  /** One run with all its fields (Python `Api.run`). */
  run(path: string): Effect.Effect<Run, WandbError>;
  /** A project or a run, from any path the Python `Api.from_path` accepts. */
  fromPath(path: string): Effect.Effect<PathTarget, WandbError>;
  /**
   * Every history row of a run, in step order, each once (Python's `run.scan_history`): see
   * `scanHistory` for requests, concurrency, memory and the Parquet path.
   */
  scanHistory(run: RunRef, options?: ScanHistoryOptions): Stream.Stream<HistoryRow, WandbError>;
  /**
   * `scanHistory` with each row as its JSON text, not parsed: the fast way to NDJSON with
   * `writeJsonLines`.
   */
  scanHistoryJson(run: RunRef, options?: ScanHistoryOptions): Stream.Stream<string, WandbError>;
  /**
   * `scanHistory` as NDJSON bytes, a page or row group per chunk: the export path (write it with
   * `writeBytes`, or serve it as a `Response`).
   */
  scanHistoryNdjson(
    run: RunRef,
    options?: NdjsonScanOptions,
  ): Stream.Stream<Uint8Array, WandbError>;
  /** A sample of a run's history (Python's `run.history`); `samples` is required. */
  history(
    run: RunRef,
    options: HistoryOptions,
  ): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError>;
  /** A sample of a run's system metrics (Python's `run.history(stream="system")`). */
  systemMetrics(
    run: RunRef,
    options: { readonly samples: number },
  ): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError>;
  /** The last logged step (Python's `run.lastHistoryStep`), -1 when none. */
  lastHistoryStep(run: RunRef): Effect.Effect<number, WandbError>;
  /** Sampled histories of many runs, rows tagged with `run_id` (Python's `Runs.histories`). */
  histories<E, R>(
    runs: Stream.Stream<Run, E, R>,
    options: HistoryOptions & MultiRunOptions,
  ): Stream.Stream<TaggedHistoryRow, E | WandbError, R>;
  /** Full histories of many runs, rows tagged with `run_id`. */
  scanHistories<E, R>(
    runs: Stream.Stream<Run, E, R>,
    options?: ScanHistoryOptions & MultiRunOptions,
  ): Stream.Stream<TaggedHistoryRow, E | WandbError, R>;
  /** `scanHistories` with each tagged row as its JSON text (see `scanHistoryJson`). */
  scanHistoriesJson<E, R>(
    runs: Stream.Stream<Run, E, R>,
    options?: ScanHistoryOptions & MultiRunOptions,
  ): Stream.Stream<string, E | WandbError, R>;
  /**
   * `scanHistories` as NDJSON bytes, each row tagged with `run_id` and `run_path` (see
   * `scanHistoryNdjson`): the fastest way to export a project's histories.
   */
  scanHistoriesNdjson<E, R>(
    runs: Stream.Stream<Run, E, R>,
    options?: NdjsonScanOptions & MultiRunOptions,
  ): Stream.Stream<Uint8Array, E | WandbError, R>;
  /**
   * A run's files, lazily paged (Python's `run.files(names, per_page, pattern)`; `pattern` is
   * W&B's SQL `LIKE`, e.g. `"%.json"`).
   */
  files(run: RunRef, options?: RunFilesOptions): Stream.Stream<RunFile, WandbError>;
  /** One file of a run by name (Python's `run.file(name)`); `NotFoundError` naming it. */
  file(run: RunRef, name: string): Effect.Effect<RunFile, WandbError>;
  /**
   * Downloads a run file to `root/<name>` (Python's `file.download(root, replace, exist_ok)`):
   * streamed, MD5-verified, renamed into place only when whole, resumed when cut off.
   */
  downloadFile(
    file: RunFile,
    options?: RunFileDownloadOptions,
  ): Effect.Effect<DownloadedFile, WandbError>;
  /** Downloads many run files, `concurrency` at a time, as `downloadFile` does. */
  downloadFiles<E, R>(
    files: Stream.Stream<RunFile, E, R>,
    options: DownloadFilesOptions,
  ): Stream.Stream<DownloadedFile, E | WandbError, R>;
  /** Uploads a local file to a run (Python's `run.upload_file(path, root)`). */
  uploadFile(
    run: RunRef,
    localPath: string,
    options?: UploadRunFileOptions,
  ): Effect.Effect<RunFile, WandbError>;
  /** Deletes a run file (Python's `file.delete()`); returns the file deleted. */
  deleteFile(file: RunFile): Effect.Effect<RunFile, WandbError>;
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
  /**
   * A project's reports, their specs and sections decoded (Python's `api.reports(path, name,
   * per_page)`).
   */
  reports(
    project?: string,
    options?: { readonly name?: string | undefined; readonly perPage?: number | undefined },
  ): Stream.Stream<Report, WandbError>;
  /** A user by username or e-mail (Python's `api.user(...)`; instance admins only). */
  user(usernameOrEmail: string): Effect.Effect<UserAccount, WandbError>;
  /** Users matching a username or e-mail (Python's `api.users(...)`; instance admins only). */
  users(usernameOrEmail: string): Effect.Effect<ReadonlyArray<UserAccount>, WandbError>;
  /** Creates a user (Python's `api.create_user(email, admin)`; instance admins only). */
  createUser(
    email: string,
    options?: { readonly admin?: boolean | undefined },
  ): Effect.Effect<UserAccount, WandbError>;
  /**
   * Generates an API key for the key's own user (Python's `user.generate_api_key()`); the key
   * comes back `Redacted`.
   */
  generateApiKey(
    options?: { readonly description?: string | undefined },
  ): Effect.Effect<GeneratedApiKey, WandbError>;
  /** Deletes one of the key's own user's API keys (Python's `user.delete_api_key(id)`). */
  deleteApiKey(id: string): Effect.Effect<string, WandbError>;
  /** A team and its members with their roles (Python's `api.team(name)`). */
  team(name: string): Effect.Effect<Team, WandbError>;
  /** Creates a team (Python's `api.create_team(name, admin_username)`). */
  createTeam(
    name: string,
    options?: { readonly adminUsername?: string | undefined },
  ): Effect.Effect<Team, WandbError>;
  /** Invites a user into a team (Python's `team.invite(username_or_email, admin)`). */
  inviteToTeam(
    team: string,
    usernameOrEmail: string,
    options?: { readonly admin?: boolean | undefined },
  ): Effect.Effect<Team, WandbError>;
  /** Creates a team's service account (Python's `team.create_service_account(description)`). */
  createServiceAccount(team: string, description: string): Effect.Effect<TeamMember, WandbError>;
  /** Removes a member from a team (Python's `member.delete()`). */
  removeTeamMember(team: string, member: Pick<TeamMember, "id">): Effect.Effect<Team, WandbError>;
  /** Creates a project (Python's `api.create_project(name, entity)`); returns it. */
  createProject(name: string, entity?: string): Effect.Effect<Project, WandbError>;
  /**
   * Creates a run (Python's `api.create_run(run_id, project, entity)`), `pending` unless
   * `state` says otherwise; a random 8-character id when none is given. Returns it.
   */
  createRun(options?: {
    readonly runId?: string | undefined;
    readonly project?: string | undefined;
    readonly entity?: string | undefined;
    readonly state?: string | undefined;
  }): Effect.Effect<Run, WandbError>;
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
   * Waits for a run to finish, crash, fail or be killed (Python's `run.wait_until_finished()`),
   * polling on a `Schedule`, failing with a `WaitTimeoutError` after `timeout`.
   */
  waitUntilFinished(run: RunRef, options?: WaitOptions): Effect.Effect<Run, WandbError>;
  /** A run's `wandb-metadata.json` (Python's `run.metadata`), or `null`. */
  runMetadata(run: RunRef): Effect.Effect<Readonly<Record<string, unknown>> | null, WandbError>;
  /** A run's page in the W&B app (Python's `run.url`). */
  runUrl(run: RunRef): Effect.Effect<string, WandbError>;
  /** A run's sweep (Python's `run.sweep`), or `null` when it belongs to none. */
  runSweep(run: Run): Effect.Effect<Sweep | null, WandbError>;
  /** A sweep by `entity/project/sweep_id` (Python's `api.sweep(path)`). */
  sweep(path: string): Effect.Effect<Sweep, WandbError>;
  /** A project's sweeps (Python's `project.sweeps()`). */
  sweeps(project?: string): Stream.Stream<Sweep, WandbError>;
  /** A sweep's runs (Python's `sweep.runs`). */
  sweepRuns(
    sweep: Sweep,
    options?: { readonly order?: string | undefined },
  ): Stream.Stream<Run, WandbError>;
  /**
   * A sweep's best run by its metric and goal, or by `order` (Python's `sweep.best_run(order)`);
   * `null` without runs or metric.
   */
  bestRun(
    sweep: Sweep,
    options?: { readonly order?: string | undefined },
  ): Effect.Effect<Run | null, WandbError>;
  /** A project's artifact types (Python's `api.artifact_types(project)`). */
  artifactTypes(
    project?: string,
    options?: { readonly perPage?: number | undefined },
  ): Stream.Stream<ArtifactType, WandbError>;
  /** One artifact type (Python's `api.artifact_type(type_name, project)`). */
  artifactType(name: string, project?: string): Effect.Effect<ArtifactType, WandbError>;
  /** A type's collections (Python's `api.artifact_collections(project, type_name)`). */
  artifactCollections(
    project: string | undefined,
    type: string,
    options?: { readonly perPage?: number | undefined },
  ): Stream.Stream<ArtifactCollection, WandbError>;
  /** One collection by `entity/project/name` (Python's `api.artifact_collection(type, name)`). */
  artifactCollection(type: string, name: string): Effect.Effect<ArtifactCollection, WandbError>;
  /** Whether a collection exists (Python's `api.artifact_collection_exists(name, type)`). */
  artifactCollectionExists(name: string, type: string): Effect.Effect<boolean, WandbError>;
  /**
   * A collection's committed versions, newest first (Python's `api.artifacts(type, name,
   * per_page, tags)` and `api.artifact_versions`).
   */
  artifacts(
    type: string,
    name: string,
    options?: ArtifactVersionsOptions,
  ): Stream.Stream<Artifact, WandbError>;
  /** A version by `entity/project/name:alias|vN` (Python's `api.artifact(name, type)`). */
  artifact(name: string, options?: GetArtifactOptions): Effect.Effect<Artifact, WandbError>;
  /** Whether a version exists (Python's `api.artifact_exists(name, type)`). */
  artifactExists(name: string, type?: string): Effect.Effect<boolean, WandbError>;
  /** A version's manifest (Python's `artifact.manifest`). */
  artifactManifest(artifact: Artifact): Effect.Effect<ArtifactManifest, WandbError>;
  /** One manifest entry (Python's `artifact.get_entry(name)` and `get_path(name)`). */
  artifactEntry(artifact: Artifact, path: string): Effect.Effect<ArtifactManifestEntry, WandbError>;
  /** A version's files as the server lists them (Python's `artifact.files(names, per_page)`). */
  artifactFiles(
    artifact: Artifact,
    options?: { readonly names?: ReadonlyArray<string>; readonly perPage?: number },
  ): Stream.Stream<ArtifactFile, WandbError>;
  /**
   * Downloads a version's files, verified, many at once; a re-run fetches only what is missing
   * or wrong (Python's `artifact.download(root, path_prefix, allow_missing_references)`).
   */
  downloadArtifact(
    artifact: Artifact,
    options?: ArtifactDownloadOptions,
  ): Effect.Effect<ArtifactDownload, WandbError>;
  /** Downloads a one-file version and gives the file's path (Python's `artifact.file(root)`). */
  artifactFile(
    artifact: Artifact,
    options?: { readonly root?: string | undefined },
  ): Effect.Effect<string, WandbError>;
  /** Checks a local copy against the manifest (Python's `artifact.verify(root)`). */
  verifyArtifact(artifact: Artifact, root?: string): Effect.Effect<void, WandbError>;
  /** Makes `root` hold exactly the version's files (Python's `artifact.checkout(root)`). */
  checkoutArtifact(artifact: Artifact, root?: string): Effect.Effect<ArtifactDownload, WandbError>;
  /**
   * Saves a version's description, metadata, TTL, aliases and tags (Python's `artifact.save()`);
   * returns it as the server now has it.
   */
  saveArtifact(artifact: Artifact, changes: ArtifactChanges): Effect.Effect<Artifact, WandbError>;
  /** Deletes a version (Python's `artifact.delete(delete_aliases)`). */
  deleteArtifact(
    artifact: Artifact,
    options?: { readonly deleteAliases?: boolean | undefined },
  ): Effect.Effect<Artifact, WandbError>;
  /** Links a version into a portfolio (Python's `artifact.link(target_path, aliases)`). */
  linkArtifact(
    artifact: Artifact,
    targetPath: string,
    options?: { readonly aliases?: ReadonlyArray<string> | undefined },
  ): Effect.Effect<LinkedArtifact, WandbError>;
  /**
   * Saves a collection's name, description, type and tags (Python's `collection.save()`,
   * `change_type`).
   */
  saveArtifactCollection(
    collection: ArtifactCollection,
    changes: CollectionChanges,
  ): Effect.Effect<ArtifactCollection, WandbError>;
  /** Deletes a collection (Python's `collection.delete()`). */
  deleteArtifactCollection(
    collection: ArtifactCollection,
  ): Effect.Effect<ArtifactCollection, WandbError>;
  /** The versions a run logged (Python's `run.logged_artifacts()`). */
  loggedArtifacts(run: RunRef): Stream.Stream<Artifact, WandbError>;
  /** The versions a run used (Python's `run.used_artifacts()`). */
  usedArtifacts(run: RunRef): Stream.Stream<Artifact, WandbError>;
  /** Declares that a run used a version (Python's `run.use_artifact(artifact, use_as)`). */
  useArtifact(
    run: RunRef,
    artifact: Artifact,
    options?: { readonly usedAs?: string | undefined },
  ): Effect.Effect<Artifact, WandbError>;
  /** Declares a version an output of a run (Python's `run.log_artifact(artifact, aliases)`). */
  logArtifact(
    run: RunRef,
    artifact: Artifact,
    options?: { readonly aliases?: ReadonlyArray<string>; readonly tags?: ReadonlyArray<string> },
  ): Effect.Effect<Artifact, WandbError>;
  /** The run that logged a version (Python's `artifact.logged_by()`), or `null`. */
  artifactLoggedBy(artifact: Artifact): Effect.Effect<Run | null, WandbError>;
  /** The runs that used a version (Python's `artifact.used_by()`). */
  artifactUsedBy(artifact: Artifact): Effect.Effect<ReadonlyArray<Run>, WandbError>;
  /** Resolves a project path against the defaults, without a request unless the entity is missing. */
  resolveProjectPath(path?: string): Effect.Effect<ProjectPath, WandbError>;
  /** Resolves a run path against the defaults. */
  resolveRunPath(path: string): Effect.Effect<RunPath, WandbError>;
}

/**
 * Builds the `Api` methods over a configuration and the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { makeApi, makeApiConfig } from "@effect-wandb/api";
 * const api = makeApiConfig({ apiKey: "secret" }).pipe(
 *   Effect.flatMap(makeApi),
 *   Effect.provide(FetchHttpClient.layer),
 * );
 * ```
 */
export function makeApi(config: ApiConfig): Effect.Effect<ApiShape, never, HttpClient.HttpClient> {
  return Effect.gen(function* () {
    const client = yield* makeWandbClient(config);
    const runLookups = runLookupResolver(client);
    const runCounts = runCountResolver(client);
    const artifactLookups = artifactLookupResolver(client);
    const knownDefaultEntity = yield* Ref.make(Option.none<string>());

    const defaultEntity: Effect.Effect<string, WandbError> = Ref.get(knownDefaultEntity).pipe(
      Effect.flatMap(Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          getDefaultEntity(client).pipe(
            Effect.tap((entity) => Ref.set(knownDefaultEntity, Option.some(entity))),
          ),
      })),
    );

    const entityOr = (entity: string | undefined): Effect.Effect<string, WandbError> =>
      entity !== undefined
        ? Effect.succeed(entity)
        : config.entity !== undefined
        ? Effect.succeed(config.entity)
        : defaultEntity;

    const resolveProject = (partial: PartialProjectPath): Effect.Effect<ProjectPath, WandbError> =>
      Effect.map(entityOr(partial.entity), (entity) => ({
        entity,
        // The Python client's fallback when neither the path nor the settings name a project.
        project: partial.project ?? config.project ?? "uncategorized",
      }));

    const resolveRun = (partial: PartialRunPath): Effect.Effect<RunPath, WandbError> =>
      Effect.map(resolveProject(partial), (project) => ({ ...project, runId: partial.runId }));

    const resolveProjectPath = (path?: string) =>
      parseProjectPath(path ?? "").pipe(Effect.flatMap(resolveProject));
    const resolveRunPath = (path: string) => parseRunPath(path).pipe(Effect.flatMap(resolveRun));

    const runPath = (run: RunRef): Effect.Effect<RunPath, WandbError> =>
      typeof run === "string" ? resolveRunPath(run) : Effect.succeed(
        "runId" in run ? run : { entity: run.entity, project: run.project, runId: run.id },
      );

    /** `entity/project/name`, or `name` (and `project/name`) under the default project. */
    const artifactPath = (path: string) =>
      path.split("/").length === 3 ? parseArtifactPath(path, undefined) : resolveProjectPath().pipe(
        Effect.flatMap((defaults) => parseArtifactPath(path, defaults)),
      );

    const runsInput = (path: string | undefined, options: RunsOptions | undefined) =>
      Effect.all({
        project: resolveProjectPath(path),
        filters: encodeFilters(options?.filters),
        order: encodeOrder(options?.order),
        perPage: positiveInteger("perPage", options?.perPage ?? 50),
      }).pipe(Effect.map((input) => ({ ...input, full: options?.full ?? false })));

    const projectsPages = (entity?: string, options?: ProjectsOptions) =>
      Stream.unwrap(
        Effect.all([entityOr(entity), positiveInteger("perPage", options?.perPage ?? 200)]).pipe(
          Effect.map(([e, perPage]) => listProjectsPages(client, e, perPage)),
        ),
      );

    return {
      config,
      client,
      viewer: getViewer(client).pipe(Effect.withSpan("Api.viewer")),
      defaultEntity,
      projects: (entity, options) =>
        projectsPages(entity, options).pipe(
          Stream.flatMap((page) => Stream.fromIterable(page.items)),
        ),
      projectsPages,
      project: (name, entity) =>
        parseProjectPath(entity === undefined ? name : `${entity}/${name}`).pipe(
          Effect.flatMap(resolveProject),
          Effect.flatMap((path) => getProject(client, path)),
          Effect.withSpan("Api.project"),
        ),
      runs: (path, options) =>
        Stream.unwrap(Effect.map(runsInput(path, options), (input) => listRuns(client, input))),
      runsPages: (path, options) =>
        Stream.unwrap(
          Effect.map(runsInput(path, options), (input) => listRunsPages(client, input)),
        ),
      runCount: (path, options) =>
        Effect.all([resolveProjectPath(path), encodeFilters(options?.filters)]).pipe(
          // Counts in flight together share one request (see lib/runs/batch.ts).
          Effect.flatMap(([project, filters]) =>
            Effect.request(RunCountLookup({ project, filters }), runCounts)
          ),
          Effect.withSpan("Api.runCount"),
        ),
      run: (path) =>
        resolveRunPath(path).pipe(
          // Lookups in flight together share one request (see lib/runs/batch.ts).
          Effect.flatMap((runPath) => Effect.request(RunLookup({ path: runPath }), runLookups)),
          Effect.withSpan("Api.run"),
        ),
      fromPath: (path) =>
        classifyPath(path).pipe(
          Effect.flatMap((target): Effect.Effect<PathTarget, WandbError> =>
            target._tag === "project"
              ? resolveProject(target.path).pipe(
                Effect.flatMap((p) => getProject(client, p)),
                Effect.map((project) => ({ kind: "project", project }) as const),
              )
              : resolveRun(target.path).pipe(
                Effect.flatMap((p) => getRun(client, p)),
                Effect.map((run) => ({ kind: "run", run }) as const),
              )
          ),
          Effect.withSpan("Api.fromPath"),
        ),
      scanHistory: (run, options) =>
        Stream.unwrap(Effect.map(runPath(run), (path) => scanHistory(client, path, options))),
      scanHistoryJson: (run, options) =>
        Stream.unwrap(Effect.map(runPath(run), (path) => scanHistoryJson(client, path, options))),
      scanHistoryNdjson: (run, options) =>
        Stream.unwrap(
          Effect.map(runPath(run), (path) => scanHistoryNdjson(client, path, options)),
        ),
      history: (run, options) =>
        runPath(run).pipe(
          Effect.flatMap((path) => history(client, path, options)),
          Effect.withSpan("Api.history"),
        ),
      systemMetrics: (run, options) =>
        runPath(run).pipe(
          Effect.flatMap((path) => systemMetrics(client, path, options)),
          Effect.withSpan("Api.systemMetrics"),
        ),
      lastHistoryStep: (run) =>
        runPath(run).pipe(Effect.flatMap((path) => lastHistoryStep(client, path))),
      histories: (runs, options) => histories(client, runs, options),
      scanHistories: (runs, options) => scanHistories(client, runs, options),
      scanHistoriesJson: (runs, options) => scanHistoriesJson(client, runs, options),
      scanHistoriesNdjson: (runs, options) => scanHistoriesNdjson(client, runs, options),
      runQueue: (entity, name) =>
        getRunQueue(client, entity, name).pipe(Effect.withSpan("Api.runQueue")),
      runQueueItems: (queue, project) => runQueueItems(client, queue.entity, queue.name, project),
      createRunQueue: (spec) => createRunQueue(client, spec),
      upsertRunQueue: (spec) => upsertRunQueue(client, spec),
      deleteRunQueue: (queue) => deleteRunQueue(client, queue),
      queuedRun: (queued) => getQueuedRun(client, queued),
      queuedRunState: (queued) => queuedRunState(client, queued),
      waitUntilRunning: (queued, options) => waitUntilRunning(client, queued, options),
      waitUntilQueuedRunFinished: (queued, options) =>
        waitUntilQueuedRunFinished(client, queued, options),
      deleteQueuedRun: (queued) => deleteQueuedRun(client, queued),
      job: (name) =>
        artifactPath(name).pipe(
          Effect.flatMap(({ project, name }) => getJob(client, project, name)),
        ),
      listJobs: (project) =>
        Stream.unwrap(Effect.map(resolveProjectPath(project), (p) => listJobs(client, p))),
      reports: (project, options) =>
        Stream.unwrap(
          Effect.map(resolveProjectPath(project), (p) => listReports(client, p, options)),
        ),
      user: (who) => getUser(client, who).pipe(Effect.withSpan("Api.user")),
      users: (who) => searchUsers(client, who).pipe(Effect.withSpan("Api.users")),
      createUser: (email, options) => createUser(client, email, options),
      generateApiKey: (options) => generateApiKey(client, options),
      deleteApiKey: (id) => deleteApiKey(client, id),
      team: (name) => getTeam(client, name).pipe(Effect.withSpan("Api.team")),
      createTeam: (name, options) => createTeam(client, name, options),
      inviteToTeam: (team, who, options) => inviteToTeam(client, team, who, options),
      createServiceAccount: (team, description) => createServiceAccount(client, team, description),
      removeTeamMember: (team, member) => removeTeamMember(client, team, member),
      createProject: (name, entity) =>
        parseProjectPath(entity === undefined ? name : `${entity}/${name}`).pipe(
          Effect.flatMap(resolveProject),
          Effect.flatMap((path) => createProject(client, path)),
          Effect.withSpan("Api.createProject"),
        ),
      createRun: (options) =>
        resolveProjectPath(
          options?.project === undefined
            ? undefined
            : options.entity === undefined
            ? options.project
            : `${options.entity}/${options.project}`,
        ).pipe(
          Effect.flatMap((project) =>
            createRun(client, {
              ...project,
              runId: options?.runId ?? crypto.randomUUID().replaceAll("-", "").slice(0, 8),
            }, { state: options?.state })
          ),
          Effect.withSpan("Api.createRun"),
        ),
      updateRun: (run, changes) =>
        updateRun(client, run, changes).pipe(Effect.withSpan("Api.updateRun")),
      deleteRun: (run, options) =>
        deleteRun(client, run, options).pipe(Effect.withSpan("Api.deleteRun")),
      updateRunState: (run, state) => updateRunState(client, run, state),
      waitUntilFinished: (run, options) =>
        runPath(run).pipe(Effect.flatMap((path) => waitUntilFinished(client, path, options))),
      runMetadata: (run) => runPath(run).pipe(Effect.flatMap((path) => runMetadata(client, path))),
      runUrl: (run) => runPath(run).pipe(Effect.map((path) => runUrl(config.baseUrl, path))),
      runSweep: (run) =>
        run.sweepName === null
          ? Effect.succeed(null)
          : getSweep(client, { entity: run.entity, project: run.project }, run.sweepName),
      sweep: (path) =>
        artifactPath(path).pipe(
          Effect.flatMap(({ project, name }) => getSweep(client, project, name)),
          Effect.withSpan("Api.sweep"),
        ),
      sweeps: (project) =>
        Stream.unwrap(Effect.map(resolveProjectPath(project), (p) => listSweeps(client, p))),
      sweepRuns: (sweep, options) => sweepRuns(client, sweep, options),
      bestRun: (sweep, options) => bestSweepRun(client, sweep, options),
      artifactTypes: (project, options) =>
        Stream.unwrap(
          Effect.map(resolveProjectPath(project), (p) => listArtifactTypes(client, p, options)),
        ),
      artifactType: (name, project) =>
        resolveProjectPath(project).pipe(
          Effect.flatMap((p) => getArtifactType(client, p, name)),
          Effect.withSpan("Api.artifactType"),
        ),
      artifactCollections: (project, type, options) =>
        Stream.unwrap(
          Effect.map(
            resolveProjectPath(project),
            (p) => listArtifactCollections(client, p, type, options),
          ),
        ),
      artifactCollection: (type, name) =>
        artifactPath(name).pipe(
          Effect.flatMap(({ project, name }) => getArtifactCollection(client, project, type, name)),
          Effect.withSpan("Api.artifactCollection"),
        ),
      artifactCollectionExists: (name, type) =>
        artifactPath(name).pipe(
          Effect.flatMap(({ project, name }) =>
            artifactCollectionExists(client, project, type, name)
          ),
        ),
      artifacts: (type, name, options) =>
        Stream.unwrap(
          Effect.map(
            artifactPath(name),
            ({ project, name }) => listArtifactVersions(client, project, type, name, options),
          ),
        ),
      artifact: (name, options) =>
        artifactPath(name).pipe(
          // Lookups in flight together share one request (see lib/artifacts/batch.ts).
          Effect.flatMap(({ project, name }) =>
            Effect.request(
              ArtifactLookup({
                project,
                name,
                type: options?.type,
                enableTracking: options?.enableTracking ?? true,
              }),
              artifactLookups,
            )
          ),
          Effect.withSpan("Api.artifact"),
        ),
      artifactExists: (name, type) =>
        artifactPath(name).pipe(
          Effect.flatMap(({ project, name }) => artifactExists(client, project, name, { type })),
        ),
      artifactManifest: (artifact) => getArtifactManifest(client, artifact),
      artifactEntry: (artifact, path) => getArtifactEntry(client, artifact, path),
      artifactFiles: (artifact, options) => listArtifactFiles(client, artifact, options),
      downloadArtifact: (artifact, options) => downloadArtifact(client, artifact, options),
      artifactFile: (artifact, options) => downloadArtifactFile(client, artifact, options),
      verifyArtifact: (artifact, root) => verifyArtifact(client, artifact, root),
      checkoutArtifact: (artifact, root) => checkoutArtifact(client, artifact, root),
      saveArtifact: (artifact, changes) =>
        saveArtifact(client, artifact, changes).pipe(Effect.withSpan("Api.saveArtifact")),
      deleteArtifact: (artifact, options) =>
        deleteArtifact(client, artifact, options).pipe(Effect.withSpan("Api.deleteArtifact")),
      linkArtifact: (artifact, target, options) =>
        linkArtifact(client, artifact, target, options).pipe(Effect.withSpan("Api.linkArtifact")),
      saveArtifactCollection: (collection, changes) =>
        saveArtifactCollection(client, collection, changes),
      deleteArtifactCollection: (collection) => deleteArtifactCollection(client, collection),
      loggedArtifacts: (run) =>
        Stream.unwrap(Effect.map(runPath(run), (p) => listRunArtifacts(client, p, "logged"))),
      usedArtifacts: (run) =>
        Stream.unwrap(Effect.map(runPath(run), (p) => listRunArtifacts(client, p, "used"))),
      useArtifact: (run, artifact, options) =>
        runPath(run).pipe(Effect.flatMap((p) => useArtifact(client, p, artifact, options))),
      logArtifact: (run, artifact, options) =>
        runPath(run).pipe(Effect.flatMap((p) => logArtifact(client, p, artifact, options))),
      artifactLoggedBy: (artifact) => artifactLoggedBy(client, artifact),
      artifactUsedBy: (artifact) => artifactUsedBy(client, artifact),
      files: (run, options) =>
        Stream.unwrap(Effect.map(runPath(run), (path) => listRunFiles(client, path, options))),
      file: (run, name) =>
        runPath(run).pipe(
          Effect.flatMap((path) => getRunFile(client, path, name)),
          Effect.withSpan("Api.file"),
        ),
      downloadFile: (file, options) =>
        downloadRunFile(client, file, options).pipe(Effect.withSpan("Api.downloadFile")),
      downloadFiles: (files, options) => downloadRunFiles(client, files, options),
      uploadFile: (run, localPath, options) =>
        runPath(run).pipe(
          Effect.flatMap((path) => uploadRunFile(client, path, localPath, options)),
          Effect.withSpan("Api.uploadFile"),
        ),
      deleteFile: (file) => deleteRunFile(client, file).pipe(Effect.withSpan("Api.deleteFile")),
      resolveProjectPath,
      resolveRunPath,
    } satisfies ApiShape;
  });
}

const ApiBase: Context.ServiceClass<Api, "effect-wandb/Api", ApiShape> = Context.Service<
  Api,
  ApiShape
>()("effect-wandb/Api");

/**
 * The W&B public API as an Effect service (Python's `wandb.Api()`).
 *
 * Provide it with {@link Api.layer} (options in code), {@link Api.layerConfig} (any `Config`)
 * or {@link Api.layerFromEnv} (`WANDB_*` variables, under a scoped `--allow-env`). The layers
 * need an `HttpClient`: `FetchHttpClient.layer` from `effect/http` is the usual choice.
 *
 * @example Listing finished runs
 * ```ts
 * import { Effect, Layer, Stream } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { Api, runField } from "@effect-wandb/api";
 *
 * const program = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.runs("acme/mnist", { filters: runField.state.eq("finished") }).pipe(
 *     Stream.take(10),
 *     Stream.runCollect,
 *   );
 * });
 * const live = Api.layer({ apiKey: "…" }).pipe(Layer.provide(FetchHttpClient.layer));
 * // Effect.runPromise(program.pipe(Effect.provide(live)));
 * ```
 */
export class Api extends ApiBase {
  /** A layer from options given in code. */
  static layer(options: ApiOptions): Layer.Layer<Api, InvalidArgumentError, HttpClient.HttpClient> {
    return Layer.effect(Api, Effect.flatMap(makeApiConfig(options), makeApi));
  }

  /** A layer from an Effect `Config` of options (by default {@link apiOptionsConfig}). */
  static layerConfig(
    config: Config.Config<ApiOptions> = apiOptionsConfig,
  ): Layer.Layer<Api, Config.ConfigError | InvalidArgumentError, HttpClient.HttpClient> {
    return Layer.effect(
      Api,
      Effect.gen(function* () {
        const options = yield* config;
        return yield* makeApi(yield* makeApiConfig(options));
      }),
    );
  }

  /**
   * A layer from the `WANDB_*` environment variables, read one by one so that a scoped
   * `--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT`
   * is enough.
   */
  static readonly layerFromEnv: Layer.Layer<
    Api,
    Config.ConfigError | InvalidArgumentError | RuntimePermissionError,
    HttpClient.HttpClient
  > = Layer.effect(Api, Effect.flatMap(apiConfigFromEnv, makeApi));
}
