/**
 * The client of `bench:hostile`: a page of runs from the healthy API (its normal peak), then the
 * viewer from the target, whose answers the benchmark made hostile; prints what it met as JSON.
 *
 *     deno run --allow-all hostile_client.ts <api> <target> <key> [maxResponseBytes]
 */
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";

const [url, target, apiKey, limit] = Deno.args as [string, string, string, string?];

/** The peak resident memory of this process so far, in MB (Linux's VmHWM). */
const peakMb = () =>
  Number(/VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))![1]) / 1024;

const layer = (baseUrl: string) =>
  Api.layer({
    apiKey,
    baseUrl,
    ...(limit === undefined ? {} : { maxResponseBytes: Number(limit) }),
  }).pipe(Layer.provide(FetchHttpClient.layer));

await Effect.runPromise(
  Effect.gen(function* () {
    const api = yield* Api;
    yield* Stream.runCollect(Stream.take(api.runs("acme/mnist", { full: true }), 50));
  }).pipe(Effect.provide(layer(url))),
);
const normalPeakMb = peakMb();
const started = performance.now();
const error = await Effect.runPromise(
  Effect.flip(Effect.gen(function* () {
    const api = yield* Api;
    return yield* api.viewer;
  })).pipe(Effect.provide(layer(target))),
);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({
  tag: error._tag,
  reason: error._tag === "TransportError" ? error.reason : undefined,
  seconds,
  normalPeakMb,
  peakMb: peakMb(),
  message: error.message,
}));
