/**
 * Deterministic seed data for the local server: users, teams, projects and runs with realistic
 * configs, summaries, states, tags, groups and metric histories.
 *
 * Everything is a pure function of the options: the same options give the same data, byte for
 * byte, so tests can compute what the server must answer. Histories are not materialised here:
 * each run carries a {@link GeneratedHistorySpec}, and rows are computed on demand by
 * `history.ts`, so a million-row benchmark project starts as fast as an empty one.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** How a generated run history looks. */
export interface GeneratedHistorySpec {
  /** Seed of this run's values. */
  readonly seed: number;
  /** Number of steps (rows): steps 0 … steps-1. */
  readonly steps: number;
  /** Dense metrics logged at every step (`loss`, `accuracy`, `lr`, `grad_norm`, `m4`, …). */
  readonly metrics: number;
  /** Log the sparse `val/loss` and `val/acc` every this many steps (0: never). */
  readonly sparseEvery: number;
  /** Log a `weights` histogram every this many steps (0: never). */
  readonly histogramEvery: number;
  /** Number of system-metrics rows (`events`). */
  readonly events: number;
  /** Unix time (seconds) of step 0. */
  readonly startTime: number;
  /**
   * What real W&B runs carry beyond tidy numbers (see {@link HistoryQuirks}); none when absent.
   */
  readonly quirks?: HistoryQuirks | undefined;
}

/**
 * The data of the seed's `acme/real-world` runs, as W&B serves it:
 * - `"diverged"`: the loss turns `NaN` at 70% of the run (and spikes to `Infinity` at step 3),
 *   `grad_norm` alternates `±Infinity` after it; `NaN` in the summary, the config and the
 *   system metrics; an integer beyond 2^53 in the summary.
 * - `"media"`: images (`image-file`), tables (`table-file`), histograms, nested dicts and lists.
 * - `"mixed"`: a column of strings, numbers and booleans; explicit `null`s beside never-logged
 *   steps; unicode, dotted and slashed keys; integers beyond 2^53; text with quotes and
 *   newlines; rows holding no metric at all.
 */
export type HistoryQuirks = "diverged" | "media" | "mixed";

/** A user of the seeded server. */
export interface SeedUser {
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly admin: boolean;
  /** The user's API key (40 hex characters). */
  readonly apiKey: string;
}

/** An entity: a user's own, or a team. */
export interface SeedEntity {
  readonly name: string;
  readonly isTeam: boolean;
  /** Usernames that may read and write it. */
  readonly members: ReadonlyArray<string>;
}

/** A project of the seeded server. */
export interface SeedProject {
  readonly entity: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly username: string;
}

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
}

/** The whole seed. */
export interface SeedData {
  readonly users: ReadonlyArray<SeedUser>;
  readonly entities: ReadonlyArray<SeedEntity>;
  readonly projects: ReadonlyArray<SeedProject>;
  readonly runs: ReadonlyArray<SeedRun>;
}

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

/** A deterministic API key for a user: 40 hex characters. */
export function seedApiKey(username: string, seed: number): string {
  return createHash("sha1").update(`effect-wandb:${seed}:${username}`).digest("hex");
}

const adjectives = ["brisk", "calm", "dark", "eager", "fancy", "gentle", "happy", "icy", "jolly"];
const nouns = ["sun", "moon", "river", "forest", "cloud", "star", "wave", "field", "stone"];
const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
const baseTime = Date.UTC(2026, 0, 5, 9, 0, 0);

// Math.round rather than toFixed: this runs for every generated value, and toFixed's string
// round trip was a quarter of the server's time in the history benchmark.
const round = (x: number, digits = 6) => {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
};

/**
 * Generates the seed data.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateSeed } from "@effect-wandb/api/testing";
 * const seed = generateSeed();
 * assert.equal(seed.runs.filter((r) => r.project === "mnist").length, 30);
 * assert.deepEqual(generateSeed(), seed);
 * ```
 */
export function generateSeed(options?: SeedOptions): SeedData {
  const seed = options?.seed ?? 42;
  const random = prng(seed);
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)]!;
  const maxSteps = options?.maxSteps ?? 400;

  const users: Array<SeedUser> = [
    { username: "alice", name: "Alice Archer", email: "alice@example.com", admin: true },
    { username: "bob", name: "Bob Baker", email: "bob@example.com", admin: false },
  ].map((u) => ({ ...u, apiKey: seedApiKey(u.username, seed) }));

  const entities: Array<SeedEntity> = [
    { name: "alice", isTeam: false, members: ["alice"] },
    { name: "bob", isTeam: false, members: ["bob"] },
    { name: "acme", isTeam: true, members: ["alice", "bob"] },
  ];

  const projectSizes: Array<[string, string, number, string]> = [
    ["acme", "mnist", options?.mnistRuns ?? 30, "alice"],
    ["acme", "cifar10", 12, "bob"],
    ["acme", "empty", 0, "alice"],
    ["alice", "scratch", 5, "alice"],
    ["bob", "private", 4, "bob"],
    ["acme", "real-world", quirkRuns.length, "alice"],
  ];
  if (options?.benchmark !== undefined) {
    projectSizes.push(["acme", "bench", options.benchmark.runs, "alice"]);
  }

  const projects: Array<SeedProject> = projectSizes.map(([entity, name, , username], i) => ({
    entity,
    name,
    username,
    description: `The ${name} experiments`,
    createdAt: new Date(baseTime - (10 - i) * 86_400_000).toISOString(),
  }));

  const runs: Array<SeedRun> = [];
  const usedIds = new Set<string>();
  let runIndex = 0;
  for (const [entity, project, count, owner] of projectSizes) {
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
          startTime: (baseTime + runIndex * 3_600_000) / 1000,
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
          startTime: (baseTime + runIndex * 3_600_000) / 1000,
        }
        : {
          seed: seed * 1000 + runIndex,
          steps: Math.floor(maxSteps / 2 + random() * maxSteps / 2),
          metrics: 4 + Math.floor(random() * 3),
          sparseEvery: 10,
          histogramEvery: 50,
          events: 20 + Math.floor(random() * 30),
          startTime: (baseTime + runIndex * 3_600_000) / 1000,
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
      const createdAt = new Date(baseTime + runIndex * 3_600_000 + Math.floor(random() * 600_000));
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
      });
    }
  }
  return { users, entities, projects, runs };
}

/** A deterministic value in [0, 1) for (seed, step, key): a 32-bit integer hash. */
export function hashUnit(seed: number, step: number, key: number): number {
  let h = Math.imul(seed ^ 0x9E3779B9, 0x85EBCA6B) ^ Math.imul(step + 0x632BE5AB, 0xC2B2AE35) ^
    Math.imul(key + 0x27D4EB2F, 0x165667B1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7FEB352D);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846CA68B);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

const denseNames = ["loss", "accuracy", "lr", "grad_norm"];

/** The name of dense metric number `i` of a generated history. */
export function denseMetricName(i: number): string {
  return denseNames[i] ?? `m${i}`;
}

function denseValue(spec: GeneratedHistorySpec, step: number, i: number): number {
  const progress = step / Math.max(1, spec.steps - 1);
  const noise = hashUnit(spec.seed, step, i) - 0.5;
  switch (i) {
    case 0:
      return round(2.5 * Math.exp(-3 * progress) + 0.05 + noise * 0.05);
    case 1:
      return round(Math.min(1, 0.1 + 0.85 * (1 - Math.exp(-4 * progress)) + noise * 0.02));
    case 2:
      return round(0.001 * (1 - progress) + 1e-6);
    default:
      return round(Math.abs(Math.sin(step / (10 + i)) + noise));
  }
}

function sparseValues(spec: GeneratedHistorySpec, step: number): Record<string, number> {
  const progress = step / Math.max(1, spec.steps - 1);
  return {
    "val/loss": round(
      2.7 * Math.exp(-2.8 * progress) + 0.1 + (hashUnit(spec.seed, step, 101) - 0.5) * 0.08,
    ),
    "val/acc": round(Math.min(1, 0.08 + 0.8 * (1 - Math.exp(-3.5 * progress)))),
  };
}

function histogramValue(spec: GeneratedHistorySpec, step: number): Record<string, unknown> {
  const values = Array.from(
    { length: 8 },
    (_, i) => Math.floor(hashUnit(spec.seed, step, 200 + i) * 100),
  );
  const bins = Array.from({ length: 9 }, (_, i) => round(-1 + i * 0.25, 3));
  return { _type: "histogram", values, bins };
}

/**
 * Row `step` of a generated history: `_step`, `_runtime`, `_timestamp`, the dense metrics, and
 * the sparse keys (`val/loss`, `val/acc`, `weights`) on the steps that log them.
 *
 * @example
 * ```ts
 * import { generatedRow, generateSeed } from "@effect-wandb/api/testing";
 * const spec = generateSeed().runs[0]!.history;
 * console.assert(generatedRow(spec, 0)._step === 0);
 * ```
 */
export function generatedRow(spec: GeneratedHistorySpec, step: number): Record<string, unknown> {
  const runtime = round(step * 0.5 + hashUnit(spec.seed, step, 999) * 0.1, 3);
  const row: Record<string, unknown> = {
    _step: step,
    _runtime: runtime,
    _timestamp: round(spec.startTime + runtime, 3),
  };
  for (let i = 0; i < spec.metrics; i++) row[denseMetricName(i)] = denseValue(spec, step, i);
  if (spec.sparseEvery > 0 && step % spec.sparseEvery === 0) {
    Object.assign(row, sparseValues(spec, step));
  }
  if (spec.histogramEvery > 0 && step % spec.histogramEvery === 0) {
    row["weights"] = histogramValue(spec, step);
  }
  if (spec.quirks !== undefined) quirkValues[spec.quirks](spec, step, row);
  return row;
}

/** The quirks of each `acme/real-world` run, in order. */
const quirkRuns: ReadonlyArray<HistoryQuirks> = ["diverged", "media", "mixed"];

/** Adds (or changes) a row's values the way each kind of real run logs them. */
const quirkValues: Readonly<
  Record<
    HistoryQuirks,
    (spec: GeneratedHistorySpec, step: number, row: Record<string, unknown>) => void
  >
> = {
  diverged: (spec, step, row) => {
    if (step === 3) row["loss"] = Infinity;
    if (step >= Math.floor(spec.steps * 0.7)) {
      row["loss"] = NaN;
      row["grad_norm"] = step % 2 === 0 ? Infinity : -Infinity;
    }
  },
  media: (spec, step, row) => {
    const digest = createHash("sha256").update(`${spec.seed}:${step}`).digest("hex");
    if (step % 5 === 0) {
      row["examples"] = {
        _type: "image-file",
        path: `media/images/examples_${step}_${digest.slice(0, 20)}.png`,
        sha256: digest,
        size: 700 + step,
        format: "png",
        width: 28,
        height: 28,
      };
    }
    if (step % 10 === 0) {
      row["predictions"] = {
        _type: "table-file",
        path: `media/table/predictions_${step}_${digest.slice(0, 20)}.table.json`,
        sha256: digest,
        size: 1_200 + step,
        ncols: 3,
        nrows: 16,
      };
    }
    if (step % 7 === 0) {
      row["eval"] = {
        f1: round(hashUnit(spec.seed, step, 400)),
        per_class: [0, 1, 2].map((k) => round(hashUnit(spec.seed, step, 401 + k))),
        confusion: { tp: step, fp: step % 3, labels: ["cat", "dog"] },
      };
    }
  },
  mixed: (spec, step, row) => {
    if (step % 6 === 5) {
      // A step that logged no metric (W&B still writes its step, runtime and timestamp).
      for (const key of Object.keys(row)) if (!key.startsWith("_")) delete row[key];
      return;
    }
    row["status"] = step % 3 === 0 ? "ok" : step % 3 === 1 ? step : step % 2 === 0;
    row["损失/验证"] = round(hashUnit(spec.seed, step, 500));
    if (step % 4 === 0) row["émoji 😀"] = step;
    if (step % 2 === 0) row["val.loss"] = round(hashUnit(spec.seed, step, 501));
    row["train/acc"] = round(hashUnit(spec.seed, step, 502));
    // Logged as None every fourth step, a number on the next, and not at all otherwise.
    if (step % 4 === 0) row["maybe"] = null;
    if (step % 4 === 1) row["maybe"] = round(hashUnit(spec.seed, step, 503));
    if (step % 5 === 0) row["big_id"] = 9007199254740993n + BigInt(step);
    if (step % 9 === 0) row["note"] = `line 1\nline "2" \\ ${step}`;
  },
};

/**
 * System-metrics row `index` of a generated history (what `Run.events` returns).
 *
 * @example
 * ```ts
 * import { generatedEvent, generateSeed } from "@effect-wandb/api/testing";
 * const spec = generateSeed().runs[0]!.history;
 * console.assert("system.cpu" in generatedEvent(spec, 0));
 * ```
 */
export function generatedEvent(spec: GeneratedHistorySpec, index: number): Record<string, unknown> {
  const runtime = index * 15;
  return {
    _runtime: runtime,
    _timestamp: round(spec.startTime + runtime, 3),
    "system.cpu": round(20 + hashUnit(spec.seed, index, 300) * 70, 1),
    "system.memory": round(30 + hashUnit(spec.seed, index, 301) * 20, 1),
    "system.gpu.0.gpu": round(hashUnit(spec.seed, index, 302) * 100, 1),
    ...(spec.quirks === "diverged"
      ? {
        "system.gpu.0.powerWatts": index % 5 === 4
          ? NaN
          : round(hashUnit(spec.seed, index, 303) * 300, 1),
      }
      : {}),
  };
}
