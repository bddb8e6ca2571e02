/**
 * Layers that start the local W&B server for a test (or a demo) and point an `Api` at it.
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as FetchHttpClient from "effect/http/FetchHttpClient";
import { Api } from "../api/api.ts";
import type { ApiOptions } from "../core/config.ts";
import type { InvalidArgumentError } from "../core/errors.ts";
import { type Emulator, type EmulatorOptions, makeEmulator } from "./emulator.ts";

/**
 * The running local server, as a service: tests read its request log, inject faults and
 * write data through it.
 */
export const LocalServer: Context.Service<Emulator, Emulator> = Context.Service<Emulator>(
  "effect-wandb/testing/LocalServer",
);

/**
 * Starts the local server for the life of the layer (port 0 on 127.0.0.1) and stops it after.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { LocalServer, localServerLayer } from "@effect-wandb/api/testing";
 * const url = await Effect.runPromise(
 *   Effect.map(LocalServer, (s) => s.url).pipe(Effect.provide(localServerLayer())),
 * );
 * ```
 */
export function localServerLayer(options?: EmulatorOptions): Layer.Layer<Emulator> {
  return Layer.effect(LocalServer, makeEmulator(options));
}

/** Options of {@link testApiLayer}. */
export interface TestApiOptions {
  /** How to start the local server. */
  readonly server?: EmulatorOptions | undefined;
  /** `Api` settings besides the server's URL and key (which the layer fills in). */
  readonly api?: Partial<ApiOptions> | undefined;
}

/**
 * An `Api` talking over real HTTP to a fresh local server, plus the server itself as
 * {@link LocalServer}. The `Api` uses the server's default key and `fetch`.
 *
 * @example Counting seeded runs
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { Api } from "@effect-wandb/api";
 * import { testApiLayer } from "@effect-wandb/api/testing";
 *
 * const count = Effect.gen(function* () {
 *   const api = yield* Api;
 *   return yield* api.runCount("acme/mnist");
 * });
 * assert.ok((await Effect.runPromise(count.pipe(Effect.provide(testApiLayer())))) > 0);
 * ```
 */
export function testApiLayer(
  options?: TestApiOptions,
): Layer.Layer<Api | Emulator, InvalidArgumentError> {
  const api = Layer.unwrap(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      return Api.layer({ apiKey: server.apiKey, ...options?.api, baseUrl: server.url });
    }),
  ).pipe(Layer.provide(FetchHttpClient.layer));
  return api.pipe(Layer.provideMerge(localServerLayer(options?.server)));
}
