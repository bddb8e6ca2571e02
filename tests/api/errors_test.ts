import assert from "node:assert/strict";
import { Effect, Schedule, Stream } from "effect";
import { Api, type WandbError } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";

// No retries, so that each test sees the first failure as it is.
const noRetry = { api: { retrySchedule: Schedule.recurs(0) } };

const failure = <A>(effect: Effect.Effect<A, WandbError, Api>) => Effect.flip(effect);

Deno.test("every error class comes from the server as its own tagged error", async (t) => {
  await t.step("401 becomes AuthenticationError after exactly one request", async () => {
    const [error, requests] = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const error = yield* failure(api.viewer);
        return [error, countOperation(server, "GetViewer")] as const;
      }),
      { api: { apiKey: "x".repeat(40) } },
    );
    assert.equal(error._tag, "AuthenticationError");
    assert.equal(requests, 1);
    assert.ok(!error.message.includes("x".repeat(40)));
  });

  await t.step("403 on another user's entity becomes PermissionError", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const api = yield* Api;
        return yield* failure(api.runCount("bob/private"));
      }),
      noRetry,
    );
    assert.equal(error._tag, "PermissionError");
  });

  await t.step("a missing project or run becomes NotFoundError with its path", async () => {
    const [project, run] = await withServer(Effect.gen(function* () {
      const api = yield* Api;
      return [
        yield* failure(api.project("no-such-project", "acme")),
        yield* failure(api.run("acme/mnist/nosuchrun")),
      ] as const;
    }));
    assert.equal(project._tag, "NotFoundError");
    assert.equal(project._tag === "NotFoundError" && project.path, "acme/no-such-project");
    assert.equal(run._tag === "NotFoundError" && run.resource, "run");
    assert.equal(run._tag === "NotFoundError" && run.path, "acme/mnist/nosuchrun");
  });

  await t.step("429 becomes RateLimitedError carrying Retry-After", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({
          status: 429,
          headers: { "Retry-After": "7" },
          body: '{"error":"rate limit exceeded"}',
        });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      noRetry,
    );
    assert.equal(error._tag, "RateLimitedError");
    assert.equal(error._tag === "RateLimitedError" && error.retryAfterMillis, 7000);
    assert.match(error.message, /rate limit exceeded/);
  });

  await t.step("429 with RateLimit-Reset is read too", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ status: 429, headers: { "RateLimit-Reset": "3" } });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      noRetry,
    );
    assert.equal(error._tag === "RateLimitedError" && error.retryAfterMillis, 3000);
  });

  await t.step("5xx becomes ServerError with its status", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ status: 503 });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      noRetry,
    );
    assert.equal(error._tag, "ServerError");
    assert.equal(error._tag === "ServerError" && error.status, 503);
    assert.ok(error.isRetryable);
  });

  await t.step("a dropped connection becomes TransportError(reset), naming the URL", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "drop" });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      noRetry,
    );
    assert.equal(error._tag, "TransportError");
    assert.equal(error._tag === "TransportError" && error.reason, "reset");
    assert.match(
      error.message,
      /The connection broke while reading the answer from http:\/\/127\.0\.0\.1:\d+\/graphql/,
    );
  });

  await t.step("a cut-off body becomes TransportError(truncated-body)", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "truncate" });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      noRetry,
    );
    assert.equal(error._tag === "TransportError" && error.reason, "truncated-body");
  });

  await t.step("a slow answer becomes TransportError(timeout)", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "delay", ms: 1500 });
        const api = yield* Api;
        return yield* failure(api.viewer);
      }),
      { api: { retrySchedule: Schedule.recurs(0), timeout: "200 millis" } },
    );
    assert.equal(error._tag === "TransportError" && error.reason, "timeout");
  });

  await t.step("GraphQL errors in a 200 answer become GraphqlError", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const api = yield* Api;
        // Valid for our builder (a string regex) but not for the server: an unclosed group.
        return yield* failure(
          api.runs("acme/mnist", { filters: { displayName: { $regex: "(" } } }).pipe(
            Stream.runCollect,
          ),
        );
      }),
      noRetry,
    );
    assert.equal(error._tag, "GraphqlError");
    assert.equal(error._tag === "GraphqlError" && error.errors.length > 0, true);
    assert.ok(!error.isRetryable);
  });

  await t.step("a malformed payload becomes DecodeError with the path into it", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        // The run's config is stored as a string that is not JSON, as a broken writer could.
        server.store.runs.insert("acme", "mnist", { name: "badcfg01", configJson: "{not json" });
        const api = yield* Api;
        return yield* failure(api.run("acme/mnist/badcfg01"));
      }),
      noRetry,
    );
    assert.equal(error._tag, "DecodeError");
    assert.equal(error._tag === "DecodeError" && error.path, "project.run.config");
  });

  await t.step("bad arguments fail before any request", async () => {
    const [errors, requests] = await withServer(Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const errors = [
        yield* failure(api.run("a/b/c/d/e")),
        yield* failure(api.runs("acme/mnist", { filters: { $bogus: [] } }).pipe(Stream.runCollect)),
        yield* failure(api.runs("acme/mnist", { perPage: 0 }).pipe(Stream.runCollect)),
        yield* failure(api.runs("acme/mnist", { order: "+{x}" }).pipe(Stream.runCollect)),
      ];
      return [errors, server.requests.length] as const;
    }));
    assert.deepEqual(errors.map((e) => e._tag), Array(4).fill("InvalidArgumentError"));
    assert.deepEqual(
      errors.map((e) => e._tag === "InvalidArgumentError" && e.argument),
      ["path", "filters", "perPage", "order"],
    );
    assert.equal(requests, 0);
  });
});
