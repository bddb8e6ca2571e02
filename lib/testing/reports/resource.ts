/**
 * The reports resource of the local server: a project's reports (W&B's views of type `runs`)
 * and the seeded reports of acme/mnist.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { projectReportFields } from "./resolvers.ts";
import { reportsSdl } from "./sdl.ts";
import { type SeedReport, seedReports } from "./seed.ts";
import { ReportStore } from "./store.ts";

/**
 * The reports resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportsResource } from "@effect-wandb/api/testing";
 * assert.ok(reportsResource.sdl?.includes("allViews"));
 * ```
 */
export const reportsResource: ServerResource<ReportStore, SeedReport> = {
  open: (db) => new ReportStore(db),
  sdl: reportsSdl,
  // W&B answers `view` by id; the official client only reads reports through `allViews`.
  rootFields: { view: () => null },
  projectFields: (ctx, project) => projectReportFields(ctx.store, project, ctx.userView),
  seed: () => seedReports,
  load: (store, _core, reports) => {
    for (const r of reports) {
      const project = store.projects.get(r.entity, r.project);
      if (project !== undefined) store.reports.create(project.internalId, r);
    }
  },
};
