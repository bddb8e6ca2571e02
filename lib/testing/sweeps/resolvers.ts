/**
 * The local server's sweep fields: `Project.sweep`, `Project.sweeps` and `totalSweeps`, in the
 * shapes of the official client's `GetSweep` and `GetSweeps`. A sweep's runs are the project's
 * runs that name it; `bestLoss` is the lowest summary value of its metric among them.
 *
 * @module
 */
import { load } from "js-yaml";
import { documentFilter } from "../mongo.ts";
import type { EmulatorStore } from "../store.ts";
import type { StoredProject } from "../projects/store.ts";
import { offsetPage } from "../pages.ts";
import { parseWandbJson } from "../../core/wandb_json.ts";
import type { StoredSweep } from "./store.ts";

/** The metric named by a sweep config (YAML text), if any. */
function metricOf(config: string): string | undefined {
  try {
    const parsed = load(config) as { metric?: { name?: unknown } } | null;
    return typeof parsed?.metric?.name === "string" ? parsed.metric.name : undefined;
  } catch {
    return undefined;
  }
}

/** The `Sweep` view. */
export function sweepView(
  store: EmulatorStore,
  project: StoredProject,
  sweep: StoredSweep,
): Record<string, unknown> {
  const runs = () =>
    store.runs.list(project.entity, project.name).filter((r) => r.sweepName === sweep.name);
  return {
    id: btoa(`Sweep:${sweep.id}`),
    name: sweep.name,
    displayName: sweep.displayName,
    method: sweep.method,
    state: sweep.state,
    description: sweep.description,
    config: sweep.config,
    createdAt: sweep.createdAt,
    updatedAt: sweep.updatedAt,
    runCountExpected: sweep.runCountExpected,
    runCount: () => runs().length,
    bestLoss: () => {
      const metric = metricOf(sweep.config);
      if (metric === undefined) return null;
      const values = runs().map((r) => {
        try {
          return (parseWandbJson(r.summaryJson) as Record<string, unknown>)[metric];
        } catch {
          return undefined;
        }
      }).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
      return values.length === 0 ? null : Math.min(...values);
    },
  };
}

/**
 * W&B's sweep filters: a MongoDB-style document over a sweep's fields (`name`, `displayName`,
 * `state`, `method`, `createdAt`), as the official client sends them (`{}` for all).
 */
function sweepFilter(filters: string | null | undefined): (sweep: StoredSweep) => boolean {
  const keep = documentFilter("sweep", filters);
  return (sweep) =>
    keep({
      name: sweep.name,
      displayName: sweep.displayName,
      state: sweep.state,
      method: sweep.method,
      createdAt: sweep.createdAt,
    });
}

/** The `Project` fields about sweeps. */
export function projectSweepFields(
  store: EmulatorStore,
  project: StoredProject,
): Record<string, unknown> {
  return {
    totalSweeps: () => store.sweeps.list(project.internalId).length,
    sweep: ({ sweepName }: { sweepName: string }) => {
      const sweep = store.sweeps.get(project.internalId, sweepName);
      return sweep === undefined ? null : sweepView(store, project, sweep);
    },
    sweeps: (args: { after?: string | null; first?: number | null; filters?: string | null }) => {
      const all = store.sweeps.list(project.internalId).filter(sweepFilter(args.filters));
      const page = offsetPage(all, args.after, args.first, 50);
      return {
        pageInfo: page.pageInfo,
        edges: page.edges.map(({ node, cursor }) => ({
          node: sweepView(store, project, node),
          cursor,
        })),
      };
    },
  };
}
