/**
 * Runs on the local server: a project's runs (filtered, ordered, paged as W&B does), the core
 * fields of a `Run`, and the mutations that create, change and delete runs.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { parseWandbJson, printWandbJson } from "../../core/wandb_json.ts";
import type { Fields, PageArgs, ResolverContext, RootField } from "../resource.ts";
import { offsetPage } from "../pages.ts";
import type { StoredProject } from "../projects/store.ts";
import type { StoredRun } from "./store.ts";
import { runFilter, runOrder, RunQueryError } from "./query.ts";

const queryError = (error: unknown): never => {
  if (error instanceof RunQueryError) throw new GraphQLError(error.message);
  throw error;
};

/** The names a filter picks runs by, when it is only `{ name: … }` or `{ name: { $in: […] } }`. */
function namesOf(filters: string | null | undefined): ReadonlyArray<string> | undefined {
  if (filters === null || filters === undefined || !filters.includes('"name"')) return undefined;
  try {
    const parsed = JSON.parse(filters) as Record<string, unknown>;
    const keys = Object.keys(parsed);
    if (keys.length !== 1 || keys[0] !== "name") return undefined;
    const name = parsed.name as unknown;
    if (typeof name === "string") return [name];
    const list = (name as { $in?: unknown } | null)?.$in;
    return Array.isArray(list) && list.every((n) => typeof n === "string") &&
        Object.keys(name as object).length === 1
      ? list
      : undefined;
  } catch {
    return undefined;
  }
}

function filteredRuns(ctx: ResolverContext, project: StoredProject, filters?: string | null) {
  try {
    const keep = runFilter(filters);
    // Runs asked for by name are looked up by name, as W&B's index would, not by a scan.
    const names = namesOf(filters);
    const candidates = names === undefined
      ? ctx.store.runs.list(project.entity, project.name)
      : [...new Set(names)].flatMap((name) =>
        ctx.store.runs.get(project.entity, project.name, name) ?? []
      );
    return candidates.filter(keep);
  } catch (error) {
    return queryError(error);
  }
}

/** The fields runs add to a `Project`: `runCount`, `runs` and `run`. */
export function projectRunFields(ctx: ResolverContext, project: StoredProject): Fields {
  // `runCount` and `runs` of one request filter the same way: once.
  const filtered = new Map<string, Array<StoredRun>>();
  const runsOf = (filters?: string | null) => {
    const key = filters ?? "";
    let runs = filtered.get(key);
    if (runs === undefined) {
      runs = filteredRuns(ctx, project, filters);
      filtered.set(key, runs);
    }
    return runs;
  };
  return {
    runCount: ({ filters }: { filters?: string | null }) => runsOf(filters).length,
    runs: (args: PageArgs & { filters?: string | null; order?: string | null }) => {
      const runs = [...runsOf(args.filters)];
      try {
        runs.sort(runOrder(args.order));
      } catch (error) {
        queryError(error);
      }
      const page = offsetPage(runs, args.after, args.first, 50);
      return { ...page, edges: page.edges.map((e) => ({ ...e, node: ctx.runView(e.node) })) };
    },
    run: ({ name }: { name: string }) => {
      const run = ctx.store.runs.get(project.entity, project.name, name);
      return run === undefined ? null : ctx.runView(run);
    },
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

/**
 * The core fields of a `Run`. Fields that cost a query are functions, resolved only when a
 * document selects them.
 */
export function runFields(ctx: ResolverContext, run: StoredRun): Fields {
  return {
    id: run.storageId,
    name: run.name,
    displayName: run.displayName,
    projectId: String(run.projectInternalId),
    project: () => ctx.projectView(ctx.store.projects.get(run.entity, run.project)!),
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
      const user = run.username === null ? undefined : ctx.store.users.byName(run.username);
      return user === undefined ? null : ctx.userView(user);
    },
    config: ({ keys }: { keys?: Array<string> | null }) => pickKeys(run.configJson, keys),
    summaryMetrics: ({ keys }: { keys?: Array<string> | null }) => pickKeys(run.summaryJson, keys),
    systemMetrics: run.systemMetricsJson,
    shouldStop: () => ctx.store.runs.stopRequested(run),
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

const runById = (ctx: ResolverContext, id: string): StoredRun => {
  const run = ctx.store.runs.byStorageId(id);
  if (run === undefined) throw new GraphQLError(`run ${id} does not exist`);
  ctx.canRead(run.entity);
  return run;
};

/** The mutations of runs: `upsertBucket`, `deleteRun` and `updateRunState`. */
export const runMutations: Readonly<Record<string, RootField>> = {
  upsertBucket: ({ input }: { input: UpsertBucketInput }, ctx: ResolverContext) => {
    checkJson("config", input.config);
    checkJson("summaryMetrics", input.summaryMetrics);
    let run: StoredRun | undefined;
    let inserted = false;
    if (input.id !== null && input.id !== undefined) {
      run = runById(ctx, input.id);
    } else {
      if (input.name === null || input.name === undefined) {
        throw new GraphQLError("upsertBucket needs an id or a name");
      }
      const entity = input.entityName ?? ctx.viewer.username;
      const project = input.modelName ?? "uncategorized";
      ctx.checkEntity(entity);
      ctx.store.projects.create(entity, project, { username: ctx.viewer.username });
      run = ctx.store.runs.get(entity, project, input.name);
      if (run === undefined) {
        run = ctx.store.runs.insert(entity, project, {
          name: input.name,
          state: input.state ?? "running",
          username: ctx.viewer.username,
        });
        inserted = true;
      }
    }
    run = ctx.store.runs.update(run, {
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
    return { bucket: ctx.runView(run), inserted };
  },
  deleteRun: ({ input }: { input: { id: string } }, ctx: ResolverContext) => {
    ctx.store.runs.delete(runById(ctx, input.id));
    return { clientMutationId: null };
  },
  stopRun: ({ input }: { input: { id: string } }, ctx: ResolverContext) => {
    // As W&B: a flag for the run's process; stopping a run that ended changes nothing.
    ctx.store.runs.requestStop(runById(ctx, input.id));
    return { success: true, clientMutationId: null };
  },
  updateRunState: ({ input }: { input: { id: string; state: string } }, ctx: ResolverContext) => {
    const run = runById(ctx, input.id);
    // As W&B: a run that ended may be queued again (`pending`); no other change is allowed.
    if (input.state !== "pending" || ["running", "pending"].includes(run.state)) {
      throw new GraphQLError(`cannot change the state of a ${run.state} run to ${input.state}`);
    }
    ctx.store.runs.update(run, { state: input.state });
    return { success: true, clientMutationId: null };
  },
};
