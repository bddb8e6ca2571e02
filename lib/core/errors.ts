/**
 * The typed failures of every effect-wandb operation.
 *
 * Each kind of failure a caller may want to branch on is its own tagged class, so
 * `Effect.catchTag("RateLimitedError", …)` reads the way the failure reads. Every class knows
 * whether retrying can help (`isRetryable`); the retry schedule in `retry.ts` relies on that
 * getter and nothing else. No error ever holds the API key: requests are described by their
 * operation name and their variables, never by their headers.
 *
 * @module
 */
import * as Data from "effect/Data";

/** The fields every request-level error carries. */
export interface RequestFacts {
  /** The GraphQL operation (or `GET <what>` for downloads) that failed. */
  readonly operation: string;
  /** A human-readable explanation, in sentence case, of at most a few hundred characters. */
  readonly message: string;
  /**
   * The server's own words in full (an error body of up to 64 KiB), where `message` quotes a
   * shortened form; absent when the server said nothing more.
   */
  readonly detail?: string | undefined;
}

/**
 * The server rejected the API key (HTTP 401), or no key was sent.
 *
 * Retrying cannot help: the key has to change.
 *
 * @example Handling a bad key
 * ```ts
 * import { Effect } from "effect";
 * import { AuthenticationError } from "@effect-wandb/api";
 *
 * const recovered = Effect.fail(
 *   new AuthenticationError({ operation: "GetViewer", status: 401, message: "Unauthorized" }),
 * ).pipe(Effect.catchTag("AuthenticationError", (e) => Effect.succeed(e.status)));
 * ```
 */
export class AuthenticationError extends Data.Error<RequestFacts & { readonly status: number }> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "AuthenticationError" as const;
  /** Never retryable: the same key fails the same way. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * The key is valid but may not read or write the resource (HTTP 403).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PermissionError } from "@effect-wandb/api";
 * const e = new PermissionError({ operation: "Runs", status: 403, message: "Permission denied" });
 * assert.ok(!e.isRetryable);
 * ```
 */
export class PermissionError extends Data.Error<RequestFacts & { readonly status: number }> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "PermissionError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * The resource does not exist: W&B answers `null` for it (or HTTP 404).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NotFoundError } from "@effect-wandb/api";
 * const e = new NotFoundError({
 *   operation: "Run",
 *   resource: "run",
 *   path: "acme/mnist/abc123",
 *   message: "Could not find run acme/mnist/abc123",
 * });
 * assert.ok(e.resource === "run");
 * ```
 */
export class NotFoundError extends Data.Error<
  RequestFacts & {
    /** What kind of thing was missing: `"project"`, `"run"`, `"entity"`, … */
    readonly resource: string;
    /** The W&B path that was looked up, e.g. `acme/mnist/abc123`. */
    readonly path: string;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "NotFoundError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * The server is rate limiting this client (HTTP 429).
 *
 * W&B's 429 body is `{"error":"rate limit exceeded"}`, not GraphQL; the delay the server asks
 * for comes from `Retry-After` (seconds or an HTTP date) or `RateLimit-Reset` (seconds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RateLimitedError } from "@effect-wandb/api";
 * const e = new RateLimitedError({
 *   operation: "Runs",
 *   message: "Rate limit exceeded",
 *   retryAfterMillis: 1000,
 * });
 * assert.ok(e.isRetryable && e.retryAfterMillis === 1000);
 * ```
 */
export class RateLimitedError extends Data.Error<
  RequestFacts & {
    /** How long the server asked us to wait, when it said so. */
    readonly retryAfterMillis: number | undefined;
    /** The quota headers of the refusal (`ratelimit-remaining`, `ratelimit-reset`), if sent. */
    readonly quota?: Readonly<Record<string, string>> | undefined;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "RateLimitedError" as const;
  /** Always retryable, after at least `retryAfterMillis`. */
  get isRetryable(): boolean {
    return true;
  }
}

/**
 * The server failed (HTTP 5xx) or answered with a status this client does not expect.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ServerError } from "@effect-wandb/api";
 * const e = new ServerError({ operation: "Runs", status: 503, message: "Service unavailable" });
 * assert.ok(e.isRetryable);
 * ```
 */
export class ServerError extends Data.Error<
  RequestFacts & {
    /** The HTTP status. */
    readonly status: number;
    /** The delay asked for by a `Retry-After` header, if the server sent one. */
    readonly retryAfterMillis?: number | undefined;
    /**
     * Where a redirect (HTTP 3xx) pointed: its host only. The API key is never sent after a
     * redirect, so a redirected API request fails with this set.
     */
    readonly redirectedTo?: string | undefined;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "ServerError" as const;
  /**
   * Retryable for 5xx except 501 (not implemented), and for the 4xx statuses that mean "try
   * again" (408 request timeout); not for 400, 404, 409 and the other 4xx, which the same request
   * will meet again.
   */
  get isRetryable(): boolean {
    return (this.status >= 500 && this.status !== 501) || this.status === 408;
  }
}

/**
 * What went wrong below HTTP:
 * - `refused`: nothing listens at the address (connection refused);
 * - `dns`: the host name does not resolve;
 * - `reset`: the connection broke, before or during the answer;
 * - `timeout`: no (complete) answer within the per-attempt timeout;
 * - `truncated-body`: the body ended before its JSON did;
 * - `too-large`: the answer is larger than the client reads (`maxResponseBytes`);
 * - `network`: any other failure to connect or read.
 */
export type TransportFailure =
  | "network"
  | "refused"
  | "dns"
  | "reset"
  | "timeout"
  | "truncated-body"
  | "too-large";

/**
 * The request never got a complete answer: the connection was refused or broke, the host did
 * not resolve, the attempt timed out, the body ended before the JSON did, or it was larger than
 * the client reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TransportError } from "@effect-wandb/api";
 * const e = new TransportError({ operation: "Runs", reason: "timeout", message: "Timed out" });
 * assert.ok(e.isRetryable);
 * ```
 */
export class TransportError extends Data.Error<
  RequestFacts & {
    /** Which transport failure this is. */
    readonly reason: TransportFailure;
    /** The URL asked for, without its query (a signed URL's query is a credential). */
    readonly url?: string | undefined;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "TransportError" as const;
  /**
   * Retryable, since nothing reached the server or its answer was lost, except `too-large`: the
   * same request brings the same answer.
   */
  get isRetryable(): boolean {
    return this.reason !== "too-large";
  }
}

/** The Deno permission a call lacked. */
export type DenoPermission = "net" | "env" | "read" | "write";

/**
 * Deno refused the program something it needs: network access to the server, an environment
 * variable, a file to read or write. Not retried: the program has to run again with the flag
 * this error names (`flag`, e.g. `--allow-net=api.wandb.ai`).
 *
 * @example Telling the user which flag to add
 * ```ts
 * import assert from "node:assert/strict";
 * import { RuntimePermissionError } from "@effect-wandb/api";
 * const e = new RuntimePermissionError({
 *   operation: "GetViewer",
 *   permission: "net",
 *   target: "127.0.0.1:8080",
 *   flag: "--allow-net=127.0.0.1:8080",
 *   message: "Deno denied network access to 127.0.0.1:8080: run with --allow-net=127.0.0.1:8080",
 * });
 * assert.ok(!e.isRetryable && e.flag === "--allow-net=127.0.0.1:8080");
 * ```
 */
export class RuntimePermissionError extends Data.Error<
  RequestFacts & {
    /** The kind of permission missing. */
    readonly permission: DenoPermission;
    /** What it was needed for: `host:port`, a variable's name, a path. */
    readonly target: string;
    /** The flag that grants it. */
    readonly flag: string;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "RuntimePermissionError" as const;
  /** Never retryable: the same program is refused the same way. */
  get isRetryable(): boolean {
    return false;
  }
}

/** One entry of a GraphQL response's `errors` array. */
export interface GraphqlErrorEntry {
  /** The server's message. */
  readonly message: string;
  /** The response path the error belongs to, when the server gave one. */
  readonly path?: ReadonlyArray<string | number> | undefined;
}

/**
 * The server answered HTTP 200 with GraphQL `errors` (a bad filter, an unknown field, …).
 *
 * Not retried, like the official client: the same document fails the same way. The message
 * quotes the errors shortened; `errors` holds them whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GraphqlError } from "@effect-wandb/api";
 * const e = new GraphqlError({
 *   operation: "Runs",
 *   message: "invalid filters",
 *   errors: [{ message: "invalid filters", path: ["project", "runs"] }],
 * });
 * assert.ok(e.errors.length === 1);
 * ```
 */
export class GraphqlError extends Data.Error<
  RequestFacts & {
    /** Every error the server listed. */
    readonly errors: ReadonlyArray<GraphqlErrorEntry>;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "GraphqlError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * The server's answer does not have the shape this client expects.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DecodeError } from "@effect-wandb/api";
 * const e = new DecodeError({
 *   operation: "Run",
 *   path: "project.run.config",
 *   message: "Expected a JSON string",
 * });
 * assert.ok(e.path === "project.run.config");
 * ```
 */
export class DecodeError extends Data.Error<
  RequestFacts & {
    /** Where in the payload decoding failed, e.g. `project.runs.edges.3.node.config`. */
    readonly path: string;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "DecodeError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * An argument was rejected before any request was sent: a malformed path, name or filter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidArgumentError } from "@effect-wandb/api";
 * const e = new InvalidArgumentError({
 *   argument: "path",
 *   value: "a/b/c/d/e",
 *   message: "Cannot parse run path 'a/b/c/d/e'",
 * });
 * assert.ok(e.argument === "path");
 * ```
 */
export class InvalidArgumentError extends Data.Error<{
  /** The name of the rejected argument. */
  readonly argument: string;
  /** The rejected value, when it is safe to show (never a secret). */
  readonly value?: unknown;
  /** What is wrong and what would be accepted. */
  readonly message: string;
}> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "InvalidArgumentError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * A downloaded file's bytes do not match the digest (or size) the server gave for them: the
 * bytes were not kept under the file's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ChecksumError } from "@effect-wandb/api";
 * const e = new ChecksumError({
 *   operation: "GET run file",
 *   path: "model.ckpt",
 *   expected: "1B2M2Y8AsgTpgAmY7PhCfg==",
 *   actual: "XrY7u+Ae7tCTyyK7j1rNww==",
 *   message: "model.ckpt: MD5 XrY7u+Ae7tCTyyK7j1rNww== where the server has 1B2M2Y8AsgTpgAmY7PhCfg==",
 * });
 * assert.ok(e._tag === "ChecksumError" && !e.isRetryable);
 * ```
 */
export class ChecksumError extends Data.Error<
  RequestFacts & {
    /** The file, relative to the download root. */
    readonly path: string;
    /** The digest the server gave (base64 MD5), or the size as `<n> bytes`. */
    readonly expected: string;
    /** What the bytes received hash to (or their size). */
    readonly actual: string;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "ChecksumError" as const;
  /** Not retried by the schedule; a download that fails it may be started again. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * Reading or writing a local file failed (permissions, a full disk, a directory in the way).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalFileError } from "@effect-wandb/api";
 * const e = new LocalFileError({ operation: "write", path: "out/a.bin", message: "Permission denied" });
 * assert.ok(e._tag === "LocalFileError");
 * ```
 */
export class LocalFileError extends Data.Error<RequestFacts & { readonly path: string }> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "LocalFileError" as const;
  /** Never retryable. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * A call that waits (for a run to finish, a queued run to start) outlived its timeout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WaitTimeoutError } from "@effect-wandb/api";
 * const e = new WaitTimeoutError({ operation: "RunState", waitedMillis: 60000, message: "Run still running after 1m" });
 * assert.ok(e._tag === "WaitTimeoutError" && !e.isRetryable);
 * ```
 */
export class WaitTimeoutError extends Data.Error<RequestFacts & { readonly waitedMillis: number }> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "WaitTimeoutError" as const;
  /** Never retryable: wait again with a longer timeout instead. */
  get isRetryable(): boolean {
    return false;
  }
}

/**
 * The server does not offer what the call needs: an older W&B Server release without the
 * feature (as its `serverInfo.features` says) and with no fallback the client could take.
 *
 * Retrying cannot help: the server has to be upgraded, or the call made without what it lacks
 * (a listing without its filters, say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnsupportedByServerError } from "@effect-wandb/api";
 * const e = new UnsupportedByServerError({
 *   operation: "FetchRegistries",
 *   feature: "ARTIFACT_REGISTRY_SEARCH",
 *   message: "Listing registries is not supported by this W&B server (it lacks ARTIFACT_REGISTRY_SEARCH)",
 * });
 * assert.ok(e._tag === "UnsupportedByServerError" && !e.isRetryable);
 * ```
 */
export class UnsupportedByServerError extends Data.Error<
  RequestFacts & {
    /** The server feature the call needs (a name of W&B's `ServerFeature` list). */
    readonly feature: string;
    /** The server's version, when it says. */
    readonly serverVersion?: string | undefined;
  }
> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "UnsupportedByServerError" as const;
  /** Never retryable: the server must be upgraded. */
  get isRetryable(): boolean {
    return false;
  }
}

/** The failures of a download to disk: those of its requests, and of the bytes and the disk. */
export type DownloadError = RequestError | NotFoundError | ChecksumError | LocalFileError;

/**
 * Every failure an effect-wandb operation can produce.
 *
 * @example Exhaustive handling
 * ```ts
 * import type { WandbError } from "@effect-wandb/api";
 * const describe = (e: WandbError): string => `${e._tag}: ${e.message}`;
 * ```
 */
export type WandbError =
  | AuthenticationError
  | PermissionError
  | NotFoundError
  | RateLimitedError
  | ServerError
  | TransportError
  | GraphqlError
  | DecodeError
  | InvalidArgumentError
  | ChecksumError
  | LocalFileError
  | WaitTimeoutError
  | RuntimePermissionError
  | UnsupportedByServerError;

/**
 * The errors a request can fail with once it has been sent (all but `InvalidArgumentError` and
 * `NotFoundError`, which operations add themselves).
 */
export type RequestError =
  | AuthenticationError
  | PermissionError
  | RateLimitedError
  | ServerError
  | TransportError
  | GraphqlError
  | DecodeError
  | RuntimePermissionError
  | UnsupportedByServerError;

/**
 * Whether retrying the failed request could succeed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRetryable, TransportError } from "@effect-wandb/api";
 * assert.ok(isRetryable(new TransportError({ operation: "x", reason: "network", message: "" })));
 * ```
 */
export function isRetryable(error: WandbError): boolean {
  return error.isRetryable;
}
