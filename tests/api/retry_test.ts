import assert from "node:assert/strict";
import { Effect, Schedule } from "effect";
import { Api } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";

const fastRetries = {
  api: { retrySchedule: Schedule.max([Schedule.spaced("10 millis"), Schedule.recurs(3)]) },
};

Deno.test("a 429 with Retry-After: 1 is retried once, after at least a second", async () => {
  const { requests, elapsed, username } = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults({ status: 429, headers: { "Retry-After": "1" } });
      const api = yield* Api;
      const started = performance.now();
      const viewer = yield* api.viewer;
      return {
        requests: countOperation(server, "GetViewer"),
        elapsed: performance.now() - started,
        username: viewer.username,
      };
    }),
    fastRetries,
  );
  assert.equal(requests, 2);
  assert.ok(elapsed >= 1000, `waited only ${elapsed} ms`);
  assert.equal(username, "alice");
});

Deno.test("a 401 is not retried: exactly one request", async () => {
  const requests = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults({ status: 401 });
      const api = yield* Api;
      const error = yield* Effect.flip(api.viewer);
      assert.equal(error._tag, "AuthenticationError");
      return countOperation(server, "GetViewer");
    }),
    fastRetries,
  );
  assert.equal(requests, 1);
});

Deno.test("retryable failures are retried until success", async (t) => {
  for (
    const fault of [
      { status: 500 },
      { status: 502 },
      { kind: "drop" as const },
      { kind: "truncate" as const },
    ]
  ) {
    await t.step(JSON.stringify(fault), async () => {
      const requests = await withServer(
        Effect.gen(function* () {
          const server = yield* LocalServer;
          server.injectFaults(fault, fault);
          const api = yield* Api;
          const viewer = yield* api.viewer;
          assert.equal(viewer.username, "alice");
          return countOperation(server, "GetViewer");
        }),
        fastRetries,
      );
      assert.equal(requests, 3);
    });
  }
});

Deno.test("the schedule bounds the attempts: 1 + retries, then the last error", async () => {
  const [error, requests] = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults(...Array(10).fill({ status: 503 }));
      const api = yield* Api;
      const error = yield* Effect.flip(api.viewer);
      return [error, countOperation(server, "GetViewer")] as const;
    }),
    fastRetries,
  );
  assert.equal(error._tag, "ServerError");
  assert.equal(requests, 4);
});

Deno.test("non-retryable errors fail on the first attempt", async (t) => {
  for (const status of [400, 403, 404]) {
    await t.step(`HTTP ${status}`, async () => {
      const requests = await withServer(
        Effect.gen(function* () {
          const server = yield* LocalServer;
          server.injectFaults({ status });
          const api = yield* Api;
          yield* Effect.flip(api.viewer);
          return countOperation(server, "GetViewer");
        }),
        fastRetries,
      );
      assert.equal(requests, 1);
    });
  }
});

Deno.test("onRetry is told of each retry, with its operation and failure", async () => {
  const told: Array<string> = [];
  const username = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults({ status: 500 }, { kind: "drop" });
      const api = yield* Api;
      return (yield* api.viewer).username;
    }),
    {
      api: {
        ...fastRetries.api,
        onRetry: (operation, error) => told.push(`${operation} ${error._tag}`),
      },
    },
  );
  assert.equal(username, "alice");
  assert.deepEqual(told, ["GetViewer ServerError", "GetViewer TransportError"]);
});
