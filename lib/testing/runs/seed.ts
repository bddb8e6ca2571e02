/**
 * The seeded runs: realistic configs, summaries, states, tags, groups, files and generated
 * histories, every value a pure function of the seed.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { SeedOptions } from "../seed.ts";
import {
  denseValue,
  type GeneratedHistorySpec,
  generatedRow,
  histogramValue,
  quirkRuns,
  round,
  sparseValues,
} from "../history/generate.ts";
import { type SeedFile, seedFiles } from "../files/seed.ts";
import { type ProjectPlan, seedEpoch } from "../projects/seed.ts";

/** A run of the seeded server, as stored. */
export interface SeedRun {
  readonly entity: string;
  readonly project: string;
  /** The run id (8 characters). */
  readonly name: string;
  readonly displayName: string;
  readonly state: string;
  /** The stored config: every key wrapped as `{ value, desc }`, plus `_wandb`. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly systemMetrics: Readonly<Record<string, unknown>>;
  readonly tags: ReadonlyArray<string>;
  readonly group: string | null;
  readonly jobType: string | null;
  readonly sweepName: string | null;
  readonly host: string;
  readonly commit: string;
  readonly notes: string | null;
  readonly createdAt: string;
  readonly heartbeatAt: string;
  readonly username: string;
  readonly history: GeneratedHistorySpec;
  /** The run's files (logs, metadata, media, checkpoints). */
  readonly files: ReadonlyArray<SeedFile>;
}

const adjectives = ["brisk", "calm", "dark", "eager", "fancy", "gentle", "happy", "icy", "jolly"];
const nouns = ["sun", "moon", "river", "forest", "cloud", "star", "wave", "field", "stone"];
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** The runs of the seeded projects, drawn from `random` in the order of `plans`. */
export function seedRuns(
  plans: ReadonlyArray<ProjectPlan>,
  seed: number,
  random: () => number,
  options?: SeedOptions,
): Array<SeedRun> {
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!;
  const maxSteps = options?.maxSteps ?? 400;
  const runs: Array<SeedRun> = [];
  const usedIds = new Set<string>();
  let runIndex = 0;
  for (const { entity, name: project, runs: count, owner } of plans) {
    const bench = project === "bench" ? options?.benchmark : undefined;
    for (let i = 0; i < count; i++) {
      const quirks = project === "real-world" ? quirkRuns[i] : undefined;
      runIndex++;
      let name = "";
      do {
        name = Array.from({ length: 8 }, () => pick([...idAlphabet])).join("");
      } while (usedIds.has(name));
      usedIds.add(name);
      const state = bench !== undefined || quirks !== undefined
        ? "finished"
        : pick(["finished", "finished", "finished", "running", "crashed", "failed"]);
      const lr = round(10 ** (-4 + random() * 3));
      const optimizer = pick(["adam", "sgd", "adamw"]);
      const batchSize = pick([32, 64, 128]);
      const epochs = 5 + Math.floor(random() * 20);
      const layers = 2 + Math.floor(random() * 6);
      const dropout = round(random() * 0.5, 3);
      const history: GeneratedHistorySpec = quirks !== undefined
        ? {
          seed: seed * 1000 + runIndex,
          steps: 120,
          metrics: 4,
          sparseEvery: quirks === "mixed" ? 0 : 10,
          histogramEvery: quirks === "media" ? 3 : 0,
          events: 12,
          startTime: (seedEpoch + runIndex * 3_600_000) / 1000,
          quirks,
        }
        : bench !== undefined
        ? {
          seed: seed * 1000 + runIndex,
          steps: bench.steps,
          metrics: bench.metrics,
          sparseEvery: 0,
          histogramEvery: 0,
          events: 0,
          startTime: (seedEpoch + runIndex * 3_600_000) / 1000,
        }
        : {
          seed: seed * 1000 + runIndex,
          steps: Math.floor(maxSteps / 2 + random() * maxSteps / 2),
          metrics: 4 + Math.floor(random() * 3),
          sparseEvery: 10,
          histogramEvery: 50,
          events: 20 + Math.floor(random() * 30),
          startTime: (seedEpoch + runIndex * 3_600_000) / 1000,
        };
      const last = generatedRow(history, history.steps - 1);
      const summary: Record<string, unknown> = { ...last };
      // The latest value of each sparse metric, as W&B keeps it in the summary.
      if (history.sparseEvery > 0) {
        const lastSparse = Math.floor((history.steps - 1) / history.sparseEvery) *
          history.sparseEvery;
        Object.assign(summary, sparseValues(history, lastSparse));
      }
      if (history.histogramEvery > 0 && summary["weights"] === undefined) {
        summary["weights"] = histogramValue(history, 0);
      }
      if (quirks === "diverged") {
        // What W&B keeps for a run whose loss diverged: the last value, NaN, and the best one.
        summary["best_loss"] = denseValue(history, Math.floor(history.steps * 0.7) - 1, 0);
        summary["tokens_seen"] = 9007199254740993n;
      }
      const createdAt = new Date(seedEpoch + runIndex * 3_600_000 + Math.floor(random() * 600_000));
      runs.push({
        entity,
        project,
        name,
        displayName: `${pick(adjectives)}-${pick(nouns)}-${i + 1}`,
        state,
        config: {
          lr: { value: lr, desc: null },
          optimizer: { value: optimizer, desc: null },
          batch_size: { value: batchSize, desc: null },
          epochs: { value: epochs, desc: "Passes over the data" },
          model: { value: { layers, dropout, activation: pick(["relu", "gelu"]) }, desc: null },
          ...(quirks === "diverged"
            ? { lr_min: { value: NaN, desc: null }, clip: { value: Infinity, desc: null } }
            : {}),
          _wandb: {
            value: { cli_version: "0.26.1", python_version: "3.11.9", t: { "1": [1, 5] } },
          },
        },
        summary,
        systemMetrics: {
          "system.cpu": round(random() * 100, 1),
          "system.memory": round(random() * 64, 1),
          ...(quirks === "diverged" ? { "system.gpu.0.powerWatts": NaN } : {}),
        },
        tags: [
          pick(["baseline", "ablation", "prod", "debug"]),
          ...(random() < 0.3 ? ["sweep"] : []),
        ],
        group: random() < 0.5 ? pick(["group-a", "group-b"]) : null,
        jobType: pick(["train", "train", "eval"]),
        sweepName: random() < 0.25 ? "swp1" : null,
        host: pick(["gpu-node-1", "gpu-node-2", "laptop"]),
        commit: createHash("sha1").update(name).digest("hex"),
        notes: random() < 0.2 ? "tried a warmup" : null,
        createdAt: createdAt.toISOString(),
        heartbeatAt: new Date(createdAt.getTime() + history.steps * 500).toISOString(),
        username: owner,
        history,
        files: seedFiles(
          project,
          name,
          history,
          project === "mnist" && state === "finished" && !runs.some((r) => r.files.length > 4),
        ),
      });
    }
  }
  return runs;
}
