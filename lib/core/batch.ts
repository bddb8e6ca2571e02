/**
 * Lookups in flight together, sent as one GraphQL request of aliased fields: the machinery the
 * batched `api.run`, `api.runCount` and `api.artifact` share. Each lookup names an entity, can
 * be asked alone (the official client's own request), and reads its answer from its field of a
 * batch; the resolver groups lookups by entity, caps each request, and completes every lookup
 * with its own value or error.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import type * as Request from "effect/Request";
import * as RequestResolver from "effect/RequestResolver";
import * as Schema from "effect/Schema";
import { DecodeError, type RequestError } from "./errors.ts";
import { type GraphqlDocument, type GraphqlRequest, operationDocument } from "./graphql.ts";
import type { WandbClient } from "./transport.ts";
import { issuePath } from "./_graphql_execution.ts";

/** The answer of a batch: one aliased field per lookup. */
export type BatchData = Readonly<Record<string, unknown>>;

/** One lookup's share of a batch document. */
export interface BatchPart {
  /** Its variable declarations, e.g. `$p0: String!, $e0: String!`. */
  readonly declarations: string;
  /** Its field, without the alias, e.g. `project(name: $p0, entityName: $e0) { runCount }`. */
  readonly field: string;
  /** Its variables. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/**
 * A batch request: `operation(…) { <alias>N: <field of item N> … }`, with the fragments the
 * fields spread and any declarations they share. Its data is decoded field by field (see
 * {@link batchField}), so one malformed field fails one lookup, not the batch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { batchQuery, printDocument } from "@effect-wandb/api/graphql";
 * const request = batchQuery("Counts", "c", ["mnist", "cifar10"], (project, i) => ({
 *   declarations: `$p${i}: String!`,
 *   field: `project(name: $p${i}, entityName: "acme") { runCount }`,
 *   variables: { [`p${i}`]: project },
 * }));
 * assert.ok(printDocument(request.document).includes("c1: project(name: $p1"));
 * assert.equal(request.variables.p1, "cifar10");
 * ```
 */
export function batchQuery<T>(
  operation: string,
  alias: string,
  items: ReadonlyArray<T>,
  part: (item: T, index: number) => BatchPart,
  options?: {
    /** Declarations every field shares, e.g. `$includeAliases: Boolean = true`. */
    readonly declarations?: string | undefined;
    /** The fragments the fields spread. */
    readonly fragments?: ReadonlyArray<GraphqlDocument> | undefined;
  },
): GraphqlRequest<BatchData> {
  const parts = items.map(part);
  const declarations = parts.map((p) => p.declarations);
  if (options?.declarations !== undefined) declarations.push(options.declarations);
  const fields = parts.map((p, i) => `${alias}${i}: ${p.field}`);
  return {
    operation,
    document: operationDocument(
      `query ${operation}(${declarations.join(", ")}) { ${fields.join(" ")} }`,
      ...(options?.fragments ?? []),
    ),
    variables: Object.assign({}, ...parts.map((p) => p.variables)),
    decoder: Schema.Record(Schema.String, Schema.Unknown),
  };
}

/**
 * Field `key` of a batch's data decoded with `schema` (a missing field reads as `null`); a
 * `DecodeError` at `key.<path>` when it does not fit.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Exit, Schema } from "effect";
 * import { batchField } from "@effect-wandb/api/graphql";
 * const count = Schema.NullOr(Schema.Struct({ runCount: Schema.Number }));
 * assert.ok(Exit.isSuccess(batchField({ c0: { runCount: 3 } }, "Counts", "c0", count)));
 * assert.ok(Exit.isFailure(batchField({ c0: { runCount: "3" } }, "Counts", "c0", count)));
 * ```
 */
export function batchField<A>(
  data: BatchData,
  operation: string,
  key: string,
  schema: Schema.Decoder<A>,
): Exit.Exit<A, DecodeError> {
  const decoded = Schema.decodeUnknownExit(schema)(data[key] ?? null);
  if (Exit.isSuccess(decoded)) return Exit.succeed(decoded.value);
  const issue = decoded.cause.reasons.find((r) => r._tag === "Fail");
  return Exit.fail(
    new DecodeError({
      operation,
      path: issue?._tag === "Fail" ? `${key}.${issuePath(issue.error.issue)}` : key,
      message: issue?._tag === "Fail" ? issue.error.message : `malformed ${key}`,
    }),
  );
}

/** How a kind of lookup is sent alone and in a batch (see {@link batchedByEntity}). */
export interface BatchedLookup<R, A, E> {
  /** The entity whose request the lookup joins. */
  readonly entity: (request: R) => string;
  /** The lookup sent alone: the official client's own request. */
  readonly alone: (request: R) => Effect.Effect<A, E | RequestError>;
  /** The batch request of several lookups. */
  readonly batch: (requests: ReadonlyArray<R>) => GraphqlRequest<BatchData>;
  /** A lookup's value (or its own error) read from its field `index` of the batch's data. */
  readonly field: (
    data: BatchData,
    index: number,
    request: R,
  ) => Effect.Effect<A, E | RequestError>;
}

/**
 * The resolver of a kind of lookup: those in flight together share a request per entity (W&B
 * refuses a whole request, HTTP 403, for an entity the key may not read, which must fail only
 * that entity's lookups), at most `maxBatch` per request; a lookup alone is sent as the official
 * request; a GraphQL error, which names no field to blame, sends each lookup on its own.
 *
 * @example
 * ```ts
 * import { Effect, Request, Schema } from "effect";
 * import { batchedByEntity, batchField, batchQuery, type WandbClient } from "@effect-wandb/api/graphql";
 * interface Count extends Request.Request<number> {
 *   readonly _tag: "Count";
 *   readonly project: string;
 * }
 * const resolver = (client: WandbClient) =>
 *   batchedByEntity<Count, number, never>(client, 25, {
 *     entity: () => "acme",
 *     alone: () => Effect.succeed(0),
 *     batch: (counts) =>
 *       batchQuery("Counts", "c", counts, (count, i) => ({
 *         declarations: `$p${i}: String!`,
 *         field: `project(name: $p${i}, entityName: "acme") { runCount }`,
 *         variables: { [`p${i}`]: count.project },
 *       })),
 *     field: (data, i) =>
 *       Effect.orDie(batchField(data, "Counts", `c${i}`, Schema.Struct({ runCount: Schema.Number })))
 *         .pipe(Effect.map((p) => p.runCount)),
 *   });
 * ```
 */
export function batchedByEntity<R extends Request.Request<A, E | RequestError>, A, E>(
  client: WandbClient,
  maxBatch: number,
  lookup: BatchedLookup<R, A, E>,
): RequestResolver.RequestResolver<R> {
  const complete = (entry: Request.Entry<R>, effect: Effect.Effect<A, E | RequestError>) =>
    Effect.map(Effect.exit(effect), (exit) =>
      // `R`'s success and error are `A` and `E | RequestError`, which TypeScript cannot see
      // through the generic `Request.Entry<R>`.
      entry.completeUnsafe(exit as Parameters<Request.Entry<R>["completeUnsafe"]>[0]));
  const alone = (entry: Request.Entry<R>) => complete(entry, lookup.alone(entry.request));
  return RequestResolver.makeGrouped<R, string>({
    key: (entry) => lookup.entity(entry.request),
    resolver: (entries) =>
      entries.length === 1 ? alone(entries[0]) : client.execute(
        lookup.batch(entries.map((entry) => entry.request)),
      ).pipe(
        Effect.flatMap((data) =>
          Effect.forEach(
            entries,
            (entry, i) => complete(entry, lookup.field(data, i, entry.request)),
            { discard: true },
          )
        ),
        Effect.catchTag("GraphqlError", () => Effect.forEach(entries, alone, { discard: true })),
        // A request that failed fails the lookups it carried.
        Effect.catch((error) =>
          Effect.forEach(entries, (entry) => complete(entry, Effect.fail(error)), {
            discard: true,
          })
        ),
      ),
  }).pipe(RequestResolver.batchN(maxBatch));
}
