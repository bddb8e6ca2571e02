/**
 * The seeded Launch queue: acme's \`gpu-queue\`, with a pending item and two claimed by runs.
 *
 * @module
 */
import type { CoreSeed } from "../seed.ts";

/** A Launch run queue of the seeded server. */
export interface SeedRunQueue {
  readonly entity: string;
  readonly name: string;
  readonly resource: string;
  /** The default resource config (JSON text). */
  readonly config: string;
  /** Template variables: name to JSON schema (JSON text). */
  readonly templateVariables: string;
  readonly prioritizationMode: string;
  /** Its items: a state, and the run (of `entity/mnist`) an agent started, if any. */
  readonly items: ReadonlyArray<{ readonly state: string; readonly runId: string | null }>;
}

/** The seeded run queues, their items pointing at seeded runs. */
export function seedRunQueues(core: CoreSeed): Array<SeedRunQueue> {
  const runs = core.runs;
  const running = runs.find((r) => r.project === "mnist" && r.state === "running");
  const finished = runs.find((r) => r.project === "mnist" && r.state === "finished");
  return [{
    entity: "acme",
    name: "gpu-queue",
    resource: "local-container",
    config: JSON.stringify({ resource_args: { "local-container": { gpus: "{{gpus}}" } } }),
    templateVariables: JSON.stringify({ gpus: { type: "integer", minimum: 0, maximum: 8 } }),
    prioritizationMode: "V0",
    items: [
      { state: "PENDING", runId: null },
      { state: "CLAIMED", runId: running?.name ?? null },
      { state: "CLAIMED", runId: finished?.name ?? null },
    ],
  }];
}
