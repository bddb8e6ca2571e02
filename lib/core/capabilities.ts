/**
 * What the server offers, learned once per client: W&B Server releases behind SaaS lack fields,
 * arguments and whole surfaces, and say which through `serverInfo.features` (the official
 * client's `ServerFeaturesQuery`; a server older than that field has none of them). Operations
 * ask before sending a query shape an older server would reject, and take the official client's
 * fallback, or fail with an {@link UnsupportedByServerError} naming the feature.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Schema from "effect/Schema";
import * as Semaphore from "effect/Semaphore";
import { type RequestError, UnsupportedByServerError } from "./errors.ts";
import { type GraphqlRequest, operationDocument } from "./graphql.ts";

/**
 * The server features the client branches on: names of W&B's `ServerFeature` list, as
 * `serverInfo.features` reports them.
 */
export type ServerFeature =
  | "ARTIFACT_COLLECTIONS_FILTERING_SORTING"
  | "ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE"
  | "ARTIFACT_REGISTRY_SEARCH"
  | "AUTOMATION_ACTION_ARIA"
  | "AUTOMATION_EVENT_ADD_ARTIFACT_TAG"
  | "AUTOMATION_EVENT_ADD_COLLECTION_TAG"
  | "AUTOMATION_EVENT_REMOVE_ARTIFACT_TAG"
  | "AUTOMATION_EVENT_REMOVE_COLLECTION_TAG"
  | "AUTOMATION_EVENT_RUN_METRIC_ZSCORE"
  | "AUTOMATION_EVENT_UNLINK_ARTIFACT"
  | "AUTOMATION_SCOPE_ENTITY"
  | "INCLUDE_ARTIFACT_TYPES_IN_REGISTRY_CREATION"
  | "MARK_RUN_FILES_UPLOADED"
  | "QUERY_AUTOMATIONS_ON_ENTITY"
  | "STRUCTURED_CONSOLE_LOGS"
  | "SWEEPS_QUERY_FILTERING"
  | "TOTAL_COUNT_IN_FILE_CONNECTION";

/** What a server offers. */
export interface ServerCapabilities {
  /** The features it reports enabled (none when it predates `serverInfo.features`). */
  readonly features: ReadonlySet<string>;
  /** Its version (`serverInfo.latestLocalVersionInfo`), when it says; SaaS does not. */
  readonly version: string | undefined;
}

const featuresDocument = operationDocument(`
  query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }
`);

const versionDocument = operationDocument(`
  query ServerVersion { serverInfo { latestLocalVersionInfo { versionOnThisInstanceString } } }
`);

/**
 * `ServerFeaturesQuery`, as the official client sends it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverFeaturesQuery } from "@effect-wandb/api/graphql";
 * assert.ok(serverFeaturesQuery().operation === "ServerFeaturesQuery");
 * ```
 */
export function serverFeaturesQuery(): GraphqlRequest<{
  readonly serverInfo: {
    readonly features: ReadonlyArray<{ readonly name: string; readonly isEnabled: boolean }>;
  } | null;
}> {
  return {
    operation: "ServerFeaturesQuery",
    document: featuresDocument,
    variables: {},
    decoder: Schema.Struct({
      serverInfo: Schema.NullOr(Schema.Struct({
        features: Schema.Array(Schema.Struct({ name: Schema.String, isEnabled: Schema.Boolean })),
      })),
    }),
  };
}

/**
 * `serverInfo.latestLocalVersionInfo.versionOnThisInstanceString`: the version of a W&B Server
 * install (null on SaaS).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serverVersionQuery } from "@effect-wandb/api/graphql";
 * assert.ok(serverVersionQuery().operation === "ServerVersion");
 * ```
 */
export function serverVersionQuery(): GraphqlRequest<{
  readonly serverInfo: {
    readonly latestLocalVersionInfo: {
      readonly versionOnThisInstanceString: string | null;
    } | null;
  } | null;
}> {
  return {
    operation: "ServerVersion",
    document: versionDocument,
    variables: {},
    decoder: Schema.Struct({
      serverInfo: Schema.NullOr(Schema.Struct({
        latestLocalVersionInfo: Schema.NullOr(Schema.Struct({
          versionOnThisInstanceString: Schema.NullOr(Schema.String),
        })),
      })),
    }),
  };
}

/** Whether a GraphQL failure says the server has no such field: an older schema. */
const unknownField = (error: RequestError, field: string) =>
  error._tag === "GraphqlError" && error.message.includes(`Cannot query field "${field}"`);

/**
 * Learns a server's capabilities with `execute`, once: concurrent first callers share the one
 * pair of requests, and a failure is not kept (the next caller asks again).
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { learnCapabilities } from "@effect-wandb/api/graphql";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const capabilities = (client: WandbClient) =>
 *   learnCapabilities((request) => client.execute(request));
 * ```
 */
export function learnCapabilities(
  execute: <A>(request: GraphqlRequest<A>) => Effect.Effect<A, RequestError>,
): Effect.Effect<Effect.Effect<ServerCapabilities, RequestError>> {
  return Effect.gen(function* () {
    const lock = yield* Semaphore.make(1);
    let learned: Option.Option<ServerCapabilities> = Option.none();
    const learn = Effect.gen(function* () {
      const features = yield* execute(serverFeaturesQuery()).pipe(
        Effect.map((data) =>
          new Set((data.serverInfo?.features ?? []).filter((f) => f.isEnabled).map((f) => f.name))
        ),
        // The official client's rule: a server without the field has none of the features.
        Effect.catchIf((e) => unknownField(e, "features"), () => Effect.succeed(new Set<string>())),
      );
      const version = yield* execute(serverVersionQuery()).pipe(
        Effect.map((data) =>
          data.serverInfo?.latestLocalVersionInfo?.versionOnThisInstanceString ?? undefined
        ),
        // Not every server answers it (SaaS gives null; some refuse the field): no version then.
        Effect.catchIf((e) => e._tag === "GraphqlError", () => Effect.succeed(undefined)),
      );
      const capabilities: ServerCapabilities = { features, version };
      learned = Option.some(capabilities);
      return capabilities;
    });
    return Semaphore.withPermits(lock, 1)(
      Effect.suspend(() => Option.isSome(learned) ? Effect.succeed(learned.value) : learn),
    );
  });
}

/**
 * Fails with an {@link UnsupportedByServerError} unless the server offers `feature`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { requireFeature } from "@effect-wandb/api/graphql";
 * const capabilities = Effect.succeed({ features: new Set<string>(), version: "0.70.0" });
 * const refused = requireFeature(capabilities, "ARTIFACT_REGISTRY_SEARCH", "FetchRegistries", "Listing registries");
 * ```
 */
export function requireFeature<E>(
  capabilities: Effect.Effect<ServerCapabilities, E>,
  feature: ServerFeature,
  operation: string,
  what: string,
): Effect.Effect<void, E | UnsupportedByServerError> {
  return Effect.flatMap(
    capabilities,
    ({ features, version }) =>
      features.has(feature) ? Effect.void : Effect.fail(
        new UnsupportedByServerError({
          operation,
          feature,
          serverVersion: version,
          message: `${what} is not supported by this W&B server${
            version === undefined ? "" : ` (${version})`
          }: it lacks ${feature}; upgrade the server to use it`,
        }),
      ),
  );
}
