/**
 * The `WandbClient`: what every operation of the library is written against, composed of its
 * parts, each in its own module:
 * - `_http_clients.ts`: the API's client (its origin, the key, our User-Agent) and storage's
 *   (never the key), and the rule that keeps the key on the API's own origin;
 * - `_policy.ts`: permits, per-attempt timeouts, quota pacing, and retries within a budget;
 * - `_graphql_execution.ts`: GraphQL documents sent and their answers decoded;
 * - `_bodies.ts`: bodies read to a size limit; `_http_errors.ts`: statuses and failed
 *   connections mapped to typed errors; `_ranges.ts`: `Range` and `Content-Range`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import type * as Stream from "effect/Stream";
import * as HttpClient from "effect/http/HttpClient";
import * as HttpClientRequest from "effect/http/HttpClientRequest";
import * as HttpClientResponse from "effect/http/HttpClientResponse";
import type { ApiConfig } from "./config.ts";
import { learnCapabilities, type ServerCapabilities } from "./capabilities.ts";
import { DecodeError, type NotFoundError, type RequestError, ServerError } from "./errors.ts";
import type { GraphqlRequest } from "./graphql.ts";
import { readBody, readErrorText } from "./_bodies.ts";
import { type BodyRead, makeGraphqlExecution } from "./_graphql_execution.ts";
import { makeHttpClients, rememberBuildContext, type Send } from "./_http_clients.ts";
import { statusError } from "./_http_errors.ts";
import { type AttemptError, makeRequestPolicy } from "./_policy.ts";
import { type ByteRange, parseContentRange, rangeHeader } from "./_ranges.ts";

export type { BodyRead } from "./_graphql_execution.ts";
export type { ByteRange } from "./_ranges.ts";

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
  /**
   * Told of each failure about to be retried (a 5xx, a 429, a timeout): the downloads of one
   * call have fewer in flight after one.
   */
  readonly onRetry?: ((error: RequestError | NotFoundError) => void) | undefined;
}

/**
 * A configured connection to one W&B server. Every operation of the library is written
 * against this interface; the `Api` service builds one from its config.
 */
export interface WandbClient {
  /** The configuration this client was built with. */
  readonly config: ApiConfig;
  /**
   * What the server offers (its features and version), asked the first time an operation needs
   * to know and kept for the client's life.
   */
  readonly capabilities: Effect.Effect<ServerCapabilities, RequestError>;
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

/** What a range request brought back. */
export interface RangeDownload {
  readonly bytes: Uint8Array;
  /** The file offset of `bytes[0]` (0 when the server sent the whole file). */
  readonly start: number;
  /** The whole file's size. */
  readonly totalSize: number;
}

/**
 * Builds a {@link WandbClient} on the `HttpClient` in context.
 *
 * Each attempt holds one of `config.concurrency` permits while it is on the wire (not while it
 * waits to retry), is cut off after `config.timeout`, and is retried by `config.retrySchedule`
 * only when its error says it is retryable, never sooner than the server asked, and never past
 * `config.retryBudget` for the whole request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { makeApiConfig } from "@effect-wandb/api";
 * import { makeWandbClient } from "@effect-wandb/api/graphql";
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
    const clients = makeHttpClients(config, yield* HttpClient.HttpClient);
    // Where the `Api` layer found `fetch`'s settings: the downloads' first tries send with them.
    const built = yield* Effect.context<never>();
    const policy = yield* makeRequestPolicy(config);
    const graphql = makeGraphqlExecution(config, clients, policy);

    /** A GET, with the key when `authenticated` (on the API's origin only), its status checked. */
    const get = (
      url: string,
      options: DownloadOptions,
      range: string | undefined,
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, AttemptError> => {
      const send: Send = options.authenticated === true ? clients.api : clients.storage;
      let request = HttpClientRequest.get(url);
      if (range !== undefined) request = HttpClientRequest.setHeader(request, "range", range);
      return Effect.flatMap(
        send(options.operation, request),
        (response) =>
          response.status >= 200 && response.status < 300
            ? Effect.succeed(response)
            : Effect.flatMap(readErrorText(options.operation, url, response), (body) =>
              Effect.fail(
                statusError(options.operation, url, {
                  status: response.status,
                  headers: response.headers,
                  body,
                  withKey: options.authenticated === true && clients.isApiOrigin(url),
                }),
              )),
      );
    };

    const partialWithoutRange = (operation: string) =>
      new DecodeError({
        operation,
        path: "content-range",
        message: "A partial answer without a usable Content-Range header",
      });

    const span = (kind: string, operation: string) =>
      Effect.withSpan(`wandb.${kind} ${operation}`, { attributes: { operation } }, {
        captureStackTrace: false,
      });

    /** A 404 of a download means the URL is wrong, not a resource: a server error. */
    const notFoundAsServerError = <A>(
      operation: string,
      effect: Effect.Effect<A, AttemptError>,
    ): Effect.Effect<A, RequestError> =>
      Effect.catchTag(
        effect,
        "NotFoundError",
        (e) =>
          Effect.fail(
            new ServerError({ operation, status: 404, detail: e.detail, message: e.message }),
          ),
      );

    const downloadRange = (
      url: string,
      range: ByteRange | undefined,
      options: DownloadOptions,
    ): Effect.Effect<RangeDownload, RequestError> => {
      const { operation } = options;
      const once = get(url, options, range === undefined ? undefined : rangeHeader(range)).pipe(
        Effect.flatMap((response) =>
          // Downloads are kept by their callers (a Parquet row group, while it decodes): each
          // gets a buffer of its own.
          readBody(operation, url, response, { limit: config.maxResponseBytes }).pipe(
            Effect.flatMap((bytes): Effect.Effect<RangeDownload, DecodeError> => {
              if (response.status !== 206) {
                return Effect.succeed({ bytes, start: 0, totalSize: bytes.length });
              }
              const held = parseContentRange(response.headers["content-range"]);
              return held === undefined
                ? Effect.fail(partialWithoutRange(operation))
                : Effect.succeed({ bytes, start: held.start, totalSize: held.totalSize });
            }),
          )
        ),
      );
      return notFoundAsServerError(
        operation,
        policy.run({ operation, url, awaiting: "complete answer" }, once),
      ).pipe(span("download", operation));
    };

    const openDownload = (
      url: string,
      from: number,
      options: OpenDownloadOptions,
    ): Effect.Effect<OpenDownload, RequestError | NotFoundError> => {
      const { operation, end } = options;
      const once = get(url, options, rangeHeader({ from, end })).pipe(
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
          const held = parseContentRange(response.headers["content-range"]);
          return held === undefined
            ? Effect.fail(partialWithoutRange(operation))
            : Effect.succeed({ body, ...held, partial: true });
        }),
      );
      // No permit: the body streams on after the answer, and a large download must not stall
      // the API's other requests.
      const { onRetry } = options;
      return policy.run({ operation, url, awaiting: "answer", permit: false, onRetry }, once).pipe(
        span("download", operation),
      );
    };

    const upload = (
      url: string,
      body: () => Stream.Stream<Uint8Array, unknown>,
      options: UploadOptions,
    ): Effect.Effect<void, RequestError | NotFoundError> => {
      const { operation } = options;
      const once = Effect.suspend(() =>
        clients.storage(
          operation,
          HttpClientRequest.put(url).pipe(
            HttpClientRequest.setHeaders(options.headers ?? {}),
            HttpClientRequest.bodyStream(body(), { contentLength: options.contentLength }),
          ),
        )
      ).pipe(
        Effect.flatMap((response) =>
          response.status >= 200 && response.status < 300
            ? readErrorText(operation, url, response).pipe(Effect.asVoid)
            : Effect.flatMap(readErrorText(operation, url, response), (text) =>
              Effect.fail(
                statusError(operation, url, {
                  status: response.status,
                  headers: response.headers,
                  body: text,
                  withKey: false,
                }),
              ))
        ),
      );
      return policy.run({ operation, url, awaiting: "complete answer" }, once).pipe(
        span("upload", operation),
      );
    };

    const client: WandbClient = {
      config,
      capabilities: yield* learnCapabilities(graphql.execute),
      execute: graphql.execute,
      executeReading: graphql.executeReading,
      download: (url, options) =>
        Effect.map(downloadRange(url, undefined, options), (d) => d.bytes),
      downloadRange: (url, range, options) => downloadRange(url, range, options),
      openDownload,
      upload,
    };
    rememberBuildContext(client, built);
    return client;
  });
}
