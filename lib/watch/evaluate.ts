/**
 * Evaluating watch rules over a run: what fires, given the run as listed, the history rows
 * logged since the last evaluation and what was remembered of it. Pure: the tick decides what
 * is read and what is delivered.
 *
 * @module
 */
import * as Duration from "effect/Duration";
import type { HistoryRow } from "../history/queries.ts";
import type { Run } from "../runs/decoders.ts";
import type { WatchRule } from "./rules.ts";
import type { WatchedRun } from "./state.ts";

/** An alert: a rule that fired on a run, with the values that fired it. */
export interface Alert {
  /** `<run path>#<rule name>`: one alert per run and rule, ever. */
  readonly id: string;
  readonly rule: string;
  readonly kind: WatchRule["kind"];
  readonly run: {
    readonly path: string;
    readonly name: string;
    readonly state: string;
    /** Its page in the W&B app. */
    readonly url: string;
  };
  /** What fired it: the step and value, the state, the last heartbeat… (JSON-safe). */
  readonly values: Readonly<Record<string, string | number | null>>;
  /** When it fired (ISO 8601). */
  readonly firedAt: string;
  /** One line saying what happened. */
  readonly message: string;
}

/** What an evaluation found, and what to remember of the run. */
export interface Evaluation {
  readonly fired: ReadonlyArray<Omit<Alert, "run" | "firedAt" | "id"> & { readonly id?: never }>;
  readonly next: WatchedRun;
}

const shown = (value: unknown): string | number | null =>
  typeof value === "number" && Number.isFinite(value)
    ? value
    : typeof value === "number" || typeof value === "bigint"
    ? String(value)
    : value === null || value === undefined
    ? null
    : typeof value === "string"
    ? value
    : JSON.stringify(value);

const millisOf = (text: string): number =>
  Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);

const minutes = (ms: number) => Math.round(ms / 6_000) / 10;

/**
 * The rules that fire on `run`, given the rows logged after `prior.lastStep`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluateRun } from "@effect-wandb/api/watch";
 * import type { Run } from "@effect-wandb/api";
 * const run = { path: "acme/mnist/abc", state: "running", heartbeatAt: null, createdAt: "2026-01-01T00:00:00Z" } as unknown as Run;
 * const { fired } = evaluateRun([{ name: "nan", kind: "nonFinite", metric: "loss" }], run,
 *   [{ _step: 0, loss: 1 }, { _step: 1, loss: NaN }], undefined, Date.now());
 * assert.equal(fired[0]?.values.step, 1);
 * ```
 */
export function evaluateRun(
  rules: ReadonlyArray<WatchRule>,
  run: Run,
  rows: ReadonlyArray<HistoryRow>,
  prior: WatchedRun | undefined,
  now: number,
): Evaluation {
  const streaks: Record<string, number> = { ...prior?.streaks };
  const fired: Array<Evaluation["fired"][number]> = [];
  for (const rule of rules) {
    switch (rule.kind) {
      case "nonFinite": {
        const row = rows.find((r) => {
          const v = r[rule.metric];
          return typeof v === "number" && !Number.isFinite(v);
        });
        if (row !== undefined) {
          fired.push({
            rule: rule.name,
            kind: rule.kind,
            values: { step: shown(row["_step"]), [rule.metric]: shown(row[rule.metric]) },
            message: `${rule.metric} is ${shown(row[rule.metric])} at step ${row["_step"]}`,
          });
        }
        break;
      }
      case "above":
      case "below": {
        const forSteps = rule.forSteps ?? 1;
        let streak = streaks[rule.name] ?? 0;
        let firedAt: HistoryRow | undefined;
        for (const row of rows) {
          const v = row[rule.metric];
          if (typeof v !== "number") continue;
          const met = rule.kind === "above" ? v > rule.threshold : v < rule.threshold;
          streak = met ? streak + 1 : 0;
          if (streak >= forSteps && firedAt === undefined) firedAt = row;
        }
        streaks[rule.name] = streak;
        if (firedAt !== undefined) {
          fired.push({
            rule: rule.name,
            kind: rule.kind,
            values: {
              step: shown(firedAt["_step"]),
              [rule.metric]: shown(firedAt[rule.metric]),
              threshold: rule.threshold,
              forSteps,
            },
            message: `${rule.metric} ${rule.kind} ${rule.threshold} for ${forSteps} step${
              forSteps === 1 ? "" : "s"
            } (${shown(firedAt[rule.metric])} at step ${firedAt["_step"]})`,
          });
        }
        break;
      }
      case "noHeartbeat": {
        const limit = Duration.toMillis(Duration.fromInputUnsafe(rule.for as Duration.Input));
        const beat = run.heartbeatAt ?? run.createdAt;
        const silent = now - millisOf(beat);
        if (run.state === "running" && silent > limit) {
          fired.push({
            rule: rule.name,
            kind: rule.kind,
            values: { heartbeatAt: beat, silentMinutes: minutes(silent) },
            message: `no heartbeat for ${minutes(silent)} minutes (last ${beat})`,
          });
        }
        break;
      }
      case "state": {
        if (rule.states.includes(run.state as typeof rule.states[number])) {
          fired.push({
            rule: rule.name,
            kind: rule.kind,
            values: { state: run.state },
            message: `the run is ${run.state}`,
          });
        }
        break;
      }
      case "runningLongerThan": {
        const limit = Duration.toMillis(Duration.fromInputUnsafe(rule.for as Duration.Input));
        const running = now - millisOf(run.createdAt);
        if (run.state === "running" && running > limit) {
          fired.push({
            rule: rule.name,
            kind: rule.kind,
            values: { createdAt: run.createdAt, runningMinutes: minutes(running) },
            message: `running for ${minutes(running)} minutes`,
          });
        }
        break;
      }
    }
  }
  const last = rows.at(-1)?.["_step"];
  return {
    fired,
    next: {
      lastStep: typeof last === "number" ? last : prior?.lastStep ?? -1,
      streaks,
      state: run.state,
    },
  };
}
