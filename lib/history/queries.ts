/**
 * Pure builders for the history queries: the official client's `RunHistoryKeys`,
 * `HistoryPage`, `SampledHistoryPage`, `RunFullHistory`, `RunSampledHistory` and wandb-core's
 * `RunParquetHistory`, with the same operation and variable names, so a real W&B server accepts
 * them as they are.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import { DecodeError } from "../core/errors.ts";
import { type GraphqlDocument, type GraphqlRequest, operationDocument } from "../core/graphql.ts";
import { parseWandbJson, WandbJsonError } from "../core/wandb_json.ts";
import type { RunPath } from "../core/paths.ts";

/** One history row: `_step`, `_runtime`, `_timestamp` and the logged metrics. */
export type HistoryRow = Readonly<Record<string, unknown>>;

// `liveData` rows: a handful per run, checked by schema.
const JsonRow: Schema.Decoder<HistoryRow> = Schema.Record(Schema.String, Schema.Unknown);

/**
 * A list of rows, checked only to be a list: each history reader checks its rows itself (one
 * tight loop), and a per-item schema over pages of thousands costs more than the rows.
 */
const RowList: Schema.Decoder<ReadonlyArray<unknown>> = Schema.declare(
  (u): u is ReadonlyArray<unknown> => Array.isArray(u),
  { expected: "a list of history rows" },
);

const isRow = (u: unknown): u is HistoryRow =>
  typeof u === "object" && u !== null && !Array.isArray(u);

const stepPattern = /"_step"\s*:\s*(-?\d+)/;

/**
 * The error for a history row that cannot be decoded: it names the row's index, its step when
 * one can be read from the text, where the text goes wrong and the text itself (cut to 200
 * characters), so that the row can be found on the server. Scans add the run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { badHistoryRow } from "@effect-wandb/api/history";
 * const e = badHistoryRow("HistoryPage", "project.run.history", 1, '{"_step":4,"loss":nan}', 18);
 * assert.ok(e.path === "project.run.history.1" && e.message.includes("step 4"));
 * ```
 */
export function badHistoryRow(
  operation: string,
  at: string,
  index: number,
  text: string | undefined,
  offset?: number,
): DecodeError {
  const step = text === undefined ? null : stepPattern.exec(text);
  const where = offset === undefined ? "" : ` (at character ${offset})`;
  const shown = text === undefined
    ? "it is not a JSON string"
    : `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
  return new DecodeError({
    operation,
    path: `${at}.${index}`,
    message: `History row ${index}${
      step === null ? "" : ` (step ${step[1]})`
    } is not a JSON object${where}${text === undefined ? ": " : ""}${shown}`,
  });
}

/**
 * Parses history rows sent as JSON strings of W&B's JSON (`NaN`, `Infinity` and `-Infinity`
 * read as numbers, see {@link parseWandbJson}) or checks rows sent as objects, failing with a
 * `DecodeError` at `at.<index>` for the first one that is not an object, naming its step and
 * text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { parseHistoryRows } from "@effect-wandb/api/history";
 * const rows = Effect.runSync(parseHistoryRows("HistoryPage", "history", ['{"_step":0,"loss":NaN}']));
 * assert.ok(rows[0]!._step === 0 && Number.isNaN(rows[0]!.loss));
 * ```
 */
export function parseHistoryRows(
  operation: string,
  at: string,
  rows: ReadonlyArray<unknown>,
): Effect.Effect<Array<HistoryRow>, DecodeError> {
  return Effect.suspend(() => {
    const out: Array<HistoryRow> = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const raw = rows[i];
      let row: unknown = raw;
      let offset: number | undefined;
      if (typeof raw === "string") {
        try {
          row = parseWandbJson(raw);
        } catch (e) {
          row = undefined;
          offset = e instanceof WandbJsonError ? e.offset : undefined;
        }
      }
      if (!isRow(row)) {
        return Effect.fail(
          badHistoryRow(
            operation,
            at,
            i,
            typeof raw === "string" ? raw : raw === undefined ? undefined : JSON.stringify(raw),
            offset,
          ),
        );
      }
      out[i] = row;
    }
    return Effect.succeed(out);
  });
}

/** The decoded answer of a query selecting one field of `project.run`. */
export interface RunFieldData<A> {
  readonly project: { readonly run: A | null } | null;
}

const runField = <A>(field: Schema.Decoder<A>): Schema.Decoder<RunFieldData<A>> =>
  Schema.Struct({
    project: Schema.NullOr(Schema.Struct({ run: Schema.NullOr(field) })),
  });

/** `historyKeys` as the server sends it. */
export interface HistoryKeysField {
  readonly historyKeys: {
    readonly lastStep?: number | null | undefined;
    readonly keys?: Readonly<Record<string, unknown>> | null | undefined;
  } | null;
}

const HistoryKeysData: Schema.Decoder<RunFieldData<HistoryKeysField>> = runField(
  Schema.Struct({
    historyKeys: Schema.NullOr(Schema.Struct({
      lastStep: Schema.optional(Schema.NullOr(Schema.Number)),
      keys: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
    })),
  }),
);

const historyKeysDocument: GraphqlDocument = operationDocument(`
  query RunHistoryKeys($project: String!, $entity: String!, $name: String!) {
    project(name: $project, entityName: $entity) { run(name: $name) { historyKeys } }
  }
`);

/**
 * The `RunHistoryKeys` request: the last step and the logged keys.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runHistoryKeysQuery } from "@effect-wandb/api/graphql";
 * const r = runHistoryKeysQuery({ entity: "acme", project: "mnist", runId: "abc" });
 * assert.ok(r.operation === "RunHistoryKeys");
 * ```
 */
export function runHistoryKeysQuery(path: RunPath): GraphqlRequest<RunFieldData<HistoryKeysField>> {
  return {
    operation: "RunHistoryKeys",
    document: historyKeysDocument,
    variables: { project: path.project, entity: path.entity, name: path.runId },
    decoder: HistoryKeysData,
  };
}

/** Rows of the `history` field: JSON strings, checked and parsed by {@link parseHistoryRows}. */
export interface HistoryField {
  readonly history: ReadonlyArray<unknown>;
}

const HistoryPageData: Schema.Decoder<RunFieldData<HistoryField>> = runField(
  Schema.Struct({ history: RowList }),
);

const historyPageDocument: GraphqlDocument = operationDocument(`
  query HistoryPage($entity: String!, $project: String!, $run: String!, $minStep: Int64!,
                    $maxStep: Int64!, $pageSize: Int!) {
    project(name: $project, entityName: $entity) {
      run(name: $run) { history(minStep: $minStep, maxStep: $maxStep, samples: $pageSize) }
    }
  }
`);

/**
 * The `HistoryPage` request: every row with `minStep <= _step < maxStep` (at most `pageSize`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { historyPageQuery } from "@effect-wandb/api/graphql";
 * const r = historyPageQuery({ entity: "acme", project: "mnist", runId: "abc" }, 0, 1000, 1000);
 * assert.ok(r.variables.maxStep === 1000);
 * ```
 */
export function historyPageQuery(
  path: RunPath,
  minStep: number,
  maxStep: number,
  pageSize: number,
): GraphqlRequest<RunFieldData<HistoryField>> {
  return {
    operation: "HistoryPage",
    document: historyPageDocument,
    variables: {
      entity: path.entity,
      project: path.project,
      run: path.runId,
      minStep,
      maxStep,
      pageSize,
    },
    decoder: HistoryPageData,
  };
}

/** Rows of the `sampledHistory` field: one list of row objects per spec. */
export interface SampledHistoryField {
  readonly sampledHistory: ReadonlyArray<ReadonlyArray<unknown>>;
}

const SampledHistoryData: Schema.Decoder<RunFieldData<SampledHistoryField>> = runField(
  Schema.Struct({ sampledHistory: Schema.Array(RowList) }),
);

const sampledHistoryPageDocument: GraphqlDocument = operationDocument(`
  query SampledHistoryPage($entity: String!, $project: String!, $run: String!,
                           $spec: JSONString!) {
    project(name: $project, entityName: $entity) { run(name: $run) { sampledHistory(specs: [$spec]) } }
  }
`);

/** A `sampledHistory` spec. */
export interface SampledHistorySpec {
  /** The keys every returned row must hold. */
  readonly keys: ReadonlyArray<string>;
  /** At most this many rows. */
  readonly samples: number;
  /** Lowest step. */
  readonly minStep?: number | undefined;
  /** Highest step, **inclusive** on the server. */
  readonly maxStep?: number | undefined;
}

/**
 * The `SampledHistoryPage` request: rows holding every key of the spec.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampledHistoryPageQuery } from "@effect-wandb/api/graphql";
 * const r = sampledHistoryPageQuery(
 *   { entity: "acme", project: "mnist", runId: "abc" },
 *   { keys: ["loss"], samples: 1000, minStep: 0, maxStep: 999 },
 * );
 * assert.ok(JSON.parse(r.variables.spec as string).maxStep === 999);
 * ```
 */
export function sampledHistoryPageQuery(
  path: RunPath,
  spec: SampledHistorySpec,
): GraphqlRequest<RunFieldData<SampledHistoryField>> {
  return {
    operation: "SampledHistoryPage",
    document: sampledHistoryPageDocument,
    variables: {
      entity: path.entity,
      project: path.project,
      run: path.runId,
      spec: JSON.stringify(spec),
    },
    decoder: SampledHistoryData,
  };
}

const runSampledHistoryDocument: GraphqlDocument = operationDocument(`
  query RunSampledHistory($project: String!, $entity: String!, $name: String!,
                          $specs: [JSONString!]!) {
    project(name: $project, entityName: $entity) { run(name: $name) { sampledHistory(specs: $specs) } }
  }
`);

/**
 * The `RunSampledHistory` request (Python's `run.history(keys=…)`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runSampledHistoryQuery } from "@effect-wandb/api/graphql";
 * const r = runSampledHistoryQuery({ entity: "a", project: "b", runId: "c" }, [{ keys: ["_step", "loss"], samples: 10 }]);
 * assert.ok(r.operation === "RunSampledHistory");
 * ```
 */
export function runSampledHistoryQuery(
  path: RunPath,
  specs: ReadonlyArray<SampledHistorySpec>,
): GraphqlRequest<RunFieldData<SampledHistoryField>> {
  return {
    operation: "RunSampledHistory",
    document: runSampledHistoryDocument,
    variables: {
      project: path.project,
      entity: path.entity,
      name: path.runId,
      specs: specs.map((s) => JSON.stringify(s)),
    },
    decoder: SampledHistoryData,
  };
}

/** Rows of the `events` field (system metrics): JSON strings, checked by {@link parseHistoryRows}. */
export interface EventsField {
  readonly events: ReadonlyArray<unknown>;
}

const FullHistoryData: Schema.Decoder<RunFieldData<HistoryField>> = runField(
  Schema.Struct({ history: RowList }),
);
const EventsData: Schema.Decoder<RunFieldData<EventsField>> = runField(
  Schema.Struct({ events: RowList }),
);

const fullHistoryDocument: GraphqlDocument = operationDocument(`
  query RunFullHistory($project: String!, $entity: String!, $name: String!, $samples: Int) {
    project(name: $project, entityName: $entity) { run(name: $name) { history(samples: $samples) } }
  }
`);

const eventsDocument: GraphqlDocument = operationDocument(`
  query RunFullHistory($project: String!, $entity: String!, $name: String!, $samples: Int) {
    project(name: $project, entityName: $entity) { run(name: $name) { events(samples: $samples) } }
  }
`);

/**
 * The `RunFullHistory` request: sampled rows of the whole history (Python's
 * `run.history()` without keys).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runFullHistoryQuery } from "@effect-wandb/api/graphql";
 * assert.ok(runFullHistoryQuery({ entity: "a", project: "b", runId: "c" }, 500).variables.samples === 500);
 * ```
 */
export function runFullHistoryQuery(
  path: RunPath,
  samples: number,
): GraphqlRequest<RunFieldData<HistoryField>> {
  return {
    operation: "RunFullHistory",
    document: fullHistoryDocument,
    variables: { project: path.project, entity: path.entity, name: path.runId, samples },
    decoder: FullHistoryData,
  };
}

/**
 * The `RunFullHistory` request on the system stream (`events`): Python's
 * `run.history(stream="system")`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runEventsQuery } from "@effect-wandb/api/graphql";
 * assert.ok(runEventsQuery({ entity: "a", project: "b", runId: "c" }, 500).operation === "RunFullHistory");
 * ```
 */
export function runEventsQuery(
  path: RunPath,
  samples: number,
): GraphqlRequest<RunFieldData<EventsField>> {
  return {
    operation: "RunFullHistory",
    document: eventsDocument,
    variables: { project: path.project, entity: path.entity, name: path.runId, samples },
    decoder: EventsData,
  };
}

/** The `parquetHistory` field. */
export interface ParquetHistoryField {
  readonly parquetHistory: {
    readonly parquetUrls: ReadonlyArray<string>;
    readonly liveData: ReadonlyArray<HistoryRow>;
  };
}

const ParquetHistoryData: Schema.Decoder<RunFieldData<ParquetHistoryField>> = runField(
  Schema.Struct({
    parquetHistory: Schema.Struct({
      parquetUrls: Schema.Array(Schema.String),
      liveData: Schema.Array(JsonRow),
    }),
  }),
);

const parquetHistoryDocument: GraphqlDocument = operationDocument(`
  query RunParquetHistory($entity: String!, $project: String!, $runName: String!,
                          $liveKeys: [String!]!) {
    project(name: $project, entityName: $entity) {
      run(name: $runName) { parquetHistory(liveKeys: $liveKeys) { parquetUrls liveData } }
    }
  }
`);

/**
 * The `RunParquetHistory` request (wandb-core's): signed URLs of the exported history and the
 * `liveKeys` of rows not exported yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parquetHistoryQuery } from "@effect-wandb/api/graphql";
 * assert.ok(parquetHistoryQuery({ entity: "a", project: "b", runId: "c" }).variables.liveKeys[0] === "_step");
 * ```
 */
export function parquetHistoryQuery(
  path: RunPath,
  liveKeys: ReadonlyArray<string> = ["_step"],
): GraphqlRequest<RunFieldData<ParquetHistoryField>> & {
  readonly variables: { readonly liveKeys: ReadonlyArray<string> };
} {
  return {
    operation: "RunParquetHistory",
    document: parquetHistoryDocument,
    variables: { entity: path.entity, project: path.project, runName: path.runId, liveKeys },
    decoder: ParquetHistoryData,
  };
}
