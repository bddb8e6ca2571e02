/**
 * Retry policy: which failures are retried and how long to wait between attempts.
 *
 * The library retries around each request (each page of a Stream), never around a whole Stream,
 * so a retry never restarts a scan from its first page.
 *
 * @module
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Result from "effect/Result";
import * as Schedule from "effect/Schedule";
import * as Headers from "effect/http/Headers";
import type { WandbError } from "./errors.ts";

/**
 * The default retry schedule: exponential back-off from 100 ms (doubling, with jitter), at most
 * 10 retries. The `Api`'s `retryBudget` (60 seconds by default) bounds the whole request besides:
 * its attempts and these waits together, so a wait that would cross it is not taken (with a
 * server that keeps failing at once, the last attempt starts ~51 s in).
 *
 * The official Python client retries for 20 seconds from 1 s; we start sooner, because a long
 * export meets stray 5xx and dropped connections that pass at once and a second's wait on each
 * makes it several times slower (`bench:faults`), and we retry longer, because it should survive
 * a short outage. We honour `Retry-After` and `RateLimit-Reset`, which it does not: the client
 * never waits less than the server asked, whatever the schedule.
 *
 * @example Using a shorter policy
 * ```ts
 * import { Effect, Schedule } from "effect";
 * import { makeApiConfig } from "@effect-wandb/api";
 * const config = Effect.runSync(makeApiConfig({
 *   apiKey: "0123456789012345678901234567890123456789",
 *   retrySchedule: Schedule.max([Schedule.exponential("100 millis"), Schedule.recurs(2)]),
 * }));
 * ```
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, WandbError> = Schedule.max([
  Schedule.jittered(Schedule.exponential("100 millis", 2)),
  Schedule.recurs(10),
]);

/**
 * The delay a failure asks for, if any: `Retry-After` / `RateLimit-Reset` on 429 and 503.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimitedError, serverRequestedDelay } from "@effect-wandb/api";
 * const e = new RateLimitedError({ operation: "x", message: "", retryAfterMillis: 1500 });
 * assert.ok(serverRequestedDelay(e) === 1500);
 * ```
 */
export function serverRequestedDelay(error: WandbError): number | undefined {
  switch (error._tag) {
    case "RateLimitedError":
    case "ServerError":
      return error.retryAfterMillis;
    default:
      return undefined;
  }
}

/**
 * Lifts a schedule so that every delay is at least what the server asked for.
 *
 * @example
 * ```ts
 * import { Schedule } from "effect";
 * import { atLeastServerDelay, defaultRetrySchedule } from "@effect-wandb/api";
 * const schedule = atLeastServerDelay(defaultRetrySchedule);
 * ```
 */
export function atLeastServerDelay<Output>(
  schedule: Schedule.Schedule<Output, WandbError>,
): Schedule.Schedule<Output, WandbError> {
  return schedule.pipe(
    Schedule.modifyDelay(({ duration, input }) => {
      const asked = serverRequestedDelay(input);
      return Effect.succeed(
        asked === undefined ? duration : Duration.max(duration, Duration.millis(asked)),
      );
    }),
  );
}

/**
 * Reads the wait a response asks for from `Retry-After` (seconds or an HTTP date) or,
 * failing that, `RateLimit-Reset` (seconds until the window resets).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryAfterMillisFromHeaders } from "@effect-wandb/api";
 * assert.ok(retryAfterMillisFromHeaders({ "retry-after": "2" }, Date.now()) === 2000);
 * ```
 */
export function retryAfterMillisFromHeaders(
  headers: Readonly<Record<string, string | undefined>>,
  nowMillis: number,
): number | undefined {
  const retryAfter = headers["retry-after"];
  if (retryAfter !== undefined) {
    const parsed = Headers.parseRetryAfter(retryAfter);
    if (Result.isSuccess(parsed)) {
      return Duration.toMillis(Headers.retryAfterDelay(parsed.success, nowMillis));
    }
  }
  const reset = headers["ratelimit-reset"];
  if (reset !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(reset)) {
    return Math.round(Number(reset) * 1000);
  }
  return undefined;
}
