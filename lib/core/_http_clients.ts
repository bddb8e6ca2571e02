/**
 * The two HTTP clients of an `Api`, built once: the API's (its own origin, HTTP Basic with the
 * key, our User-Agent) and storage's (signed URLs, never the key). The rule that keeps the key
 * on the API's server lives here, beside them: the key goes only to a request for the API's own
 * origin (scheme, host and port), and the API's client follows no redirect with it. A redirect
 * of a GET (W&B's `/files/…` answer with a signed storage URL) is followed by the storage
 * client, without the key; a redirect of a GraphQL POST is an error that says where it pointed.
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as FetchHttpClient from "effect/http/FetchHttpClient";
import * as HttpClient from "effect/http/HttpClient";
import * as HttpClientRequest from "effect/http/HttpClientRequest";
import type * as HttpClientResponse from "effect/http/HttpClientResponse";
import type { ApiConfig } from "./config.ts";
import type { RuntimePermissionError, TransportError } from "./errors.ts";
import { connectionError } from "./_http_errors.ts";
import { cancelBody } from "./_bodies.ts";

/** Sends one request and gives its answer, whatever its status. */
export type Send = (
  operation: string,
  request: HttpClientRequest.HttpClientRequest,
) => Effect.Effect<HttpClientResponse.HttpClientResponse, TransportError | RuntimePermissionError>;

/** The API's client and storage's, see the module's docs. */
export interface HttpClients {
  /** The API's origin, e.g. `https://api.wandb.ai`. */
  readonly apiOrigin: string;
  /**
   * Sends a request to the API: with the key when (and only when) its URL is on the API's own
   * origin; redirects come back as answers (3xx), not followed.
   */
  readonly api: Send;
  /** Sends a request to storage (a signed URL): never with the key; redirects are followed. */
  readonly storage: Send;
  /** Whether `url` is on the API's origin, the only one the key is sent to. */
  readonly isApiOrigin: (url: string) => boolean;
}

/** The context each client was built in (its `Api` layer's), by {@link rememberBuildContext}. */
const buildContexts = new WeakMap<object, Context.Context<never>>();

/** Keeps the context `client` was built in, where its `Api` layer found `fetch`'s settings. */
export function rememberBuildContext(client: object, context: Context.Context<never>): void {
  buildContexts.set(client, context);
}

/**
 * A request to storage sent without the `HttpClient` (the download engine's first try of a
 * file, `_download_first_try.ts`), as `FetchHttpClient` would send it: its `Fetch` and
 * `RequestInit` from the calling fiber's context, else from the context `client`'s `Api` was
 * built in (a proxy's `client` in `RequestInit` is kept). Its headers are the `RequestInit`'s
 * with our User-Agent, and never an `authorization`: storage gets no key.
 */
export function storageRequest(
  client: { readonly config: ApiConfig },
  context: Context.Context<never>,
  signal: AbortSignal,
): { readonly fetch: typeof globalThis.fetch; readonly init: RequestInit } {
  const built = buildContexts.get(client);
  const fetch = Context.getOrUndefined(context, FetchHttpClient.Fetch) ??
    (built === undefined ? undefined : Context.getOrUndefined(built, FetchHttpClient.Fetch)) ??
    globalThis.fetch;
  const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit) ??
    (built === undefined ? undefined : Context.getOrUndefined(built, FetchHttpClient.RequestInit));
  const headers = new Headers(init?.headers);
  headers.delete("authorization");
  headers.set("user-agent", client.config.userAgent);
  return { fetch, init: { ...init, method: "GET", headers, signal } };
}

/** How many redirects of an API GET are followed to storage. */
const maxRedirects = 5;

/** Builds the two clients over the `HttpClient` given. */
export function makeHttpClients(config: ApiConfig, http: HttpClient.HttpClient): HttpClients {
  const apiOrigin = new URL(config.baseUrl).origin;
  const isApiOrigin = (url: string) => {
    try {
      return new URL(url).origin === apiOrigin;
    } catch {
      return false;
    }
  };
  const withUserAgent = HttpClientRequest.setHeader("user-agent", config.userAgent);

  const apiHttp = http.pipe(
    HttpClient.mapRequest((request) => {
      const named = withUserAgent(request);
      return isApiOrigin(request.url)
        ? HttpClientRequest.basicAuth(named, "api", config.apiKey)
        : HttpClientRequest.removeHeader(named, "authorization");
    }),
  );
  const storageHttp = http.pipe(
    HttpClient.mapRequest((request) =>
      HttpClientRequest.removeHeader(withUserAgent(request), "authorization")
    ),
  );

  const sending = (client: HttpClient.HttpClient): Send => (operation, request) =>
    client.execute(request).pipe(
      Effect.mapError((e) =>
        connectionError(
          operation,
          request.url,
          (e as { reason?: { cause?: unknown } }).reason?.cause ?? e,
          "connect",
        )
      ),
    );
  const storage = sending(storageHttp);
  const sendApi = sending(apiHttp);

  /** One request to the API, a redirect answered as the 3xx it is. */
  const apiOnce: Send = (operation, request) =>
    Effect.flatMap(Effect.context<never>(), (context) => {
      // With fetch, a redirect comes back as the 3xx answer it is (`redirect: "manual"`); other
      // clients follow none unless asked (`HttpClient.followRedirects`).
      const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit);
      return sendApi(operation, request).pipe(
        Effect.provideService(FetchHttpClient.RequestInit, { ...init, redirect: "manual" }),
      );
    });

  const api: Send = (operation, request) =>
    Effect.flatMap(
      apiOnce(operation, request),
      (response) => followToStorage(operation, request, response, 0),
    );

  /** A GET the API redirected elsewhere, fetched from there without the key. */
  const followToStorage = (
    operation: string,
    request: HttpClientRequest.HttpClientRequest,
    response: HttpClientResponse.HttpClientResponse,
    hops: number,
  ): Effect.Effect<
    HttpClientResponse.HttpClientResponse,
    TransportError | RuntimePermissionError
  > => {
    const location = response.headers["location"];
    if (
      request.method !== "GET" || response.status < 300 || response.status >= 400 ||
      location === undefined || hops >= maxRedirects
    ) {
      return Effect.succeed(response);
    }
    let target: string;
    try {
      target = new URL(location, request.url).href;
    } catch {
      return Effect.succeed(response);
    }
    const redirected = HttpClientRequest.setUrl(request, target);
    return cancelBody(response).pipe(
      Effect.andThen(
        isApiOrigin(target) ? apiOnce(operation, redirected) : storage(operation, redirected),
      ),
      Effect.flatMap((next) => followToStorage(operation, redirected, next, hops + 1)),
    );
  };

  return { apiOrigin, api, storage, isApiOrigin };
}
