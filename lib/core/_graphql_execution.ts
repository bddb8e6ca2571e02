/**
 * GraphQL over the API's client: a document POSTed to `<base URL>/graphql`, its answer read to
 * the size limit and decoded (W&B's JSON: NaN tokens, exact big integers), GraphQL `errors`
 * turned into a {@link GraphqlError} with a short message and the errors whole, and the data
 * checked by the request's decoder.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Schema from "effect/Schema";
import type * as SchemaIssue from "effect/SchemaIssue";
import * as HttpClientRequest from "effect/http/HttpClientRequest";
import type * as HttpClientResponse from "effect/http/HttpClientResponse";
import { apiAnswered } from "./_download_governor.ts";
import { BufferPool } from "./buffers.ts";
import type { ApiConfig } from "./config.ts";
import {
  DecodeError,
  GraphqlError,
  type GraphqlErrorEntry,
  type RequestError,
  ServerError,
  TransportError,
} from "./errors.ts";
import { type GraphqlRequest, printDocument } from "./graphql.ts";
import { parseWandbJson, printWandbJson } from "./wandb_json.ts";
import { readBody, readErrorText } from "./_bodies.ts";
import type { HttpClients } from "./_http_clients.ts";
import { shortText, shownUrl, statusError } from "./_http_errors.ts";
import type { AttemptError, RequestPolicy } from "./_policy.ts";

/** What {@link GraphqlExecution.executeReading} got: the reader's result, or the decoded `data`. */
export type BodyRead<A, B> =
  | { readonly _tag: "Read"; readonly value: B }
  | { readonly _tag: "Decoded"; readonly data: A };

/** GraphQL requests, sent and decoded under the `Api`'s policy. */
export interface GraphqlExecution {
  /** Sends a request and decodes its `data`, retrying retryable failures. */
  execute<A>(request: GraphqlRequest<A>): Effect.Effect<A, RequestError>;
  /**
   * Sends a request and tries `read` on the answer's bytes first; when `read` returns
   * `undefined` the body is decoded as `execute` decodes it.
   */
  executeReading<A, B>(
    request: GraphqlRequest<A>,
    read: (body: Uint8Array) => B | undefined,
  ): Effect.Effect<BodyRead<A, B>, RequestError>;
}

const GraphqlResponse = Schema.Struct({
  data: Schema.optional(Schema.NullOr(Schema.Unknown)),
  errors: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown))),
});

/** The messages of a GraphQL error answer (`{"errors": [{"message": …}]}`), if it is one. */
function graphqlErrorsOf(body: string | undefined): string | undefined {
  if (body === undefined || !body.trimStart().startsWith("{")) return undefined;
  try {
    const errors = (JSON.parse(body) as { errors?: unknown }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return undefined;
    return errors.map((e) => String((e as { message?: unknown })?.message ?? "")).join("; ")
      .slice(0, 500);
  } catch {
    return undefined;
  }
}

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

const toGraphqlEntries = (errors: ReadonlyArray<unknown>): ReadonlyArray<GraphqlErrorEntry> =>
  errors.map((e) => {
    if (typeof e === "string") return { message: e };
    const entry = e as { message?: unknown; path?: unknown };
    return {
      message: typeof entry.message === "string" ? entry.message : JSON.stringify(e),
      path: Array.isArray(entry.path) ? entry.path as ReadonlyArray<string | number> : undefined,
    };
  });

/** The message of a {@link GraphqlError}: its first errors, each shortened. */
function graphqlMessage(errors: ReadonlyArray<GraphqlErrorEntry>): string {
  const shown = errors.slice(0, 3).map((e) => shortText(e.message, 240)).join("; ");
  return errors.length > 3 ? `${shown} (and ${errors.length - 3} more errors)` : shown;
}

/**
 * Decodes a GraphQL answer's JSON for `request`: GraphQL `errors` become a `GraphqlError`, a
 * missing `data` or data the request's decoder refuses a `DecodeError` naming the path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { viewerQuery } from "@effect-wandb/api/graphql";
 * import { decodeGraphqlResponse } from "./_graphql_execution.ts";
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
      new DecodeError({ operation, path: issuePath(e.issue), message: shortText(e.message, 600) })
    ),
    Effect.flatMap((body): Effect.Effect<A, GraphqlError | DecodeError> => {
      if (body.errors !== undefined && body.errors !== null && body.errors.length > 0) {
        const errors = toGraphqlEntries(body.errors);
        const relogin = errors.some((e) => /relogin required/i.test(e.message));
        return Effect.fail(
          new GraphqlError({
            operation,
            errors,
            message: relogin
              // The key is fine: W&B refused fields it keeps for clients it recognizes.
              ? "W&B refused the request (relogin required): it answers so when a request reads " +
                "fields it keeps for its own clients, such as a user's API keys, under a " +
                "User-Agent it does not recognize. The default `userAgent` is one it does; a " +
                "custom one must start with `W&B Public Client`"
              : graphqlMessage(errors),
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
          new DecodeError({
            operation,
            path: issuePath(e.issue),
            message: shortText(e.message, 600),
          })
        ),
      );
    }),
  );
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
 * A 200 whose body is not W&B's JSON: cut off on the way (retryable) when it begins as JSON
 * does; otherwise not JSON at all (an HTML page of a proxy or a login portal): a `DecodeError`,
 * which the same request would meet again.
 */
function unparsable(
  operation: string,
  url: string,
  response: HttpClientResponse.HttpClientResponse,
  text: string,
): TransportError | DecodeError {
  const start = text.trimStart();
  if (start.length === 0 || start.startsWith("{")) {
    return new TransportError({
      operation,
      reason: "truncated-body",
      url: shownUrl(url),
      message: `The answer from ${
        shownUrl(url)
      } is not complete JSON (${text.length} characters read)`,
    });
  }
  const type = response.headers["content-type"] ?? "no content type";
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text.slice(0, 4096))?.[1];
  return new DecodeError({
    operation,
    path: "",
    message: `The server answered HTTP ${response.status} with something that is not JSON (${
      shortText(type, 80)
    }): ${shortText(title ?? text, 200)}. Is ${shownUrl(url)} a W&B server?`,
  });
}

/** Builds GraphQL execution over the API's client and the policy. */
export function makeGraphqlExecution(
  config: ApiConfig,
  clients: HttpClients,
  policy: RequestPolicy,
): GraphqlExecution {
  const graphqlUrl = `${config.baseUrl}/graphql`;
  const utf8 = new TextDecoder();
  // Answers are read into reused buffers, one per request in flight and a couple more. Only
  // buffers of up to 2 MiB are kept (a history page is well under one): an idle client holds
  // a few MB at most, and a rare large answer gets a buffer of its own.
  const bodies = new BufferPool(config.concurrency + 2, 2 * 1024 * 1024);

  const executeReading = <A, B>(
    request: GraphqlRequest<A>,
    read: (body: Uint8Array) => B | undefined,
  ): Effect.Effect<BodyRead<A, B>, RequestError> => {
    const { operation } = request;
    const attributes = requestAttributes(request.variables);
    // The quota a request counts against: its project, as W&B's rate limits are per project.
    const project = `${attributes["wandb.entity"] ?? ""}/${attributes["wandb.project"] ?? ""}`;
    /** One try of `sent`. */
    const attemptOf = (
      sent: GraphqlRequest<A>,
    ): Effect.Effect<BodyRead<unknown, B>, AttemptError> => {
      const httpRequest = HttpClientRequest.post(graphqlUrl).pipe(
        HttpClientRequest.acceptJson,
        // W&B's JSON: a big integer read from W&B goes back as its exact digits.
        HttpClientRequest.bodyText(
          printWandbJson({ query: printDocument(sent.document), variables: sent.variables }),
          "application/json",
        ),
      );
      // The body is read into a pooled buffer and given back once `read` (or the parser) is done
      // with it: both copy what they keep.
      return clients.api(
        operation,
        httpRequest,
      ).pipe(
        Effect.flatMap((response) => {
          policy.observeQuota(project, response.headers);
          if (response.status < 200 || response.status >= 300) {
            return readErrorText(operation, graphqlUrl, response).pipe(
              Effect.flatMap((body) =>
                Effect.fail(
                  statusError(operation, graphqlUrl, {
                    status: response.status,
                    headers: response.headers,
                    body,
                    withKey: true,
                  }),
                )
              ),
            );
          }
          return readBody(operation, graphqlUrl, response, {
            limit: config.maxResponseBytes,
            pool: bodies,
          }).pipe(
            Effect.flatMap((bytes): Effect.Effect<BodyRead<unknown, B>, AttemptError> => {
              try {
                const value = read(bytes);
                if (value !== undefined) return Effect.succeed({ _tag: "Read", value });
                const text = utf8.decode(bytes);
                try {
                  // W&B's JSON, as Python's `json.loads` reads it (NaN tokens, exact integers).
                  return Effect.succeed({ _tag: "Decoded", data: parseWandbJson(text) });
                } catch {
                  return Effect.fail(unparsable(operation, graphqlUrl, response, text));
                }
              } finally {
                bodies.give(bytes.buffer);
              }
            }),
          );
        }),
      );
    };
    // The request retried may differ from the first (`retryAs`: a smaller page after a 5xx).
    let sent = request;
    let attempt = attemptOf(sent);
    const onRetry = (error: AttemptError) => {
      const next = error._tag === "NotFoundError" ? undefined : sent.retryAs?.(error);
      if (next === undefined) return;
      sent = next;
      attempt = attemptOf(next);
    };
    // The API's round trips tell downloads how far away the servers are before storage has
    // answered once (see apiAnswered).
    const timed = Effect.suspend(() => {
      const sent = performance.now();
      return Effect.tap(
        attempt,
        () => Effect.sync(() => apiAnswered(config, performance.now() - sent)),
      );
    });
    return policy.run(
      { operation, url: graphqlUrl, awaiting: "complete answer", quotaOf: project, onRetry },
      timed,
    ).pipe(
      // A 404 with GraphQL errors is W&B saying the thing a mutation names is not there (an
      // automation to update, say; the operation maps it to a NotFoundError). Any other 404 to
      // a GraphQL POST means the base URL is wrong. Both are server errors here.
      Effect.catchTag(
        "NotFoundError",
        (e) => {
          const said = graphqlErrorsOf(e.detail);
          return Effect.fail(
            new ServerError({
              operation,
              status: 404,
              detail: e.detail,
              message: said !== undefined
                ? `The server found nothing for ${operation} (HTTP 404): ${said}`
                : `${e.message}: is ${config.baseUrl} the W&B server's base URL?`,
            }),
          );
        },
      ),
      Effect.flatMap((answer): Effect.Effect<BodyRead<A, B>, RequestError> =>
        answer._tag === "Read" ? Effect.succeed(answer) : Effect.map(
          decodeGraphqlResponse(sent, answer.data),
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

  return { execute, executeReading };
}
