// The timeout every "wait until" of the API shares: the wait never hangs past `timeout`.
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import { WaitTimeoutError } from "./errors.ts";

/**
 * `wait`, failed with a `WaitTimeoutError` once `timeout` has passed (unbounded without one);
 * `describe` words the message from the formatted timeout.
 */
export function withWaitTimeout<A, E, R>(
  wait: Effect.Effect<A, E, R>,
  timeout: Duration.Input | undefined,
  operation: string,
  describe: (waited: string) => string,
): Effect.Effect<A, E | WaitTimeoutError, R> {
  if (timeout === undefined) return wait;
  const duration = Duration.fromInputUnsafe(timeout);
  return wait.pipe(
    Effect.timeoutOrElse({
      duration,
      orElse: () =>
        Effect.fail(
          new WaitTimeoutError({
            operation,
            waitedMillis: Duration.toMillis(duration),
            message: describe(Duration.format(duration)),
          }),
        ),
    }),
  );
}
