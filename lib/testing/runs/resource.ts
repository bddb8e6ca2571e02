/**
 * The runs resource of the local server: its table, schema, resolvers and seeded runs.
 *
 * @module
 */
import { printWandbJson } from "../../core/wandb_json.ts";
import type { ServerResource } from "../resource.ts";
import { projectRunFields, runFields, runMutations } from "./resolvers.ts";
import { runsSdl } from "./sdl.ts";
import { RunStore } from "./store.ts";

/**
 * The runs resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runsResource } from "@effect-wandb/api/testing";
 * assert.ok(runsResource.rootFields?.upsertBucket !== undefined);
 * ```
 */
export const runsResource: ServerResource<RunStore> = {
  open: (db, opened) => new RunStore(db, opened.projects, opened.users),
  sdl: runsSdl,
  rootFields: runMutations,
  projectFields: projectRunFields,
  runFields,
  load: (store, core) => {
    for (const r of core.runs) {
      store.runs.insertRecord(r.entity, r.project, {
        name: r.name,
        displayName: r.displayName,
        state: r.state,
        configJson: printWandbJson(r.config, "token"),
        summaryJson: printWandbJson(r.summary, "token"),
        systemMetricsJson: printWandbJson(r.systemMetrics, "token"),
        tags: r.tags,
        group: r.group,
        jobType: r.jobType,
        sweepName: r.sweepName,
        host: r.host,
        commit: r.commit,
        notes: r.notes,
        createdAt: r.createdAt,
        heartbeatAt: r.heartbeatAt,
        username: r.username,
        history: r.history,
      });
    }
  },
};
