/**
 * The seeded projects: acme/mnist (30 runs by default), acme/cifar10, acme/empty,
 * alice/scratch, bob/private, acme/real-world (runs with the data real W&B runs carry) and,
 * for benchmarks, acme/bench.
 *
 * @module
 */
import type { SeedOptions } from "../seed.ts";
import { quirkRuns } from "../history/generate.ts";

/** A project of the seeded server. */
export interface SeedProject {
  readonly entity: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly username: string;
}

/** A seeded project and how many runs it gets, by whom. */
export interface ProjectPlan {
  readonly entity: string;
  readonly name: string;
  readonly runs: number;
  readonly owner: string;
}

/** The time the seed's history starts from: its projects are created in the days before. */
export const seedEpoch: number = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The seeded projects and their plans, in creation order. */
export function seedProjects(
  options?: SeedOptions,
): { readonly plans: ReadonlyArray<ProjectPlan>; readonly projects: ReadonlyArray<SeedProject> } {
  const plans: Array<ProjectPlan> = [
    { entity: "acme", name: "mnist", runs: options?.mnistRuns ?? 30, owner: "alice" },
    { entity: "acme", name: "cifar10", runs: 12, owner: "bob" },
    { entity: "acme", name: "empty", runs: 0, owner: "alice" },
    { entity: "alice", name: "scratch", runs: 5, owner: "alice" },
    { entity: "bob", name: "private", runs: 4, owner: "bob" },
    { entity: "acme", name: "real-world", runs: quirkRuns.length, owner: "alice" },
  ];
  if (options?.benchmark !== undefined) {
    plans.push({ entity: "acme", name: "bench", runs: options.benchmark.runs, owner: "alice" });
  }
  const projects = plans.map(({ entity, name, owner }, i): SeedProject => ({
    entity,
    name,
    username: owner,
    description: `The ${name} experiments`,
    createdAt: new Date(seedEpoch - (10 - i) * 86_400_000).toISOString(),
  }));
  return { plans, projects };
}
