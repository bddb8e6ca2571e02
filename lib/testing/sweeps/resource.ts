/**
 * The sweeps resource of the local server: a project's sweeps, their runs found by
 * `sweepName`, and the seeded lr sweep of acme/mnist.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { projectSweepFields } from "./resolvers.ts";
import { sweepsSdl } from "./sdl.ts";
import { type SeedSweep, seedSweeps } from "./seed.ts";
import { SweepStore } from "./store.ts";

/**
 * The sweeps resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepsResource } from "@effect-wandb/api/testing";
 * assert.ok(sweepsResource.seed?.({ users: [], entities: [], projects: [], runs: [] }).length === 1);
 * ```
 */
export const sweepsResource: ServerResource<SweepStore, SeedSweep> = {
  open: (db) => new SweepStore(db),
  sdl: sweepsSdl,
  gated: { SWEEPS_QUERY_FILTERING: ["Project.sweeps(filters:)", "Project.sweeps(order:)"] },
  projectFields: (ctx, project) => projectSweepFields(ctx.store, project),
  seed: () => seedSweeps,
  load: (store, _core, sweeps) => {
    for (const s of sweeps) {
      const project = store.projects.get(s.entity, s.project);
      if (project !== undefined) store.sweeps.create(project.internalId, s);
    }
  },
};
