// Shared test plumbing: run an Effect against a fresh local server and its Api.
import { Effect } from "effect";
import type { Api } from "../../mod.ts";
import { testApiLayer, type TestApiOptions } from "../../lib/testing/mod.ts";
import type { Emulator } from "../../lib/testing/emulator.ts";

/** Runs `body` with an `Api` pointed at a fresh local server, which is stopped afterwards. */
export function withServer<A, E>(
  body: Effect.Effect<A, E, Api | Emulator>,
  options?: TestApiOptions,
): Promise<A> {
  return Effect.runPromise(Effect.scoped(body.pipe(Effect.provide(testApiLayer(options)))));
}

/** Counts the requests the server saw for one operation. */
export function countOperation(server: Emulator, operation: string): number {
  return server.requests.filter((r) => r.operationName === operation).length;
}

/**
 * Posts a GraphQL document to a local server as W&B's clients do (HTTP Basic with `key`, a JSON
 * body), as the client named by `userAgent` when given; returns the status and parsed answer.
 */
export async function postGraphql(
  url: string,
  key: string,
  query: string,
  variables: unknown = {},
  userAgent?: string,
) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa(`api:${key}`)}`,
      "content-type": "application/json",
      ...(userAgent === undefined ? {} : { "user-agent": userAgent }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}
