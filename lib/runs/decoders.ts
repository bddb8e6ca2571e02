/**
 * Decoders for W&B runs. The server sends `config`, `summaryMetrics` and `systemMetrics` as JSON
 * strings and `historyKeys` as JSON; these schemas parse them, and {@link toRun} unwraps the
 * config's `{value, desc}` entries the way the Python client does.
 *
 * @module
 */
import * as Schema from "effect/Schema";
import type { ProjectPath } from "../core/paths.ts";
import { fromWandbJsonString } from "../core/wandb_json.ts";

/** A decoded JSON object (a parsed `config` / `summaryMetrics` string). */
export type JsonObject = Readonly<Record<string, unknown>>;

// W&B's JSON: `NaN`/`±Infinity` tokens and integers beyond 2^53 read as Python reads them.
const JsonObjectString: Schema.Decoder<JsonObject> = fromWandbJsonString(
  Schema.Record(Schema.String, Schema.Unknown),
);

/** `null`, `""` and a JSON object string all decode; the first two to `null`/`""`. */
const OptionalJsonObject: Schema.Decoder<JsonObject | "" | null> = Schema.NullOr(
  Schema.Union([Schema.Literal(""), JsonObjectString]),
);

/** `historyKeys` as the server sends it (already JSON, not a string). */
export interface HistoryKeysData {
  /** The last logged step. */
  readonly lastStep?: number | null | undefined;
  /** Per key, its value types and counts. */
  readonly keys?: JsonObject | null | undefined;
}

const HistoryKeys: Schema.Decoder<HistoryKeysData> = Schema.Struct({
  lastStep: Schema.optional(Schema.NullOr(Schema.Number)),
  keys: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
});

/** A run node as `LightweightRunFragment` selects it. */
export interface LightRunNodeData {
  readonly id: string;
  readonly name: string;
  readonly displayName: string | null;
  readonly tags: ReadonlyArray<string> | null;
  readonly sweepName: string | null;
  readonly state: string;
  readonly group: string | null;
  readonly jobType: string | null;
  readonly commit: string | null;
  readonly readOnly: boolean | null;
  readonly createdAt: string;
  readonly heartbeatAt: string | null;
  readonly description: string | null;
  readonly notes: string | null;
  readonly historyLineCount: number | null;
  readonly user: { readonly name: string | null; readonly username: string | null } | null;
}

/** A run node as `RunFragment` selects it, with its JSON strings parsed. */
export interface FullRunNodeData extends LightRunNodeData {
  readonly config: JsonObject | "" | null;
  readonly summaryMetrics: JsonObject | "" | null;
  readonly systemMetrics: JsonObject | "" | null;
  readonly historyKeys?: HistoryKeysData | null | undefined;
}

const lightFields = {
  id: Schema.String,
  name: Schema.String,
  displayName: Schema.NullOr(Schema.String),
  tags: Schema.NullOr(Schema.Array(Schema.String)),
  sweepName: Schema.NullOr(Schema.String),
  state: Schema.String,
  group: Schema.NullOr(Schema.String),
  jobType: Schema.NullOr(Schema.String),
  commit: Schema.NullOr(Schema.String),
  readOnly: Schema.NullOr(Schema.Boolean),
  createdAt: Schema.String,
  heartbeatAt: Schema.NullOr(Schema.String),
  description: Schema.NullOr(Schema.String),
  notes: Schema.NullOr(Schema.String),
  historyLineCount: Schema.NullOr(Schema.Number),
  user: Schema.NullOr(Schema.Struct({
    name: Schema.NullOr(Schema.String),
    username: Schema.NullOr(Schema.String),
  })),
};

/** Decodes a `LightweightRunFragment` node. */
export const LightRunNode: Schema.Decoder<LightRunNodeData> = Schema.Struct(lightFields);

/** Decodes a `RunFragment` node, parsing its JSON strings. */
export const FullRunNode: Schema.Decoder<FullRunNodeData> = Schema.Struct({
  ...lightFields,
  config: OptionalJsonObject,
  summaryMetrics: OptionalJsonObject,
  systemMetrics: OptionalJsonObject,
  historyKeys: Schema.optional(Schema.NullOr(HistoryKeys)),
});

/**
 * What a run listing may load besides the light fields: each costs the server work per run
 * (W&B parses and sends config and summary as JSON strings; history keys are computed).
 */
export type RunField = "config" | "summary" | "systemMetrics" | "historyKeys";

/** Every {@link RunField}: what `full: true` (Python's `lazy=False`) loads. */
export const allRunFields: ReadonlyArray<RunField> = [
  "config",
  "summary",
  "systemMetrics",
  "historyKeys",
];

/** The GraphQL field of each {@link RunField}. */
export const runFieldSelections: Readonly<Record<RunField, string>> = {
  config: "config",
  summary: "summaryMetrics",
  systemMetrics: "systemMetrics",
  historyKeys: "historyKeys",
};

/** A run node with some of the full fields: those a listing's `fields` selected. */
export type SelectedRunNodeData =
  & LightRunNodeData
  & Partial<Omit<FullRunNodeData, keyof LightRunNodeData>>;

const selectedDecoders: Readonly<Record<RunField, Schema.Top>> = {
  config: OptionalJsonObject,
  summary: OptionalJsonObject,
  systemMetrics: OptionalJsonObject,
  historyKeys: Schema.optional(Schema.NullOr(HistoryKeys)),
};

/**
 * Decodes a run node with the light fields and `fields`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Schema } from "effect";
 * import { selectedRunNode } from "@effect-wandb/api/runs";
 * const node = Schema.decodeUnknownSync(selectedRunNode(["config"]))({
 *   id: "UnVuOjE=", name: "abc", displayName: null, tags: null, sweepName: null, state: "finished",
 *   group: null, jobType: null, commit: null, readOnly: false, createdAt: "2026-01-01T00:00:00",
 *   heartbeatAt: null, description: null, notes: null, historyLineCount: 3, user: null,
 *   config: '{"lr": {"value": 0.1}}',
 * });
 * assert.deepEqual(node.config, { lr: { value: 0.1 } });
 * ```
 */
export function selectedRunNode(
  fields: ReadonlyArray<RunField>,
): Schema.Decoder<SelectedRunNodeData> {
  return Schema.Struct({
    ...lightFields,
    ...Object.fromEntries(
      fields.map((f) => [runFieldSelections[f], selectedDecoders[f]]),
    ),
  }) as unknown as Schema.Decoder<SelectedRunNodeData>;
}

/** The decoded form of either fragment, or of a selection. */
export type RunNode = LightRunNodeData | FullRunNodeData | SelectedRunNodeData;

/** The `historyKeys` of a run: the last step and the logged keys with their value types. */
export interface HistoryKeysInfo {
  /** The last logged step, or -1 when nothing was logged. */
  readonly lastStep: number;
  /** Per key, what the server reports (`typeCounts`, …). */
  readonly keys: Readonly<Record<string, unknown>>;
}

/**
 * A W&B run, with Python `wandb.apis.public.Run` names in camelCase.
 *
 * `config`, `summary`, `systemMetrics` and `historyKeys` are `undefined` for runs listed with
 * light fields (the default of `runs()`, like Python's `lazy=True`) or without them among the
 * listing's `fields`; `run()` always loads them.
 */
export interface Run<
  C = Readonly<Record<string, unknown>>,
  S = Readonly<Record<string, unknown>>,
> {
  /** The run id used in paths (the server's `name`). */
  readonly id: string;
  /** The server's storage id (base64), used by mutations. */
  readonly storageId: string;
  /** The display name (Python's `run.name`). */
  readonly name: string;
  /** Owning entity. */
  readonly entity: string;
  /** Owning project. */
  readonly project: string;
  /** `entity/project/id`. */
  readonly path: string;
  /** `running`, `finished`, `crashed`, `failed`, `pending`, `preempted`, … */
  readonly state: string;
  /** Tags, in server order. */
  readonly tags: ReadonlyArray<string>;
  /** Run group, if any. */
  readonly group: string | null;
  /** Job type, if any. */
  readonly jobType: string | null;
  /** The sweep this run belongs to, if any. */
  readonly sweepName: string | null;
  /** Git commit, if recorded. */
  readonly commit: string | null;
  /** Whether the viewer may not modify the run. */
  readonly readOnly: boolean;
  /** Creation time, ISO-8601 as the server sends it. */
  readonly createdAt: string;
  /** Last heartbeat, ISO-8601. */
  readonly heartbeatAt: string | null;
  /** Description. */
  readonly description: string | null;
  /** Notes. */
  readonly notes: string | null;
  /** Number of history rows. */
  readonly historyLineCount: number;
  /** Who created the run. */
  readonly user: { readonly name: string | null; readonly username: string | null } | null;
  /**
   * Config with `{value, desc}` unwrapped; `_wandb` and `wandb_version` only in `rawConfig`.
   * Decoded by your Schema when the listing was given one (`runs(path, { config })`).
   */
  readonly config: C | undefined;
  /** Config exactly as stored (wrapped values, `_wandb` included). */
  readonly rawConfig: Readonly<Record<string, unknown>> | undefined;
  /** Summary metrics (Python's `run.summary`), decoded by your Schema when given one. */
  readonly summary: S | undefined;
  /** System metrics summary. */
  readonly systemMetrics: Readonly<Record<string, unknown>> | undefined;
  /** Logged history keys and the last step. */
  readonly historyKeys: HistoryKeysInfo | undefined;
}

const hiddenConfigKeys = new Set(["_wandb", "wandb_version"]);

/**
 * Unwraps a stored config (`{"lr": {"value": 0.1, "desc": null}, "_wandb": {…}}`) the way
 * `Run._load_from_attrs` does: every entry that is an object holding `value` becomes that value;
 * `_wandb` and `wandb_version` are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unwrapConfig } from "@effect-wandb/api";
 * const c = unwrapConfig({ lr: { value: 0.1, desc: null }, _wandb: { value: {} }, raw: 3 });
 * assert.ok(c.lr === 0.1 && c.raw === 3 && !("_wandb" in c));
 * ```
 */
export function unwrapConfig(
  raw: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const config: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(raw)) {
    if (hiddenConfigKeys.has(key)) continue;
    const isWrapped = typeof entry === "object" && entry !== null && !Array.isArray(entry) &&
      "value" in entry;
    config[key] = isWrapped ? (entry as { value: unknown }).value : entry;
  }
  return config;
}

const orEmpty = (json: JsonObject | "" | null): JsonObject =>
  json === null || json === "" ? {} : json;

/**
 * Builds a {@link Run} from a decoded node of the given project: with the fields `selected`
 * (when a listing chose them), or else all of them when the node has a config (`RunFragment`).
 */
export function toRun(
  project: ProjectPath,
  node: RunNode,
  selected?: ReadonlyArray<RunField>,
): Run {
  const has = (field: RunField) =>
    selected === undefined ? "config" in node : selected.includes(field);
  const full = node as FullRunNodeData;
  const rawConfig = has("config") ? orEmpty(full.config ?? null) : undefined;
  const keys = has("historyKeys") ? full.historyKeys : undefined;
  return {
    id: node.name,
    storageId: node.id,
    name: node.displayName ?? node.name,
    entity: project.entity,
    project: project.project,
    path: `${project.entity}/${project.project}/${node.name}`,
    state: node.state,
    tags: node.tags ?? [],
    group: node.group,
    jobType: node.jobType,
    sweepName: node.sweepName,
    commit: node.commit,
    readOnly: node.readOnly ?? false,
    createdAt: node.createdAt,
    heartbeatAt: node.heartbeatAt,
    description: node.description,
    notes: node.notes,
    historyLineCount: node.historyLineCount ?? 0,
    user: node.user,
    config: rawConfig === undefined ? undefined : unwrapConfig(rawConfig),
    rawConfig,
    summary: has("summary") ? orEmpty(full.summaryMetrics ?? null) : undefined,
    systemMetrics: has("systemMetrics") ? orEmpty(full.systemMetrics ?? null) : undefined,
    historyKeys: has("historyKeys")
      ? { lastStep: keys?.lastStep ?? -1, keys: keys?.keys ?? {} }
      : undefined,
  };
}
