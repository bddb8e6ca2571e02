/**
 * Deterministic seed data for the local server: users, teams, projects and runs with realistic
 * configs, summaries, states, tags, groups and metric histories, and each resource's own part
 * (artifacts, sweeps, reports, Launch queues, …), made by the resource from those.
 *
 * Everything is a pure function of the options: the same options give the same data, byte for
 * byte, so tests can compute what the server must answer. Histories are not materialised here:
 * each run carries a \`GeneratedHistorySpec\`, and rows are computed on demand
 * (\`history/generate.ts\`), so a million-row benchmark project starts as fast as an empty one.
 *
 * @module
 */
import { seedEntities, type SeedEntity, type SeedUser, seedUsers } from "./users/seed.ts";
import { type SeedProject, seedProjects } from "./projects/seed.ts";
import { type SeedRun, seedRuns } from "./runs/seed.ts";
import type { ServerResource } from "./resource.ts";
import { serverResources } from "./resources.ts";

/** What every resource's seed is made from: the seeded users, entities, projects and runs. */
export interface CoreSeed {
  readonly users: ReadonlyArray<SeedUser>;
  readonly entities: ReadonlyArray<SeedEntity>;
  readonly projects: ReadonlyArray<SeedProject>;
  readonly runs: ReadonlyArray<SeedRun>;
}

type Resources = typeof serverResources;

/** Each resource's part of the seed, under the resource's name (\`artifacts\`, \`sweeps\`, …). */
export type SeedParts = {
  readonly [K in keyof Resources as SeedItemOf<Resources[K]> extends never ? never : K]:
    ReadonlyArray<SeedItemOf<Resources[K]>>;
};

type SeedItemOf<R> = R extends ServerResource<infer _Store, infer Item> ? Item : never;

/** The whole seed. */
export type SeedData = CoreSeed & SeedParts;

/** Options of {@link generateSeed}. */
export interface SeedOptions {
  /**
   * Seed of the pseudo-random choices.
   * @default {42}
   */
  readonly seed?: number | undefined;
  /**
   * Runs in `acme/mnist` (the other projects have fixed sizes: cifar10 12, scratch 5,
   * private 4, empty 0).
   * @default {30}
   */
  readonly mnistRuns?: number | undefined;
  /**
   * Steps per seeded run's history: each run gets between half and all of this.
   * @default {400}
   */
  readonly maxSteps?: number | undefined;
  /** Adds a project `acme/bench` with `runs` runs of exactly `steps` steps × `metrics` metrics. */
  readonly benchmark?: {
    readonly runs: number;
    readonly steps: number;
    readonly metrics: number;
  } | undefined;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates the seed data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSeed } from "@effect-wandb/api/testing";
 * const seed = generateSeed();
 * assert.equal(seed.runs.filter((r) => r.project === "mnist").length, 30);
 * assert.ok(seed.sweeps[0]?.name === "swp1");
 * assert.deepEqual(generateSeed(), seed);
 * ```
 */
export function generateSeed(options?: SeedOptions): SeedData {
  const seed = options?.seed ?? 42;
  const { plans, projects } = seedProjects(options);
  const core: CoreSeed = {
    users: seedUsers(seed),
    entities: seedEntities,
    projects,
    runs: seedRuns(plans, seed, prng(seed), options),
  };
  return withParts(core, (resource) => resource.seed?.(core));
}

/**
 * A seed with nothing in it: no users, projects, runs or anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptySeed } from "@effect-wandb/api/testing";
 * assert.ok(emptySeed().runs.length === 0 && emptySeed().artifacts.length === 0);
 * ```
 */
export function emptySeed(): SeedData {
  return withParts({ users: [], entities: [], projects: [], runs: [] }, () => []);
}

function withParts(
  core: CoreSeed,
  part: (resource: ServerResource<unknown, unknown>) => ReadonlyArray<unknown> | undefined,
): SeedData {
  const parts: Record<string, ReadonlyArray<unknown>> = {};
  for (const [name, resource] of Object.entries(serverResources)) {
    const r = resource as ServerResource<unknown, unknown>;
    if (r.seed !== undefined) parts[name] = part(r) ?? [];
  }
  return { ...core, ...parts } as SeedData;
}
