/**
 * The runs table: one flat record per run, the shape of the W&B runs table and of the
 * DataFrame Python users build from `api.runs(...)`.
 *
 * @module
 */
import type { Run } from "./decoders.ts";

/** One row of the runs table. Config and summary keys are prefixed `config.` / `summary.`. */
export type RunsTableRow = Readonly<Record<string, unknown>>;

/** The run columns every row starts with, in this order. */
export const runsTableBaseColumns: ReadonlyArray<string> = [
  "path",
  "id",
  "name",
  "state",
  "createdAt",
  "heartbeatAt",
  "group",
  "jobType",
  "sweepName",
  "tags",
  "username",
  "historyLineCount",
];

/**
 * Flattens a run into a runs-table row: base columns, then `config.<key>` for every unwrapped
 * config key and `summary.<key>` for every summary metric (nested objects stay values: W&B
 * media and histograms must pass through whole).
 *
 * @example
 * ```ts
 * import type { Run } from "@effect-wandb/api";
 * import { runsTableRow } from "@effect-wandb/api";
 * const lossOf = (run: Run) => runsTableRow(run)["summary.val/loss"];
 * ```
 */
export function runsTableRow(run: Run): RunsTableRow {
  const row: Record<string, unknown> = {
    path: run.path,
    id: run.id,
    name: run.name,
    state: run.state,
    createdAt: run.createdAt,
    heartbeatAt: run.heartbeatAt,
    group: run.group,
    jobType: run.jobType,
    sweepName: run.sweepName,
    tags: run.tags,
    username: run.user?.username ?? null,
    historyLineCount: run.historyLineCount,
  };
  for (const [key, value] of Object.entries(run.config ?? {})) row[`config.${key}`] = value;
  for (const [key, value] of Object.entries(run.summary ?? {})) row[`summary.${key}`] = value;
  return row;
}
