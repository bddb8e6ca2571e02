/**
 * The policy every request runs under: a permit of the `Api`'s `concurrency` while an attempt is
 * on the wire, a per-attempt timeout, the project's quota pacing, and retries of what is
 * retryable, no sooner than the server asked, within a time budget that holds: the attempts and
 * the waits between them together never take longer than `retryBudget`. A wait that would cross
 * the budget is not taken, an attempt is cut off where the budget ends, and a server asking for
 * a longer pause than the budget has left fails the request at once, saying when to come back.
 *
 * Kept here rather than in `HttpClient.retryTransient`: that combinator knows neither the
 * budget, nor the permits (a request waiting to retry must not hold one), nor the runs that step
 * aside while their requests wait (`_retry_waits.ts`).
 *
 * @module
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Pull from "effect/Pull";
import * as Schedule from "effect/Schedule";
import * as Semaphore from "effect/Semaphore";
import type { ApiConfig } from "./config.ts";
import { type RequestError, TransportError, type WandbError } from "./errors.ts";
import type { NotFoundError } from "./errors.ts";
import { QuotaPacer } from "./quota.ts";
import { serverRequestedDelay } from "./retry.ts";
import { RetryWaits } from "./_retry_waits.ts";
import { shownUrl } from "./_http_errors.ts";

/** The failures a request may retry or give up with. */
export type AttemptError = RequestError | NotFoundError;

/**
 * Connection refusals and host names that do not resolve are retried this many times at most
 * (0.1 + 0.2 + 0.4 s with the default schedule), not for the whole budget: nothing listens at
 * that address, and a W&B server that restarts answers 502 or 503 meanwhile, which are.
 */
export const unreachableRetries = 3;

/** How one request is run: see {@link RequestPolicy.run}. */
export interface RunOptions {
  /** Names the request in errors and traces. */
  readonly operation: string;
  /** The URL asked for (shown without its query in errors). */
  readonly url: string;
  /**
   * What a timed-out attempt had not received, for its message: `"complete answer"` when the
   * attempt reads the whole body, `"answer"` when it stops at the headers.
   */
  readonly awaiting: string;
  /**
   * Hold a `concurrency` permit during each attempt. A download whose body streams on after
   * the attempt holds none: a large file must not stall the API.
   * @default {true}
   */
  readonly permit?: boolean | undefined;
  /** Pace the attempts by this project's quota (W&B's `RateLimit-*` headers). */
  readonly quotaOf?: string | undefined;
  /**
   * Told of each failure about to be retried, before the wait: what adapts to the server (a
   * page size, the downloads in flight) learns of a 5xx, a 429 or a timeout here, and may change
   * what the next attempt asks for (attempts are built anew each time).
   */
  readonly onRetry?: ((error: AttemptError) => void) | undefined;
}

/** Runs requests under the `Api`'s policy. */
export interface RequestPolicy {
  /**
   * Runs `attempt` (one try, built anew for each) until it succeeds, fails with a failure that
   * is not retryable, or the schedule or the budget ends; each attempt is cut off after the
   * per-attempt timeout or where the budget ends, whichever comes first.
   */
  run<A>(
    options: RunOptions,
    attempt: Effect.Effect<A, AttemptError>,
  ): Effect.Effect<A, AttemptError>;
  /** Tells the quota pacer what an answer's `RateLimit-*` headers said. */
  observeQuota(project: string, headers: Readonly<Record<string, string | undefined>>): void;
}

const seconds = (millis: number) =>
  millis >= 10_000 ? `${Math.round(millis / 1000)} s` : `${Math.round(millis / 100) / 10} s`;

/** `error` with another message (its fields, its class and its tag kept). */
function withMessage<E extends AttemptError>(error: E, message: string): E {
  const copy = Object.create(Object.getPrototypeOf(error)) as E;
  Object.assign(copy, error);
  Object.defineProperty(copy, "message", { value: message, enumerable: true, writable: true });
  return copy;
}

/** Builds the policy of one `Api`. */
export function makeRequestPolicy(config: ApiConfig): Effect.Effect<RequestPolicy> {
  return Effect.gen(function* () {
    const permits = yield* Semaphore.make(config.concurrency);
    const pacer = config.adaptiveThrottling ? new QuotaPacer() : undefined;
    const timeoutMillis = Duration.toMillis(config.timeout);
    const budgetMillis = Duration.toMillis(config.retryBudget);

    /** One attempt held while the project's quota would run out before it resets. */
    const paced = <A>(project: string | undefined, attempt: Effect.Effect<A, AttemptError>) =>
      pacer === undefined || project === undefined
        ? attempt
        : Effect.suspend(() =>
          Effect.sleep(pacer.delayMillis(project)).pipe(
            Effect.andThen(Effect.sync(() => pacer.started(project))),
            Effect.andThen(attempt),
            Effect.tapError((error) =>
              Effect.sync(() => {
                if (error._tag === "RateLimitedError" && error.quota !== undefined) {
                  pacer.observe(project, error.quota);
                }
              })
            ),
            Effect.ensuring(Effect.sync(() => pacer.finished(project))),
          )
        );

    const run = <A>(
      options: RunOptions,
      attempt: Effect.Effect<A, AttemptError>,
    ): Effect.Effect<A, AttemptError> =>
      Effect.gen(function* () {
        const { operation } = options;
        const step = yield* Schedule.toStep(config.retrySchedule);
        const waits = yield* RetryWaits;
        // The budget starts with the first attempt on the wire, not while it queues for a permit.
        let startedAt: number | undefined;
        let attempts = 0;
        let unreachable = 0;
        const deadline = () =>
          startedAt === undefined || !Number.isFinite(budgetMillis)
            ? Infinity
            : startedAt + budgetMillis;

        const once = Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis;
          startedAt ??= now;
          const left = deadline() - now;
          const limit = Math.min(timeoutMillis, left);
          const byBudget = left < timeoutMillis;
          return yield* attempt.pipe(
            Effect.timeoutOrElse({
              duration: Duration.millis(Math.max(0, limit)),
              orElse: () =>
                Effect.fail(
                  new TransportError({
                    operation,
                    reason: "timeout",
                    url: shownUrl(options.url),
                    message: `No ${options.awaiting} from ${shownUrl(options.url)} within ${
                      seconds(limit)
                    }${byBudget ? ` (the rest of the ${seconds(budgetMillis)} retry budget)` : ""}`,
                  }),
                ),
            }),
          );
        });
        const onWire = options.permit === false ? once : permits.withPermits(1)(once);

        for (;;) {
          attempts++;
          if (attempts > 1) yield* waits.resumed;
          const exit = yield* Effect.exit(paced(options.quotaOf, onWire));
          if (Exit.isSuccess(exit)) {
            yield* Effect.annotateCurrentSpan("wandb.retries", attempts - 1);
            return exit.value;
          }
          const error = exit.cause.reasons.find((r) => r._tag === "Fail")?.error as
            | AttemptError
            | undefined;
          if (error === undefined || !error.isRetryable) {
            yield* Effect.annotateCurrentSpan("wandb.retries", attempts - 1);
            return yield* Effect.failCause(exit.cause);
          }
          const now = yield* Clock.currentTimeMillis;
          const spent = now - (startedAt ?? now);
          const giveUp = (why: string) =>
            Effect.annotateCurrentSpan("wandb.retries", attempts - 1).pipe(
              Effect.andThen(Effect.fail(withMessage(error, `${error.message}; ${why}`))),
            );
          const asked = serverRequestedDelay(error as WandbError);
          if (asked !== undefined && now + asked > deadline()) {
            const at = new Date(Date.now() + asked).toISOString();
            return yield* giveUp(
              `the server asks to wait ${seconds(asked)}, past the ${
                seconds(budgetMillis)
              } retry budget: try again after ${at}`,
            );
          }
          if (
            error._tag === "TransportError" &&
            (error.reason === "refused" || error.reason === "dns") &&
            ++unreachable > unreachableRetries
          ) {
            return yield* giveUp(`gave up after ${attempts} attempts in ${seconds(spent)}`);
          }
          const next = yield* Pull.catchDone(
            Effect.map(step(now, error as WandbError), ([, delay]) => Duration.toMillis(delay)),
            () => Effect.succeed(undefined),
          );
          if (next === undefined) {
            return yield* giveUp(`gave up after ${attempts} attempts in ${seconds(spent)}`);
          }
          const delay = Math.max(next, asked ?? 0);
          if (now + delay >= deadline()) {
            return yield* giveUp(
              `gave up after ${attempts} attempts in ${seconds(spent)} (retry budget ${
                seconds(budgetMillis)
              })`,
            );
          }
          config.onRetry?.(operation, error);
          options.onRetry?.(error);
          yield* Effect.logDebug("retrying").pipe(
            Effect.annotateLogs({
              operation,
              url: shownUrl(options.url),
              error: error._tag,
              attempt: attempts,
              delayMillis: delay,
            }),
          );
          yield* waits.waiting;
          yield* Effect.sleep(Duration.millis(delay));
        }
      });

    return {
      run,
      observeQuota: (project, headers) => pacer?.observe(project, headers),
    };
  });
}
