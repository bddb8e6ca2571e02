// Argument checks shared by every capability, worded once.
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { InvalidArgumentError } from "./errors.ts";

/** `value` when it is an integer >= 1 (a page size, a concurrency), else an `InvalidArgumentError`. */
export function positiveInteger(
  argument: string,
  value: number,
): Effect.Effect<number, InvalidArgumentError> {
  return Number.isInteger(value) && value >= 1 ? Effect.succeed(value) : Effect.fail(
    new InvalidArgumentError({
      argument,
      value,
      message: `${argument} must be an integer >= 1: current value is ${value}`,
    }),
  );
}

/** `stream`, run once `check` passed: a bad argument fails the stream before any request. */
export function checkedStream<A, E, R>(
  check: Effect.Effect<unknown, InvalidArgumentError>,
  stream: Stream.Stream<A, E, R>,
): Stream.Stream<A, E | InvalidArgumentError, R> {
  return Stream.unwrap(Effect.as(check, stream));
}
