/**
 * GraphQL resolvers of the local server: plain objects whose methods graphql-js calls with
 * `(args, context)`, backed by {@link EmulatorStore}.
 *
 * @module
 */
import { parseWandbJson, printWandbJson } from "../core/wandb_json.ts";
import { GraphQLError } from "graphql";
import {
  type EmulatorStore,
  type HistoryRow,
  historyValueType,
  sampleEvenly,
  type StoredProject,
  type StoredRun,
  type StoredUser,
} from "./store.ts";
import { offsetPage, runFilter, runOrder, RunQueryError } from "./run_query.ts";
import { createRunFiles, type FileContext, fileIdOf, runFileFields } from "./files/resolvers.ts";
import { projectSweepFields } from "./sweeps/resolvers.ts";
import { projectReportFields } from "./reports/resolvers.ts";
import {
  entityLaunchFields,
  type LaunchContext,
  launchMutations,
  projectLaunchFields,
} from "./launch/resolvers.ts";
import { apiKeysView, memberViews, type TeamContext, teamFields } from "./teams/resolvers.ts";
import {
  type ArtifactContext,
  artifactMutations,
  artifactQueries,
  projectArtifactFields,
  runArtifactFields,
} from "./artifacts/resolvers.ts";

/** Thrown by a resolver when the viewer may not read an entity: the server answers HTTP 403. */
export class ForbiddenError extends Error {
  /** Names the error for logs. */
  override readonly name = "ForbiddenError";
}

/** Parquet history export, plugged in by the server (see `lib/testing/parquet/`). */
export interface ParquetHistoryProvider {
  /** The signed URLs of a run's exported history and the rows not exported yet. */
  parquetHistory(
    run: StoredRun,
    liveKeys: ReadonlyArray<string>,
  ): Promise<{ parquetUrls: ReadonlyArray<string>; liveData: ReadonlyArray<HistoryRow> }>;
}

/** What every resolver sees. */
export interface ResolverContext {
  readonly store: EmulatorStore;
  /** The authenticated user. */
  readonly viewer: StoredUser;
  /** Parquet export, when the server offers it. */
  readonly parquet: ParquetHistoryProvider | undefined;
  /**
   * A list field's value given as its finished JSON text: what the resolver returns in its
   * place is swapped for that text when the answer is written. Stored history pages are
   * already JSON; parsing them into strings for graphql-js to hand back for escaping again
   * cost more than the rest of a page's request.
   */
  readonly rawJson: (listJson: string) => ReadonlyArray<string>;
  /** Run files: their store, and the storage that hands out their signed URLs. */
  readonly files: FileContext;
}

/** The Launch resolvers' view of a request's context. */
const launchContext = (ctx: ResolverContext): LaunchContext => ({
  store: ctx.store,
  checkEntity: (entity) => {
    if (!canRead(ctx, entity)) throw new GraphQLError(`entity ${entity} does not exist`);
  },
});

const withLaunchContext = (
  fields: Readonly<Record<string, (args: never, ctx: LaunchContext) => unknown>>,
): Record<string, (args: never, ctx: ResolverContext) => unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [
      name,
      (args: never, ctx: ResolverContext) => field(args, launchContext(ctx)),
    ]),
  );

/** The team resolvers' view of a request's context. */
const teamContext = (ctx: ResolverContext): TeamContext => ({
  store: ctx.store,
  viewer: ctx.viewer,
  userView: (user) => userView(ctx, user),
  entityView: (name) => entityView(ctx, name),
  forbid: (message) => {
    throw new ForbiddenError(message);
  },
});

/** Root fields written for a `TeamContext`, as root fields of the server. */
const withTeamContext = (
  fields: Readonly<Record<string, (args: never, ctx: TeamContext) => unknown>>,
): Record<string, (args: never, ctx: ResolverContext) => unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [
      name,
      (args: never, ctx: ResolverContext) => field(args, teamContext(ctx)),
    ]),
  );

const artifactContexts = new WeakMap<ResolverContext, ArtifactContext>();

/** The artifact resolvers' view of a request's context (made once per request). */
function artifactContext(ctx: ResolverContext): ArtifactContext {
  let found = artifactContexts.get(ctx);
  if (found === undefined) {
    found = {
      store: ctx.store,
      viewer: ctx.viewer,
      storage: ctx.files.storage,
      baseUrl: ctx.files.baseUrl,
      projectView: (project) => projectView(ctx, project),
      runView: (run) => runView(ctx, run),
      checkEntity: (entity) => {
        if (!canRead(ctx, entity)) throw new GraphQLError(`entity ${entity} does not exist`);
      },
    };
    artifactContexts.set(ctx, found);
  }
  return found;
}

/** Root fields written for an `ArtifactContext`, as root fields of the server. */
const withArtifactContext = (
  fields: Readonly<Record<string, (args: never, ctx: ArtifactContext) => unknown>>,
): Record<string, (args: never, ctx: ResolverContext) => unknown> =>
  Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [
      name,
      (args: never, ctx: ResolverContext) => field(args, artifactContext(ctx)),
    ]),
  );

/** W&B's default `samples` for sampled history. */
const defaultSamples = 500;

const queryError = (error: unknown): never => {
  if (error instanceof RunQueryError) throw new GraphQLError(error.message);
  throw error;
};

function canRead(ctx: ResolverContext, entity: string): boolean {
  const found = ctx.store.entity(entity);
  if (found === undefined) return false;
  if (!found.members.includes(ctx.viewer.username)) {
    throw new ForbiddenError(`permission denied: ${ctx.viewer.username} may not access ${entity}`);
  }
  return true;
}

function historyKeys(ctx: ResolverContext, run: StoredRun): unknown {
  const counts = new Map<string, Map<string, number>>();
  const add = (key: string, type: string, n: number) => {
    const perType = counts.get(key) ?? new Map<string, number>();
    perType.set(type, (perType.get(type) ?? 0) + n);
    counts.set(key, perType);
  };
  const spec = run.history;
  if (spec?.quirks !== undefined) {
    // The seed's real-world runs are short and irregular: every row is counted.
    for (const row of ctx.store.historyRows(run, 0, spec.steps)) {
      for (const key in row) add(key, historyValueType(row[key]), 1);
    }
  } else if (spec !== null) {
    // Counted arithmetically: a generated history may have millions of rows.
    for (const key of ["_step", "_runtime", "_timestamp"]) add(key, "number", spec.steps);
    const row = ctx.store.historyRows(run, 0, 1).next().value as HistoryRow | undefined;
    for (const key of Object.keys(row ?? {})) {
      if (!key.startsWith("_") && key !== "val/loss" && key !== "val/acc" && key !== "weights") {
        add(key, "number", spec.steps);
      }
    }
    if (spec.sparseEvery > 0) {
      const n = Math.floor((spec.steps - 1) / spec.sparseEvery) + 1;
      add("val/loss", "number", n);
      add("val/acc", "number", n);
    }
    if (spec.histogramEvery > 0) {
      add("weights", "histogram", Math.floor((spec.steps - 1) / spec.histogramEvery) + 1);
    }
  } else {
    for (const { key, type, count } of ctx.store.historyKeyCounts(run)) add(key, type, count);
  }
  const keys: Record<string, unknown> = {};
  for (const [key, perType] of counts) {
    keys[key] = { typeCounts: [...perType].map(([type, count]) => ({ type, count })) };
  }
  return { lastStep: ctx.store.lastStep(run), keys };
}

interface HistorySpec {
  keys?: unknown;
  samples?: unknown;
  minStep?: unknown;
  maxStep?: unknown;
}

function sampledHistory(ctx: ResolverContext, run: StoredRun, specText: string): Array<HistoryRow> {
  let spec: HistorySpec;
  try {
    spec = JSON.parse(specText);
  } catch {
    throw new GraphQLError("invalid spec: not JSON");
  }
  if (!Array.isArray(spec.keys) || spec.keys.some((k) => typeof k !== "string")) {
    throw new GraphQLError("invalid spec: keys must be a list of strings");
  }
  const keys = spec.keys as Array<string>;
  const samples = typeof spec.samples === "number" ? spec.samples : defaultSamples;
  const lo = typeof spec.minStep === "number" ? spec.minStep : 0;
  // Like the real server, sampledHistory's maxStep is inclusive (wandb-core sends maxStep - 1).
  const hi = typeof spec.maxStep === "number" ? spec.maxStep + 1 : Number.MAX_SAFE_INTEGER;
  const rows: Array<HistoryRow> = [];
  for (const row of ctx.store.historyRows(run, lo, hi)) {
    if (!keys.every((k) => k in row)) continue;
    const projected: Record<string, unknown> = { _step: row["_step"] };
    for (const k of keys) projected[k] = row[k];
    rows.push(projected);
  }
  return sampleEvenly(rows, samples);
}

const emptyConnection = {
  edges: [],
  pageInfo: { startCursor: null, endCursor: null, hasNextPage: false, hasPreviousPage: false },
  totalCount: 0,
};

function userView(ctx: ResolverContext, user: StoredUser): Record<string, unknown> {
  return {
    id: btoa(`User:${user.id}`),
    name: user.name,
    username: user.username,
    email: user.email,
    photoUrl: null,
    admin: user.admin,
    flags: "{}",
    entity: user.username,
    deletedAt: null,
    accountType: ctx.store.teams.accountType(user.id),
    apiKeys: () => apiKeysView(teamContext(ctx), user),
    teams: () => ({
      edges: ctx.store.entitiesOf(user.username).filter((e) => e.isTeam).map((e) => ({
        node: entityView(ctx, e.name),
        cursor: null,
      })),
      pageInfo: emptyConnection.pageInfo,
    }),
  };
}

function entityView(ctx: ResolverContext, name: string): Record<string, unknown> | null {
  const entity = ctx.store.entity(name);
  if (entity === undefined) return null;
  return {
    id: btoa(`Entity:${name}`),
    name,
    available: false,
    photoUrl: null,
    readOnly: false,
    readOnlyAdmin: false,
    isTeam: entity.isTeam,
    privateOnly: false,
    storageBytes: 0,
    codeSavingEnabled: false,
    defaultAccess: "USER_READ",
    isPaid: false,
    limits: "{}",
    entityType: entity.isTeam ? "TEAM" : "USER",
    ...entityLaunchFields(launchContext(ctx), name),
    members: () => memberViews(teamContext(ctx), name),
    project: ({ name: project }: { name?: string }) => projectOrNull(ctx, name, project ?? ""),
    projects: (args: PageArgs) => projectsConnection(ctx, name, args),
  };
}

interface PageArgs {
  after?: string | null;
  first?: number | null;
}

function projectsConnection(ctx: ResolverContext, entity: string, args: PageArgs) {
  if (!canRead(ctx, entity)) return null;
  const page = offsetPage(ctx.store.projects(entity), args.after, args.first, 50);
  return { ...page, edges: page.edges.map((e) => ({ ...e, node: projectView(ctx, e.node) })) };
}

function projectOrNull(ctx: ResolverContext, entity: string, name: string) {
  if (!canRead(ctx, entity)) return null;
  const project = ctx.store.project(entity, name);
  return project === undefined ? null : projectView(ctx, project);
}

function filteredRuns(ctx: ResolverContext, project: StoredProject, filters?: string | null) {
  try {
    const keep = runFilter(filters);
    return ctx.store.listRuns(project.entity, project.name).filter(keep);
  } catch (error) {
    return queryError(error);
  }
}

function projectView(ctx: ResolverContext, project: StoredProject): Record<string, unknown> {
  const owner = project.username === null ? null : ctx.store.userByName(project.username);
  return {
    id: btoa(`Project:v1:${project.name}:${project.entity}`),
    internalId: String(project.internalId),
    name: project.name,
    entityName: project.entity,
    entity: () => entityView(ctx, project.entity),
    description: project.description,
    access: "PRIVATE",
    views: "{}",
    readOnly: false,
    isBenchmark: false,
    createdAt: project.createdAt,
    updatedAt: project.createdAt,
    user: owner === undefined || owner === null ? null : userView(ctx, owner),
    runCount: ({ filters }: { filters?: string | null }) =>
      filteredRuns(ctx, project, filters).length,
    runs: (args: PageArgs & { filters?: string | null; order?: string | null }) => {
      const runs = filteredRuns(ctx, project, args.filters);
      try {
        runs.sort(runOrder(args.order));
      } catch (error) {
        queryError(error);
      }
      const page = offsetPage(runs, args.after, args.first, 50);
      return { ...page, edges: page.edges.map((e) => ({ ...e, node: runView(ctx, e.node) })) };
    },
    run: ({ name }: { name: string }) => {
      const run = ctx.store.getRun(project.entity, project.name, name);
      return run === undefined ? null : runView(ctx, run);
    },
    ...projectSweepFields(ctx.store, project),
    ...projectReportFields(ctx.store, project, (user) => userView(ctx, user)),
    ...projectLaunchFields(launchContext(ctx), project),
    ...projectArtifactFields(artifactContext(ctx), project),
  };
}

const pickKeys = (json: string, keys: ReadonlyArray<string> | null | undefined): string => {
  if (keys === null || keys === undefined) return json;
  try {
    const all = parseWandbJson(json) as Record<string, unknown>;
    return printWandbJson(
      Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]])),
      "token",
    );
  } catch {
    return json;
  }
};

// Fields that cost a query are functions, resolved only when a document selects them: a
// history page must not count the run's rows.
function runView(ctx: ResolverContext, run: StoredRun): Record<string, unknown> {
  return {
    id: run.storageId,
    name: run.name,
    displayName: run.displayName,
    projectId: String(run.projectInternalId),
    project: () => projectView(ctx, ctx.store.project(run.entity, run.project)!),
    state: run.state,
    tags: run.tags,
    group: run.group,
    jobType: run.jobType,
    sweepName: run.sweepName,
    commit: run.commit,
    host: run.host,
    readOnly: false,
    createdAt: run.createdAt,
    updatedAt: run.heartbeatAt ?? run.createdAt,
    heartbeatAt: run.heartbeatAt,
    description: run.description,
    notes: run.notes,
    user: () => {
      const user = run.username === null ? undefined : ctx.store.userByName(run.username);
      return user === undefined ? null : userView(ctx, user);
    },
    config: ({ keys }: { keys?: Array<string> | null }) => pickKeys(run.configJson, keys),
    summaryMetrics: ({ keys }: { keys?: Array<string> | null }) => pickKeys(run.summaryJson, keys),
    systemMetrics: run.systemMetricsJson,
    historyLineCount: () => ctx.store.historyCount(run),
    historyKeys: () => historyKeys(ctx, run),
    history: (
      args: { samples?: number | null; minStep?: number | null; maxStep?: number | null },
    ) => {
      const lo = args.minStep ?? 0;
      const hi = args.maxStep ?? ctx.store.lastStep(run) + 1;
      return ctx.rawJson(ctx.store.historyList(run, lo, hi, args.samples ?? defaultSamples));
    },
    events: ({ samples }: { samples?: number | null }) =>
      sampleEvenly(ctx.store.events(run), samples ?? defaultSamples).map((r) =>
        printWandbJson(r, "token")
      ),
    sampledHistory: ({ specs }: { specs: Array<string> }) =>
      specs.map((spec) => sampledHistory(ctx, run, spec)),
    parquetHistory: ({ liveKeys }: { liveKeys: Array<string> }) => {
      if (ctx.parquet === undefined) {
        throw new GraphQLError("parquetHistory is not enabled on this server");
      }
      return ctx.parquet.parquetHistory(run, liveKeys);
    },
    ...runFileFields(ctx.files, run),
    ...runArtifactFields(artifactContext(ctx), run),
  };
}

interface UpsertBucketInput {
  id?: string | null;
  name?: string | null;
  modelName?: string | null;
  entityName?: string | null;
  displayName?: string | null;
  description?: string | null;
  notes?: string | null;
  config?: string | null;
  summaryMetrics?: string | null;
  tags?: Array<string> | null;
  groupName?: string | null;
  jobType?: string | null;
  state?: string | null;
}

const checkJson = (field: string, text: string | null | undefined) => {
  if (text === null || text === undefined) return;
  try {
    // W&B's JSON, as the official client sends it: `run.summary["x"] = float("nan")` is NaN.
    parseWandbJson(text);
  } catch {
    throw new GraphQLError(`invalid ${field}: not JSON`);
  }
};

/**
 * The root value: every `Query` and `Mutation` field the local server answers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rootResolvers } from "@effect-wandb/api/testing";
 * assert.ok(typeof rootResolvers.viewer === "function");
 * ```
 */
export const rootResolvers: Readonly<
  Record<string, (args: never, ctx: ResolverContext) => unknown>
> = {
  viewer: (_args: Record<string, never>, ctx: ResolverContext) => userView(ctx, ctx.viewer),
  user: (args: { userName?: string | null }, ctx: ResolverContext) => {
    const user = ctx.store.userByName(args.userName ?? ctx.viewer.username);
    return user === undefined ? null : userView(ctx, user);
  },
  ...withTeamContext(teamFields),
  ...withLaunchContext(launchMutations),
  entity: (args: { name?: string | null }, ctx: ResolverContext) =>
    entityView(ctx, args.name ?? ctx.viewer.username),
  models: (args: PageArgs & { entityName?: string | null }, ctx: ResolverContext) =>
    projectsConnection(ctx, args.entityName ?? ctx.viewer.username, args),
  projects: (args: PageArgs & { entityName?: string | null }, ctx: ResolverContext) =>
    projectsConnection(ctx, args.entityName ?? ctx.viewer.username, args),
  project: (args: { name?: string | null; entityName?: string | null }, ctx: ResolverContext) =>
    projectOrNull(ctx, args.entityName ?? ctx.viewer.username, args.name ?? "uncategorized"),
  model: (args: { name?: string | null; entityName?: string | null }, ctx: ResolverContext) =>
    projectOrNull(ctx, args.entityName ?? ctx.viewer.username, args.name ?? "uncategorized"),
  ...withArtifactContext(artifactQueries),
  ...withArtifactContext(artifactMutations),
  view: () => null,
  serverInfo: () => ({ features: [], latestLocalVersionInfo: null }),

  upsertModel: (
    { input }: {
      input: { entityName?: string | null; name?: string | null; description?: string | null };
    },
    ctx: ResolverContext,
  ) => {
    const entity = input.entityName ?? ctx.viewer.username;
    if (!canRead(ctx, entity)) throw new GraphQLError(`entity ${entity} does not exist`);
    const { project, inserted } = ctx.store.createProject(entity, input.name ?? "uncategorized", {
      description: input.description ?? undefined,
      username: ctx.viewer.username,
    });
    const view = projectView(ctx, project);
    return { project: view, model: view, inserted };
  },
  upsertBucket: ({ input }: { input: UpsertBucketInput }, ctx: ResolverContext) => {
    checkJson("config", input.config);
    checkJson("summaryMetrics", input.summaryMetrics);
    let run: StoredRun | undefined;
    let inserted = false;
    if (input.id !== null && input.id !== undefined) {
      run = ctx.store.getRunByStorageId(input.id);
      if (run === undefined) throw new GraphQLError(`run ${input.id} does not exist`);
      canRead(ctx, run.entity);
    } else {
      if (input.name === null || input.name === undefined) {
        throw new GraphQLError("upsertBucket needs an id or a name");
      }
      const entity = input.entityName ?? ctx.viewer.username;
      const project = input.modelName ?? "uncategorized";
      if (!canRead(ctx, entity)) throw new GraphQLError(`entity ${entity} does not exist`);
      ctx.store.createProject(entity, project, { username: ctx.viewer.username });
      run = ctx.store.getRun(entity, project, input.name);
      if (run === undefined) {
        run = ctx.store.insertRun(entity, project, {
          name: input.name,
          state: input.state ?? "running",
          username: ctx.viewer.username,
        });
        inserted = true;
      }
    }
    run = ctx.store.updateRun(run, {
      displayName: input.displayName ?? undefined,
      description: input.description ?? undefined,
      notes: input.notes ?? undefined,
      configJson: input.config ?? undefined,
      summaryJson: input.summaryMetrics ?? undefined,
      tags: input.tags ?? undefined,
      group: input.groupName ?? undefined,
      jobType: input.jobType ?? undefined,
      state: input.state ?? undefined,
    });
    return { bucket: runView(ctx, run), inserted };
  },
  createRunFiles: (
    { input }: {
      input: { entityName: string; projectName: string; runName: string; files: Array<string> };
    },
    ctx: ResolverContext,
  ) => {
    if (!canRead(ctx, input.entityName)) {
      throw new GraphQLError(`entity ${input.entityName} does not exist`);
    }
    const run = ctx.store.getRun(input.entityName, input.projectName, input.runName);
    if (run === undefined) {
      throw new GraphQLError(
        `run ${input.entityName}/${input.projectName}/${input.runName} does not exist`,
      );
    }
    return createRunFiles(ctx.files, run, input.files);
  },
  deleteFiles: ({ input }: { input: { files: Array<string> } }, ctx: ResolverContext) => {
    const ids = input.files.map((nodeId) => {
      const file = ctx.files.files.get(fileIdOf(nodeId) ?? -1);
      if (file === undefined) throw new GraphQLError(`file ${nodeId} does not exist`);
      // A file of a run the viewer may not change: the whole mutation is refused, nothing deleted.
      canRead(ctx, ctx.store.runBySeq(file.runSeq)!.entity);
      return file.id;
    });
    ctx.files.files.delete(ids);
    return { success: true, clientMutationId: null };
  },
  deleteRun: ({ input }: { input: { id: string } }, ctx: ResolverContext) => {
    const run = ctx.store.getRunByStorageId(input.id);
    if (run === undefined) throw new GraphQLError(`run ${input.id} does not exist`);
    canRead(ctx, run.entity);
    ctx.store.deleteRun(run);
    return { clientMutationId: null };
  },
  updateRunState: ({ input }: { input: { id: string; state: string } }, ctx: ResolverContext) => {
    const run = ctx.store.getRunByStorageId(input.id);
    if (run === undefined) throw new GraphQLError(`run ${input.id} does not exist`);
    canRead(ctx, run.entity);
    // As W&B: a run that ended may be queued again (`pending`); no other change is allowed.
    if (input.state !== "pending" || ["running", "pending"].includes(run.state)) {
      throw new GraphQLError(`cannot change the state of a ${run.state} run to ${input.state}`);
    }
    ctx.store.updateRun(run, { state: input.state });
    return { success: true, clientMutationId: null };
  },
} as unknown as Readonly<Record<string, (args: never, ctx: ResolverContext) => unknown>>;
