/**
 * Run histories on the local server: \`history\` pages, \`sampledHistory\`, \`historyKeys\`,
 * system metrics (\`events\`) and Parquet exports of a run, with W&B's sampling and windows.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { printWandbJson } from "../../core/wandb_json.ts";
import type { ResolverContext, ServerResource } from "../resource.ts";
import type { StoredRun } from "../runs/store.ts";
import { historySdl } from "./sdl.ts";
import { type HistoryRow, HistoryStore, historyValueType, sampleEvenly } from "./store.ts";

/** W&B's default \`samples\` for sampled history. */
const defaultSamples = 500;

function historyKeys(ctx: ResolverContext, run: StoredRun): unknown {
  const counts = new Map<string, Map<string, number>>();
  const add = (key: string, type: string, n: number) => {
    const perType = counts.get(key) ?? new Map<string, number>();
    perType.set(type, (perType.get(type) ?? 0) + n);
    counts.set(key, perType);
  };
  const spec = run.history;
  if (spec?.quirks !== undefined) {
    // The seed's real-world runs are short and irregular: every row is counted.
    for (const row of ctx.store.history.rows(run, 0, spec.steps)) {
      for (const key in row) add(key, historyValueType(row[key]), 1);
    }
  } else if (spec !== null) {
    // Counted arithmetically: a generated history may have millions of rows.
    for (const key of ["_step", "_runtime", "_timestamp"]) add(key, "number", spec.steps);
    const row = ctx.store.history.rows(run, 0, 1).next().value as HistoryRow | undefined;
    for (const key of Object.keys(row ?? {})) {
      if (!key.startsWith("_") && key !== "val/loss" && key !== "val/acc" && key !== "weights") {
        add(key, "number", spec.steps);
      }
    }
    if (spec.sparseEvery > 0) {
      const n = Math.floor((spec.steps - 1) / spec.sparseEvery) + 1;
      add("val/loss", "number", n);
      add("val/acc", "number", n);
    }
    if (spec.histogramEvery > 0) {
      add("weights", "histogram", Math.floor((spec.steps - 1) / spec.histogramEvery) + 1);
    }
  } else {
    for (const { key, type, count } of ctx.store.history.keyCounts(run)) add(key, type, count);
  }
  const keys: Record<string, unknown> = {};
  for (const [key, perType] of counts) {
    keys[key] = { typeCounts: [...perType].map(([type, count]) => ({ type, count })) };
  }
  return { lastStep: ctx.store.history.lastStep(run), keys };
}

interface HistorySpec {
  keys?: unknown;
  samples?: unknown;
  minStep?: unknown;
  maxStep?: unknown;
}

function sampledHistory(ctx: ResolverContext, run: StoredRun, specText: string): Array<HistoryRow> {
  let spec: HistorySpec;
  try {
    spec = JSON.parse(specText);
  } catch {
    throw new GraphQLError("invalid spec: not JSON");
  }
  if (!Array.isArray(spec.keys) || spec.keys.some((k) => typeof k !== "string")) {
    throw new GraphQLError("invalid spec: keys must be a list of strings");
  }
  const keys = spec.keys as Array<string>;
  const samples = typeof spec.samples === "number" ? spec.samples : defaultSamples;
  const lo = typeof spec.minStep === "number" ? spec.minStep : 0;
  // Like the real server, sampledHistory's maxStep is inclusive (wandb-core sends maxStep - 1).
  const hi = typeof spec.maxStep === "number" ? spec.maxStep + 1 : Number.MAX_SAFE_INTEGER;
  const rows: Array<HistoryRow> = [];
  for (const row of ctx.store.history.rows(run, lo, hi)) {
    if (!keys.every((k) => k in row)) continue;
    const projected: Record<string, unknown> = { _step: row["_step"] };
    for (const k of keys) projected[k] = row[k];
    rows.push(projected);
  }
  return sampleEvenly(rows, samples);
}

/**
 * The history resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { historyResource } from "@effect-wandb/api/testing";
 * assert.ok(historyResource.sdl?.includes("sampledHistory"));
 * ```
 */
export const historyResource: ServerResource<HistoryStore> = {
  open: (db, opened) => new HistoryStore(db, opened.runs),
  sdl: historySdl,
  runFields: (ctx, run) => ({
    historyLineCount: () => ctx.store.history.count(run),
    historyKeys: () => historyKeys(ctx, run),
    history: (
      args: { samples?: number | null; minStep?: number | null; maxStep?: number | null },
    ) => {
      const lo = args.minStep ?? 0;
      const hi = args.maxStep ?? ctx.store.history.lastStep(run) + 1;
      return ctx.rawJson(ctx.store.history.list(run, lo, hi, args.samples ?? defaultSamples));
    },
    events: ({ samples }: { samples?: number | null }) =>
      sampleEvenly(ctx.store.history.events(run), samples ?? defaultSamples).map((r) =>
        printWandbJson(r, "token")
      ),
    sampledHistory: ({ specs }: { specs: Array<string> }) =>
      specs.map((spec) => sampledHistory(ctx, run, spec)),
    parquetHistory: ({ liveKeys }: { liveKeys: Array<string> }) => {
      if (ctx.parquet === undefined) {
        throw new GraphQLError("parquetHistory is not enabled on this server");
      }
      return ctx.parquet.parquetHistory(run, liveKeys);
    },
  }),
};
