/**
 * Client configuration: where W&B is, how to authenticate, and how patient to be. Reading it
 * from the `WANDB_*` variables is `env.ts`.
 *
 * @module
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Redacted from "effect/Redacted";
import type * as Schedule from "effect/Schedule";
import { InvalidArgumentError, type WandbError } from "./errors.ts";
import { defaultRetrySchedule } from "./retry.ts";

/** The public W&B cloud endpoint, used when no base URL is configured. */
export const defaultBaseUrl = "https://api.wandb.ai";

/** The library's version, sent in the `User-Agent` header. */
export const libraryVersion = "0.1.0";

/**
 * The `User-Agent` sent by default: one W&B recognizes as a public-API client (it answers
 * "relogin required" to a request that reads fields it keeps for its own clients, such as a
 * user's API keys, under any other; wandb/wandb#12009), naming this library after it.
 */
export const defaultUserAgent: string = `W&B Public Client 0.30.0 (effect-wandb/${libraryVersion})`;

/** Default per-attempt timeout: the official client's 19 seconds (`WANDB_HTTP_TIMEOUT`). */
export const defaultTimeout: Duration.Duration = Duration.seconds(19);

/**
 * Default time one request may take, its attempts and the waits between its retries together:
 * a minute, past which a request fails with what its last attempt met.
 */
export const defaultRetryBudget: Duration.Duration = Duration.seconds(60);

/**
 * Default size past which an answer is refused: 64 MiB, well above any page W&B sends (a page
 * of 1,000 history rows is under 2 MiB) and far below what would hurt a 512 MB isolate.
 */
export const defaultMaxResponseBytes = 64 * 1024 * 1024;

/**
 * Default number of requests one `Api` keeps in flight at once, across all its streams: enough
 * to hide a SaaS round trip behind the others (an export at 20 ms per request is as fast with
 * 16 as with 32 in `bench/`), few enough that one job stays a small share of a project's rate
 * limit.
 */
export const defaultConcurrency = 16;

/**
 * The resolved configuration of an `Api`. Build it with {@link makeApiConfig}.
 */
export interface ApiConfig {
  /** Base URL without a trailing slash, e.g. `https://api.wandb.ai`. */
  readonly baseUrl: string;
  /** The API key. It stays `Redacted` everywhere: printing it shows `<redacted>`. */
  readonly apiKey: Redacted.Redacted<string>;
  /** Entity used when a path leaves it out. */
  readonly entity: string | undefined;
  /** Project used when a path leaves it out. */
  readonly project: string | undefined;
  /** Time one HTTP attempt may take before it fails with a retryable timeout. */
  readonly timeout: Duration.Duration;
  /** Delays between attempts; only retryable failures are retried. */
  readonly retrySchedule: Schedule.Schedule<unknown, WandbError>;
  /** The most time one request takes, its attempts and the waits between them together. */
  readonly retryBudget: Duration.Duration;
  /** The largest answer read; a larger one fails with a `too-large` `TransportError`. */
  readonly maxResponseBytes: number;
  /** Maximum requests in flight for the whole `Api`. */
  readonly concurrency: number;
  /** The `User-Agent` header. */
  readonly userAgent: string;
  /** Whether requests are paced by the server's `RateLimit-Remaining` before its quota runs out. */
  readonly adaptiveThrottling: boolean;
  /** Told of each retry (a progress display counts them). */
  readonly onRetry: ((operation: string, error: WandbError) => void) | undefined;
}

/**
 * What a caller gives to configure an `Api`. Only `apiKey` is required.
 */
export interface ApiOptions {
  /** The W&B API key (`WANDB_API_KEY`). A plain string is wrapped in `Redacted` at once. */
  readonly apiKey: string | Redacted.Redacted<string>;
  /**
   * The server (`WANDB_BASE_URL`).
   * @default {"https://api.wandb.ai"}
   */
  readonly baseUrl?: string | undefined;
  /** Default entity for paths that omit it (`WANDB_ENTITY`). */
  readonly entity?: string | undefined;
  /** Default project for paths that omit it (`WANDB_PROJECT`). */
  readonly project?: string | undefined;
  /**
   * Per-attempt timeout (`WANDB_HTTP_TIMEOUT`, in seconds).
   * @default {"19 seconds"}
   */
  readonly timeout?: Duration.Input | undefined;
  /**
   * Delays between retries. Retries happen only for retryable errors, and never sooner than the
   * server's `Retry-After`.
   * @default {defaultRetrySchedule}
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, WandbError> | undefined;
  /**
   * The most time one request may take, its attempts and the waits between them together. A
   * wait that would cross it is not taken; a server asking for a longer pause than is left fails
   * the request at once (a `RateLimitedError` saying when to come back). `Duration.infinity`
   * retries for as long as the schedule goes on.
   * @default {"60 seconds"}
   */
  readonly retryBudget?: Duration.Input | undefined;
  /**
   * The largest GraphQL answer or download read into memory, in bytes; a larger one fails with
   * a `TransportError` of reason `too-large` without being read further. File downloads to disk
   * stream and are not bounded by it.
   * @default {67108864}
   */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Maximum number of requests in flight for the whole `Api`.
   * @default {16}
   */
  readonly concurrency?: number | undefined;
  /**
   * The `User-Agent` header. W&B refuses ("relogin required") a request reading fields it keeps
   * for its own clients (a user's API keys) under a User-Agent it does not recognize.
   * @default {"W&B Public Client 0.30.0 (effect-wandb/<version>)"}
   */
  readonly userAgent?: string | undefined;
  /**
   * Read `RateLimit-Remaining` / `RateLimit-Reset` on every answer and hold new requests of a
   * project whose quota would run out before it resets, instead of meeting its 429s.
   * @default {true}
   */
  readonly adaptiveThrottling?: boolean | undefined;
  /** Called before each retry, with the operation and the failure retried. */
  readonly onRetry?: ((operation: string, error: WandbError) => void) | undefined;
}

const invalid = (argument: string, message: string, value?: unknown) =>
  new InvalidArgumentError(
    value === undefined ? { argument, message } : {
      argument,
      message,
      value,
    },
  );

const nameLike = /^[A-Za-z0-9_.\-]+$/;

/**
 * Validates options and fills in defaults.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Redacted } from "effect";
 * import { makeApiConfig } from "@effect-wandb/api";
 * const config = Effect.runSync(makeApiConfig({ apiKey: "secret", entity: "acme" }));
 * assert.ok(config.baseUrl === "https://api.wandb.ai");
 * assert.ok(String(config.apiKey) === "<redacted>");
 * ```
 */
export function makeApiConfig(options: ApiOptions): Effect.Effect<ApiConfig, InvalidArgumentError> {
  return Effect.suspend(() => {
    const apiKey = Redacted.isRedacted(options.apiKey)
      ? options.apiKey as Redacted.Redacted<string>
      : Redacted.make(options.apiKey as string);
    const key = Redacted.value(apiKey);
    if (key.length === 0 || /\s/.test(key)) {
      // The value is never echoed: it is a secret even when malformed.
      return Effect.fail(
        invalid("apiKey", "The API key must be a non-empty string without spaces"),
      );
    }
    const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "");
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      return Effect.fail(invalid("baseUrl", `Cannot use '${baseUrl}' as a W&B base URL`, baseUrl));
    }
    for (const [argument, value] of [["entity", options.entity], ["project", options.project]]) {
      if (value !== undefined && !nameLike.test(value)) {
        return Effect.fail(
          invalid(
            argument!,
            `The ${argument} name '${value}' has characters W&B does not allow`,
            value,
          ),
        );
      }
    }
    const timeout = Duration.fromInput(options.timeout ?? defaultTimeout);
    if (Option.isNone(timeout) || Duration.toMillis(timeout.value) <= 0) {
      return Effect.fail(
        invalid("timeout", "The timeout must be a positive duration", options.timeout),
      );
    }
    const retryBudget = Duration.fromInput(options.retryBudget ?? defaultRetryBudget);
    if (Option.isNone(retryBudget) || Duration.toMillis(retryBudget.value) <= 0) {
      return Effect.fail(
        invalid("retryBudget", "The retry budget must be a positive duration", options.retryBudget),
      );
    }
    const maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
    if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1024) {
      return Effect.fail(
        invalid(
          "maxResponseBytes",
          `The largest answer read must be a whole number of at least 1024 bytes: current value is ${maxResponseBytes}`,
          maxResponseBytes,
        ),
      );
    }
    const concurrency = options.concurrency ?? defaultConcurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      return Effect.fail(
        invalid(
          "concurrency",
          `The concurrency must be a positive integer: current value is ${concurrency}`,
          concurrency,
        ),
      );
    }
    return Effect.succeed({
      baseUrl,
      apiKey,
      entity: options.entity,
      project: options.project,
      timeout: timeout.value,
      retrySchedule: options.retrySchedule ?? defaultRetrySchedule,
      retryBudget: retryBudget.value,
      maxResponseBytes,
      concurrency,
      userAgent: options.userAgent ?? defaultUserAgent,
      adaptiveThrottling: options.adaptiveThrottling ?? true,
      onRetry: options.onRetry,
    });
  });
}
