/**
 * The one place that talks HTTP: GraphQL POSTs and file downloads, with authentication,
 * per-attempt timeouts, a process-wide bound on requests in flight, error mapping and retries.
 *
 * @module
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Schema from "effect/Schema";
import type * as SchemaIssue from "effect/SchemaIssue";
import * as Semaphore from "effect/Semaphore";
import type * as Stream from "effect/Stream";
import { BufferPool } from "./buffers.ts";
import * as HttpClient from "effect/http/HttpClient";
import * as HttpClientRequest from "effect/http/HttpClientRequest";
import * as HttpClientResponse from "effect/http/HttpClientResponse";
import type { ApiConfig } from "./config.ts";
import {
  AuthenticationError,
  DecodeError,
  GraphqlError,
  type GraphqlErrorEntry,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type RequestError,
  ServerError,
  TransportError,
} from "./errors.ts";
import { type GraphqlRequest, printDocument } from "./graphql.ts";
import { parseWandbJson } from "./wandb_json.ts";
import { QuotaPacer } from "./quota.ts";
import { atLeastServerDelay, retryAfterMillisFromHeaders } from "./retry.ts";
import { RetryWaits } from "./_retry_waits.ts";

/** Options of {@link WandbClient.download}. */
export interface DownloadOptions {
  /** Names the download in errors and traces, e.g. `"GET parquet history"`. */
  readonly operation: string;
  /**
   * Send the API key. Signed URLs must be fetched without it: the key must never reach a
   * storage bucket.
   * @default {false}
   */
  readonly authenticated?: boolean | undefined;
}

/** Options of {@link WandbClient.openDownload}. */
export interface OpenDownloadOptions extends DownloadOptions {
  /** Ask for the bytes before this offset only (a part of a file fetched in parts). */
  readonly end?: number | undefined;
}

/**
 * A configured connection to one W&B server. Every operation of the library is written
 * against this interface; the `Api` service builds one from its config.
 */
export interface WandbClient {
  /** The configuration this client was built with. */
  readonly config: ApiConfig;
  /**
   * Sends a GraphQL request and decodes its `data`, retrying retryable failures.
   */
  execute<A>(request: GraphqlRequest<A>): Effect.Effect<A, RequestError>;
  /**
   * Sends a GraphQL request and tries `read` on the answer's bytes first: a reader of one
   * large field, such as history rows, that skips parsing the whole answer. `read` returns
   * `undefined` when the body is not the shape it reads (an error, a `null`, a cut-off body);
   * the body is then decoded as {@link WandbClient.execute} decodes it. Retried as `execute` is.
   */
  executeReading<A, B>(
    request: GraphqlRequest<A>,
    read: (body: Uint8Array) => B | undefined,
  ): Effect.Effect<BodyRead<A, B>, RequestError>;
  /** GETs a URL's bytes (a signed URL, or a `/files/…` URL with `authenticated`). */
  download(url: string, options: DownloadOptions): Effect.Effect<Uint8Array, RequestError>;
  /**
   * GETs part of a URL's bytes with an HTTP `Range` request. A server that ignores the range
   * answers with the whole file: the result says which bytes it holds either way.
   */
  downloadRange(
    url: string,
    range: ByteRange,
    options: DownloadOptions,
  ): Effect.Effect<RangeDownload, RequestError>;
  /**
   * GETs a URL from byte `from` on (a `Range` request when above 0) and hands back its body
   * unread, to stream: the status is checked and retried as for every request, but reading
   * the body is the caller's, who resumes from where it got if the read breaks. Holds no
   * `concurrency` permit while the body streams (a large download must not stall the API).
   */
  openDownload(
    url: string,
    from: number,
    options: OpenDownloadOptions,
  ): Effect.Effect<OpenDownload, RequestError | NotFoundError>;
  /**
   * PUTs a body to a signed upload URL (never with the API key), streamed from `body`, which
   * is called again for each attempt; retried as every request is.
   */
  upload(
    url: string,
    body: () => Stream.Stream<Uint8Array, unknown>,
    options: UploadOptions,
  ): Effect.Effect<void, RequestError | NotFoundError>;
}

/** Options of {@link WandbClient.upload}. */
export interface UploadOptions {
  /** Names the upload in errors and traces. */
  readonly operation: string;
  /** The body's size in bytes. */
  readonly contentLength: number;
  /** Headers the server asked uploads to carry (`createRunFiles`' `uploadHeaders`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** A download whose body is still to be read. */
export interface OpenDownload {
  /** The body, from {@link OpenDownload.start}. */
  readonly body: ReadableStream<Uint8Array>;
  /** The offset of the body's first byte: the range asked for, or 0 when the server sent all. */
  readonly start: number;
  /** The offset after the body's last byte, when the answer says it. */
  readonly end: number | undefined;
  /** The server answered with a range (`206`), not the whole file. */
  readonly partial: boolean;
  /** The whole file's size, when the answer says it. */
  readonly totalSize: number | undefined;
}

/** What {@link WandbClient.executeReading} got: the reader's result, or the decoded `data`. */
export type BodyRead<A, B> =
  | { readonly _tag: "Read"; readonly value: B }
  | { readonly _tag: "Decoded"; readonly data: A };

/** Bytes `[start, end)` of a file, or its last `suffix` bytes. */
export type ByteRange =
  | { readonly start: number; readonly end: number }
  | { readonly suffix: number };

/** What a range request brought back. */
export interface RangeDownload {
  readonly bytes: Uint8Array;
  /** The file offset of `bytes[0]` (0 when the server sent the whole file). */
  readonly start: number;
  /** The whole file's size. */
  readonly totalSize: number;
}

const contentRange = /^bytes\s+(\d+)-(\d+)\/(\d+)$/;

const GraphqlResponse = Schema.Struct({
  data: Schema.optional(Schema.NullOr(Schema.Unknown)),
  errors: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown))),
});

/** Renders a Schema issue's path as `a.b.3.c`, the form {@link DecodeError.path} uses. */
export function issuePath(issue: SchemaIssue.Issue): string {
  const path: Array<string> = [];
  let current: SchemaIssue.Issue | undefined = issue;
  while (current !== undefined) {
    switch (current._tag) {
      case "Pointer":
        path.push(...current.path.map(String));
        current = current.issue;
        break;
      case "Composite":
      case "AnyOf":
        current = current.issues[0];
        break;
      case "Filter":
      case "Encoding":
        current = current.issue;
        break;
      default:
        current = undefined;
    }
  }
  return path.join(".");
}

const shortText = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
};

/** The server's own words from an error body: GraphQL `errors[].message`, or W&B's `error`. */
function bodyMessage(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { errors?: unknown; error?: unknown };
    if (Array.isArray(json.errors)) {
      const messages = json.errors.map((e) =>
        typeof e === "string" ? e : String((e as { message?: unknown })?.message ?? "")
      ).filter((m) => m.length > 0);
      if (messages.length > 0) return shortText(messages.join("; "));
    }
    if (typeof json.error === "string") return shortText(json.error);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.trim().length > 0 ? shortText(body) : undefined;
}

/** Maps a non-2xx answer to its error class: the single switch on HTTP status. */
function statusError(
  operation: string,
  url: string,
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  withKey: boolean,
): RequestError | NotFoundError {
  const said = bodyMessage(body);
  const message = (fallback: string) => said === undefined ? fallback : `${fallback}: ${said}`;
  switch (status) {
    case 401:
      return new AuthenticationError({
        operation,
        status,
        message: message("The API key is invalid or missing (HTTP 401)"),
      });
    case 403:
      return new PermissionError({
        operation,
        status,
        message: message(
          withKey
            ? "The API key may not access this resource (HTTP 403)"
            : "Storage refused the request (HTTP 403)",
        ),
      });
    case 404:
      return new NotFoundError({
        operation,
        resource: "url",
        path: new URL(url).pathname,
        message: message(`Nothing at ${new URL(url).pathname} (HTTP 404)`),
      });
    case 429:
      return new RateLimitedError({
        operation,
        retryAfterMillis: retryAfterMillisFromHeaders(headers, Date.now()),
        quota: headers["ratelimit-remaining"] === undefined ? undefined : {
          "ratelimit-remaining": headers["ratelimit-remaining"],
          "ratelimit-reset": headers["ratelimit-reset"] ?? "0",
        },
        message: message("Rate limited by the server (HTTP 429)"),
      });
    default:
      return new ServerError({
        operation,
        status,
        retryAfterMillis: retryAfterMillisFromHeaders(headers, Date.now()),
        message: message(`The server answered HTTP ${status}`),
      });
  }
}

const toGraphqlEntries = (errors: ReadonlyArray<unknown>): ReadonlyArray<GraphqlErrorEntry> =>
  errors.map((e) => {
    if (typeof e === "string") return { message: e };
    const entry = e as { message?: unknown; path?: unknown };
    return {
      message: typeof entry.message === "string" ? entry.message : JSON.stringify(e),
      path: Array.isArray(entry.path) ? entry.path as ReadonlyArray<string | number> : undefined,
    };
  });

/**
 * Builds a {@link WandbClient} on the `HttpClient` in context.
 *
 * Each attempt holds one of `config.concurrency` permits while it is on the wire (not while it
 * waits to retry), is cut off after `config.timeout`, and is retried by `config.retrySchedule`
 * only when its error says it is retryable, never sooner than the server asked.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { makeApiConfig, makeWandbClient } from "@effect-wandb/api";
 * const client = makeApiConfig({ apiKey: "secret" }).pipe(
 *   Effect.flatMap(makeWandbClient),
 *   Effect.provide(FetchHttpClient.layer),
 * );
 * ```
 */
export function makeWandbClient(
  config: ApiConfig,
): Effect.Effect<WandbClient, never, HttpClient.HttpClient> {
  return Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient;
    const permits = yield* Semaphore.make(config.concurrency);
    const retrySchedule = atLeastServerDelay(config.retrySchedule);
    /** Whether to retry `error`, telling `config.onRetry` when the answer is yes. */
    const retrying = (operation: string) => (error: RequestError | NotFoundError) => {
      if (error.isRetryable) config.onRetry?.(operation, error);
      return error.isRetryable;
    };
    const graphqlUrl = `${config.baseUrl}/graphql`;

    /** One attempt: send, read the whole body, map the status. */
    const pacer = config.adaptiveThrottling ? new QuotaPacer() : undefined;

    /**
     * One GraphQL attempt under the project's quota: held while the quota would run out before
     * it resets, and counted in flight until answered; every answer's `RateLimit-*` read.
     */
    const paced = (
      project: string,
      send: Effect.Effect<HttpClientResponse.HttpClientResponse, RequestError | NotFoundError>,
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, RequestError | NotFoundError> =>
      pacer === undefined ? send : Effect.suspend(() => {
        const wait = pacer.delayMillis(project);
        return Effect.sleep(wait).pipe(
          Effect.andThen(Effect.sync(() => pacer.started(project))),
          Effect.andThen(send),
          Effect.tap((response) => Effect.sync(() => pacer.observe(project, response.headers))),
          Effect.tapError((error) =>
            Effect.sync(() => {
              if (error._tag === "RateLimitedError" && error.quota !== undefined) {
                pacer.observe(project, error.quota);
              }
            })
          ),
          Effect.ensuring(Effect.sync(() => pacer.finished(project))),
        );
      });

    const attempt = (
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, RequestError | NotFoundError> =>
      http.execute(request).pipe(
        Effect.mapError((e) =>
          new TransportError({ operation, reason: "network", message: e.message })
        ),
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? Effect.succeed(response)
            : response.text.pipe(
              Effect.orElseSucceed(() => ""),
              Effect.flatMap((body) =>
                Effect.fail(
                  statusError(
                    operation,
                    request.url,
                    response.status,
                    response.headers,
                    body,
                    request.headers["authorization"] !== undefined,
                  ),
                )
              ),
            )
        ),
      );

    /** An attempt with no `what` (answer, complete answer) within the timeout fails, retryably. */
    const cutOffAfterTimeout = (operation: string, what: string) =>
      Effect.timeoutOrElse({
        duration: config.timeout,
        orElse: () =>
          Effect.fail(
            new TransportError({
              operation,
              reason: "timeout",
              message: `No ${what} within ${Duration.format(config.timeout)}`,
            }),
          ),
      });

    /**
     * `attempt` retried by the policy; before each wait the run of the request (when it is one
     * of many scanned at once) is told, so that it can step aside for another meanwhile.
     */
    const retried = <A>(
      operation: string,
      attempt: Effect.Effect<A, RequestError | NotFoundError>,
      attempts: { count: number } = { count: 0 },
    ): Effect.Effect<A, RequestError | NotFoundError> =>
      Effect.flatMap(Effect.service(RetryWaits), (waits) => {
        const retryable = retrying(operation);
        return Effect.suspend(() =>
          ++attempts.count === 1 ? attempt : Effect.andThen(waits.resumed, attempt)
        ).pipe(
          Effect.retry({
            schedule: retrySchedule,
            while: (error) => retryable(error) && Effect.as(waits.waiting, true),
          }),
        );
      });

    const withPolicy = <A>(
      operation: string,
      effect: Effect.Effect<A, RequestError | NotFoundError>,
    ): Effect.Effect<A, RequestError | NotFoundError> =>
      Effect.suspend(() => {
        // Attempts so far, reported on the request's span as `wandb.retries`.
        const attempts = { count: 0 };
        return retried(
          operation,
          effect.pipe(cutOffAfterTimeout(operation, "complete answer"), permits.withPermits(1)),
          attempts,
        ).pipe(
          Effect.ensuring(
            Effect.suspend(() => Effect.annotateCurrentSpan("wandb.retries", attempts.count - 1)),
          ),
        );
      });

    // A body that cannot be read means the connection failed mid-answer: a network failure.
    // A body that reads whole but is not complete JSON is a truncated body (see
    // `executeReading`).
    const readBytes = (operation: string, response: HttpClientResponse.HttpClientResponse) =>
      response.arrayBuffer.pipe(
        Effect.map((buffer) => new Uint8Array(buffer)),
        Effect.mapError((e) =>
          new TransportError({ operation, reason: "network", message: e.message })
        ),
      );

    const utf8 = new TextDecoder();
    // Answers are read into reused buffers, one per request in flight and a couple more. Only
    // buffers of up to 2 MiB are kept (a history page is well under one): an idle client holds
    // a few MB at most, and a rare large answer gets a buffer of its own.
    const bodies = new BufferPool(config.concurrency + 2, 2 * 1024 * 1024);

    /**
     * Reads a body whole by BYOB reads of the fetch body into one buffer sized by its
     * Content-Length (taken from `pool` when given), with no copy per chunk as `arrayBuffer`
     * makes; clients that are not fetch-based fall back to `arrayBuffer`.
     */
    const readBody = (
      operation: string,
      response: HttpClientResponse.HttpClientResponse,
      pool: BufferPool | undefined,
    ): Effect.Effect<Uint8Array, TransportError> => {
      const web = HttpClientResponse.toWeb(response);
      if (Option.isNone(web) || web.value.body === null) return readBytes(operation, response);
      const source = web.value;
      const body = source.body!;
      // One byte more than declared: the read that finds the end needs room to ask for.
      const allocate = (size: number) => pool?.take(size) ?? new Uint8Array(size + 1);
      return Effect.tryPromise({
        try: async (signal) => {
          const reader = body.getReader({ mode: "byob" });
          const stop = () => void reader.cancel().catch(() => {});
          signal.addEventListener("abort", stop, { once: true });
          try {
            const declared = Number(source.headers.get("content-length"));
            let buffer = allocate(Number.isFinite(declared) ? declared : 64 * 1024);
            let filled = 0;
            for (;;) {
              if (filled === buffer.length) {
                const bigger = allocate(buffer.length * 2);
                bigger.set(buffer);
                pool?.give(buffer.buffer);
                buffer = bigger;
              }
              const { value, done } = await reader.read(
                new Uint8Array(buffer.buffer, filled, buffer.length - filled),
              );
              // A BYOB read moves the buffer: the view it returns holds it now.
              if (value !== undefined) buffer = new Uint8Array(value.buffer);
              if (done) break;
              filled += value!.byteLength;
            }
            return buffer.subarray(0, filled);
          } finally {
            signal.removeEventListener("abort", stop);
          }
        },
        catch: (e) =>
          new TransportError({
            operation,
            reason: "network",
            message: e instanceof Error ? e.message : String(e),
          }),
      });
    };

    const executeReading = <A, B>(
      request: GraphqlRequest<A>,
      read: (body: Uint8Array) => B | undefined,
    ): Effect.Effect<BodyRead<A, B>, RequestError> => {
      const { operation } = request;
      const httpRequest = HttpClientRequest.post(graphqlUrl).pipe(
        HttpClientRequest.basicAuth("api", config.apiKey),
        HttpClientRequest.setHeader("user-agent", config.userAgent),
        HttpClientRequest.acceptJson,
        HttpClientRequest.bodyJsonUnsafe({
          query: printDocument(request.document),
          variables: request.variables,
        }),
      );
      // The body is read into a pooled buffer and given back once `read` (or the decoder) is
      // done with it: both copy what they keep.
      const attributes = requestAttributes(request.variables);
      // The quota a request counts against: its project, as W&B's rate limits are per project.
      const project = `${attributes["wandb.entity"] ?? ""}/${attributes["wandb.project"] ?? ""}`;
      const once = paced(project, attempt(operation, httpRequest)).pipe(
        Effect.flatMap((response) => readBody(operation, response, bodies)),
        Effect.flatMap((bytes): Effect.Effect<BodyRead<unknown, B>, TransportError> => {
          try {
            const value = read(bytes);
            if (value !== undefined) return Effect.succeed({ _tag: "Read", value });
            let data: unknown;
            try {
              // W&B's JSON, as Python's `json.loads` reads it (NaN tokens, exact big integers).
              data = parseWandbJson(utf8.decode(bytes));
            } catch {
              // A 200 whose JSON does not parse was cut off on the way: retry it.
              return Effect.fail(
                new TransportError({
                  operation,
                  reason: "truncated-body",
                  message: `The response body is not complete JSON (${bytes.length} bytes read)`,
                }),
              );
            }
            return Effect.succeed({ _tag: "Decoded", data });
          } finally {
            bodies.give(bytes.buffer);
          }
        }),
      );
      return withPolicy(operation, once).pipe(
        // A GraphQL POST never answers 404 for a missing resource (that is `null` data), so a
        // 404 here means the base URL is wrong: report it as a server error.
        Effect.catchTag(
          "NotFoundError",
          (e) => Effect.fail(new ServerError({ operation, status: 404, message: e.message })),
        ),
        Effect.flatMap((answer): Effect.Effect<BodyRead<A, B>, RequestError> =>
          answer._tag === "Read" ? Effect.succeed(answer) : Effect.map(
            decodeGraphqlResponse(request, answer.data),
            (data) => ({ _tag: "Decoded", data }),
          )
        ),
        // A stack trace per span would point here, at the transport, for every page of a scan:
        // the operation name says more, and costs nothing.
        Effect.withSpan(
          `wandb.graphql ${operation}`,
          { attributes: { operation, ...attributes } },
          { captureStackTrace: false },
        ),
      );
    };

    const decodeOnly = () => undefined;
    const execute = <A>(request: GraphqlRequest<A>): Effect.Effect<A, RequestError> =>
      Effect.map(
        executeReading<A, never>(request, decodeOnly),
        (answer) => answer._tag === "Decoded" ? answer.data : answer.value,
      );

    const get = (
      url: string,
      options: DownloadOptions,
      range: ByteRange | undefined,
    ): Effect.Effect<RangeDownload, RequestError> => {
      const { operation } = options;
      let request = HttpClientRequest.get(url).pipe(
        HttpClientRequest.setHeader("user-agent", config.userAgent),
      );
      if (range !== undefined) {
        request = HttpClientRequest.setHeader(
          request,
          "range",
          "suffix" in range ? `bytes=-${range.suffix}` : `bytes=${range.start}-${range.end - 1}`,
        );
      }
      if (options.authenticated === true) {
        request = HttpClientRequest.basicAuth(request, "api", config.apiKey);
      }
      const once = attempt(operation, request).pipe(
        Effect.flatMap((response) =>
          // Downloads are kept by their callers (a Parquet row group, while it decodes): each
          // gets a buffer of its own.
          readBody(operation, response, undefined).pipe(
            Effect.flatMap((bytes): Effect.Effect<RangeDownload, DecodeError> => {
              if (response.status !== 206) {
                return Effect.succeed({ bytes, start: 0, totalSize: bytes.length });
              }
              const match = contentRange.exec(response.headers["content-range"] ?? "");
              return match === null
                ? Effect.fail(
                  new DecodeError({
                    operation,
                    path: "content-range",
                    message: "A partial answer without a usable Content-Range header",
                  }),
                )
                : Effect.succeed({ bytes, start: Number(match[1]), totalSize: Number(match[3]) });
            }),
          )
        ),
      );
      return withPolicy(operation, once).pipe(
        Effect.catchTag(
          "NotFoundError",
          (e) => Effect.fail(new ServerError({ operation, status: 404, message: e.message })),
        ),
        Effect.withSpan(`wandb.download ${operation}`, { attributes: { operation } }, {
          captureStackTrace: false,
        }),
      );
    };

    const download = (url: string, options: DownloadOptions) =>
      Effect.map(get(url, options, undefined), (d) => d.bytes);

    const openDownload = (url: string, from: number, options: OpenDownloadOptions) => {
      const { operation, end } = options;
      let request = HttpClientRequest.get(url).pipe(
        HttpClientRequest.setHeader("user-agent", config.userAgent),
      );
      if (from > 0 || end !== undefined) {
        request = HttpClientRequest.setHeader(
          request,
          "range",
          `bytes=${from}-${end === undefined ? "" : end - 1}`,
        );
      }
      if (options.authenticated === true) {
        request = HttpClientRequest.basicAuth(request, "api", config.apiKey);
      }
      const once = attempt(operation, request).pipe(
        Effect.flatMap((response): Effect.Effect<OpenDownload, DecodeError> => {
          const web = HttpClientResponse.toWeb(response);
          const body = Option.isSome(web) ? web.value.body : null;
          if (body === null) {
            return Effect.succeed({
              body: new ReadableStream({ start: (c) => c.close() }),
              start: 0,
              end: 0,
              partial: false,
              totalSize: 0,
            });
          }
          const length = Number(response.headers["content-length"] ?? NaN);
          if (response.status !== 206) {
            const size = Number.isFinite(length) ? length : undefined;
            return Effect.succeed({ body, start: 0, end: size, partial: false, totalSize: size });
          }
          const match = contentRange.exec(response.headers["content-range"] ?? "");
          return match === null
            ? Effect.fail(
              new DecodeError({
                operation,
                path: "content-range",
                message: "A partial answer without a usable Content-Range header",
              }),
            )
            : Effect.succeed({
              body,
              start: Number(match[1]),
              end: Number(match[2]) + 1,
              partial: true,
              totalSize: Number(match[3]),
            });
        }),
      );
      return Effect.suspend(() =>
        retried(operation, once.pipe(cutOffAfterTimeout(operation, "answer")))
      ).pipe(
        Effect.withSpan(`wandb.download ${operation}`, { attributes: { operation } }, {
          captureStackTrace: false,
        }),
      );
    };
    const downloadRange = (url: string, range: ByteRange, options: DownloadOptions) =>
      get(url, options, range);

    const upload = (
      url: string,
      body: () => Stream.Stream<Uint8Array, unknown>,
      options: UploadOptions,
    ) => {
      const { operation } = options;
      const once = Effect.suspend(() =>
        attempt(
          operation,
          HttpClientRequest.put(url).pipe(
            HttpClientRequest.setHeader("user-agent", config.userAgent),
            HttpClientRequest.setHeaders(options.headers ?? {}),
            HttpClientRequest.bodyStream(body(), { contentLength: options.contentLength }),
          ),
        )
      );
      return withPolicy(operation, Effect.asVoid(once)).pipe(
        Effect.withSpan(`wandb.upload ${operation}`, { attributes: { operation } }, {
          captureStackTrace: false,
        }),
      );
    };

    return { config, execute, executeReading, download, downloadRange, openDownload, upload };
  });
}

/**
 * What a request's span says of its target: `wandb.entity`, `wandb.project`, `wandb.run`, read
 * from the variables the official client's operations use for them. Never the key, which is in
 * no variable.
 */
function requestAttributes(variables: Readonly<Record<string, unknown>>): Record<string, string> {
  const attributes: Record<string, string> = {};
  const first = (...names: ReadonlyArray<string>) =>
    names.map((name) => variables[name]).find((value) => typeof value === "string") as
      | string
      | undefined;
  const entity = first("entity", "entityName");
  const project = first("project", "projectName");
  const run = first("name", "runName", "run");
  if (entity !== undefined) attributes["wandb.entity"] = entity;
  if (project !== undefined) attributes["wandb.project"] = project;
  if (run !== undefined && project !== undefined) attributes["wandb.run"] = run;
  return attributes;
}

/**
 * Decodes a GraphQL answer's JSON for `request`: GraphQL `errors` become a `GraphqlError`, a
 * missing `data` or data the request's decoder refuses a `DecodeError` naming the path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { viewerQuery } from "@effect-wandb/api";
 * import { decodeGraphqlResponse } from "./transport.ts";
 * const error = Effect.runSync(Effect.flip(decodeGraphqlResponse(viewerQuery(), { data: null })));
 * assert.ok(error._tag === "DecodeError");
 * ```
 */
export function decodeGraphqlResponse<A>(
  request: GraphqlRequest<A>,
  json: unknown,
): Effect.Effect<A, GraphqlError | DecodeError> {
  const { operation } = request;
  return Schema.decodeUnknownEffect(GraphqlResponse)(json).pipe(
    Effect.mapError((e) =>
      new DecodeError({ operation, path: issuePath(e.issue), message: e.message })
    ),
    Effect.flatMap((body): Effect.Effect<A, GraphqlError | DecodeError> => {
      if (body.errors !== undefined && body.errors !== null && body.errors.length > 0) {
        const errors = toGraphqlEntries(body.errors);
        return Effect.fail(
          new GraphqlError({
            operation,
            errors,
            message: errors.map((e) => e.message).join("; "),
          }),
        );
      }
      if (body.data === undefined || body.data === null) {
        return Effect.fail(
          new DecodeError({ operation, path: "data", message: "The response has no data" }),
        );
      }
      return Schema.decodeUnknownEffect(request.decoder)(body.data).pipe(
        Effect.mapError((e) =>
          new DecodeError({ operation, path: issuePath(e.issue), message: e.message })
        ),
      );
    }),
  );
}
