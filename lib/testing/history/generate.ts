/**
 * Generated run histories: rows computed on demand from a run's {@link GeneratedHistorySpec},
 * so a million-row benchmark project starts as fast as an empty one. Every value is a pure
 * function of (seed, step, key).
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

// Math.round rather than toFixed: this runs for every generated value, and toFixed's string
// round trip was a quarter of the server's time in the history benchmark.
/** `x` rounded to `digits` decimals. */
export const round = (x: number, digits = 6): number => {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
};

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

/** Dense metric `i` of a generated history at `step`. */
export function denseValue(spec: GeneratedHistorySpec, step: number, i: number): number {
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

/** The sparse metrics (`val/loss`, `val/acc`) of a generated history at `step`. */
export function sparseValues(spec: GeneratedHistorySpec, step: number): Record<string, number> {
  const progress = step / Math.max(1, spec.steps - 1);
  return {
    "val/loss": round(
      2.7 * Math.exp(-2.8 * progress) + 0.1 + (hashUnit(spec.seed, step, 101) - 0.5) * 0.08,
    ),
    "val/acc": round(Math.min(1, 0.08 + 0.8 * (1 - Math.exp(-3.5 * progress)))),
  };
}

/** The `weights` histogram of a generated history at `step`. */
export function histogramValue(spec: GeneratedHistorySpec, step: number): Record<string, unknown> {
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
 * import assert from "node:assert/strict";
 * import { generatedRow, generateSeed } from "@effect-wandb/api/testing";
 * const spec = generateSeed().runs[0]!.history;
 * assert.ok(generatedRow(spec, 0)._step === 0);
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
export const quirkRuns: ReadonlyArray<HistoryQuirks> = ["diverged", "media", "mixed"];

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
 * import assert from "node:assert/strict";
 * import { generatedEvent, generateSeed } from "@effect-wandb/api/testing";
 * const spec = generateSeed().runs[0]!.history;
 * assert.ok("system.cpu" in generatedEvent(spec, 0));
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
