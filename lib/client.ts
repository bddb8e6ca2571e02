/**
 * The client under the `Api`, for jobs that import only the resources they use: build a
 * `WandbClient` from options and call a resource entry's functions over it. A job that only
 * reads history imports this entry and `@effect-wandb/api/history`, and loads neither the
 * other resources nor the `WANDB_*` environment `Config`.
 *
 * @example A history-only job
 * ```ts
 * import { Effect, Redacted, Stream } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { makeApiConfig, makeWandbClient } from "@effect-wandb/api/client";
 * import { scanHistory } from "@effect-wandb/api/history";
 *
 * const losses = Effect.gen(function* () {
 *   const config = yield* makeApiConfig({ apiKey: Redacted.make("your-api-key") });
 *   const client = yield* makeWandbClient(config);
 *   return yield* scanHistory(client, { entity: "acme", project: "mnist", runId: "abc123" }, {
 *     keys: ["loss"],
 *   }).pipe(Stream.map((row) => row.loss), Stream.runCollect);
 * }).pipe(Effect.provide(FetchHttpClient.layer));
 * ```
 *
 * @module
 */
export {
  type ApiConfig,
  type ApiOptions,
  defaultBaseUrl,
  defaultConcurrency,
  defaultMaxResponseBytes,
  defaultRetryBudget,
  defaultTimeout,
  makeApiConfig,
} from "./core/config.ts";
export { type ServerCapabilities, type ServerFeature } from "./core/capabilities.ts";
export {
  type BodyRead,
  type ByteRange,
  type DownloadOptions,
  makeWandbClient,
  type OpenDownload,
  type OpenDownloadOptions,
  type RangeDownload,
  type WandbClient,
} from "./core/transport.ts";
