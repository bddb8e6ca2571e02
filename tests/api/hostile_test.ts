// Broken and hostile servers: every failure a typed error, in bounded time (the retry budget,
// checked with the test clock) and bounded memory (an answer is read to its limit and no
// further), with messages of bounded length and the key sent to the API's own origin only.
import assert from "node:assert/strict";
import { Effect, Exit, Layer, Schedule, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { TestClock } from "effect/testing";
import { Api, type WandbError } from "../../mod.ts";
import { LocalServer, startEmulator } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";
import { connectionError } from "../../lib/core/_http_errors.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Three retries, 10 ms apart: enough to tell a retried failure from one that is not. */
const threeRetries = Schedule.max([Schedule.spaced("10 millis"), Schedule.recurs(3)]);

const viewerOf = Effect.gen(function* () {
  const api = yield* Api;
  return yield* api.viewer;
});

/**
 * Runs `effect` under the test clock, moving it on in steps while real requests go to the
 * local server; gives the exit and the virtual time it took.
 */
function withVirtualTime<A, E, R>(effect: Effect.Effect<A, E, R>) {
  return Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect);
    let elapsed = 0;
    for (;;) {
      // Real time for the local server to answer, then virtual time for the waits.
      yield* TestClock.withLive(Effect.sleep("2 millis"));
      const done = fiber.pollUnsafe();
      if (done !== undefined) return { exit: done, elapsedMillis: elapsed };
      yield* TestClock.adjust("100 millis");
      elapsed += 100;
      assert.ok(elapsed < 10 * 60_000, "still running after ten virtual minutes");
    }
  }).pipe(Effect.provide(TestClock.layer()));
}

const failureOf = <A>(exit: Exit.Exit<A, WandbError>): WandbError => {
  assert.ok(Exit.isFailure(exit), "expected a failure");
  const reason = exit.cause.reasons.find((r) => r._tag === "Fail");
  assert.ok(reason?._tag === "Fail", String(exit.cause));
  return reason.error;
};

Deno.test("the default retry budget holds: a server that keeps failing is given up within 60 s", async (t) => {
  await t.step("HTTP 503 at once, every time", async () => {
    const { error, elapsedMillis, requests } = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults(...Array(100).fill({ status: 503 }));
        const api = yield* Api;
        const { exit, elapsedMillis } = yield* withVirtualTime(api.viewer);
        return {
          error: failureOf(exit),
          elapsedMillis,
          requests: countOperation(server, "GetViewer"),
        };
      }),
    );
    assert.equal(error._tag, "ServerError");
    // Waits of 0.1, 0.2, … 25.6 s (jittered): the tenth wait would cross the minute.
    assert.ok(elapsedMillis <= 60_000, `took ${elapsedMillis} ms of virtual time`);
    assert.ok(elapsedMillis >= 30_000, `gave up early, after ${elapsedMillis} ms`);
    assert.ok(requests >= 8 && requests <= 11, `${requests} requests`);
    assert.match(error.message, /gave up after \d+ attempts/);
  });

  await t.step("a server that never answers: attempts cut off where the budget ends", async () => {
    let retries = 0;
    const { error, elapsedMillis } = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults(...Array(20).fill({ kind: "delay", ms: 1_000 }));
        const api = yield* Api;
        const { exit, elapsedMillis } = yield* withVirtualTime(api.viewer);
        return { error: failureOf(exit), elapsedMillis };
      }),
      // Each attempt times out after 1 virtual second (the server's real second is longer).
      { api: { timeout: "1 second", retryBudget: "5 seconds", onRetry: () => void retries++ } },
    );
    assert.equal(error._tag, "TransportError");
    assert.equal(error._tag === "TransportError" && error.reason, "timeout");
    assert.ok(elapsedMillis <= 5_100, `took ${elapsedMillis} ms of virtual time`);
    assert.ok(retries >= 2, `${retries} retries`);
  });
});

Deno.test("a Retry-After past the budget fails at once, saying when to come back", async () => {
  const [error, requests] = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults({ status: 429, headers: { "Retry-After": "120" } });
      const api = yield* Api;
      const error = yield* Effect.flip(api.viewer);
      return [error, countOperation(server, "GetViewer")] as const;
    }),
  );
  assert.equal(error._tag, "RateLimitedError");
  assert.equal(requests, 1);
  assert.match(error.message, /asks to wait 120 s, past the 60 s retry budget: try again after/);
});

Deno.test("a server that is not there is reported at once, with the URL", async () => {
  const server = await startEmulator({ seed: false });
  const url = server.url;
  await server.close();
  const started = performance.now();
  const error = await Effect.runPromise(
    Effect.flip(viewerOf).pipe(
      Effect.provide(Api.layer({ apiKey: "k".repeat(40), baseUrl: url })),
      Effect.provide(FetchHttpClient.layer),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  assert.equal(error._tag, "TransportError");
  assert.equal(error._tag === "TransportError" && error.reason, "refused");
  assert.ok(error.message.includes(`${url}/graphql`), error.message);
  assert.match(
    error.message,
    /Connection refused .*is the server running\?.*gave up after 4 attempts/,
  );
  // Three retries of 0.1 + 0.2 + 0.4 s (jittered), not the whole budget.
  assert.ok(seconds < 5, `${seconds} s`);
});

Deno.test("a Deno permission refusal is its own error, never retried, naming the flag", async () => {
  const server = await startEmulator();
  try {
    const script = `
      import { Effect, Layer } from "effect";
      import { FetchHttpClient } from "effect/http";
      import { Api } from "${root}mod.ts";
      const exit = await Effect.runPromiseExit(
        Effect.gen(function* () { return yield* (yield* Api).viewer; }).pipe(
          Effect.provide(Api.layerFromEnv.pipe(Layer.provide(FetchHttpClient.layer))),
        ),
      );
      const error = exit._tag === "Failure" ? exit.cause.reasons[0].error : undefined;
      console.log(JSON.stringify({ tag: error?._tag, flag: error?.flag, message: error?.message }));
    `;
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        `--config=${root}deno.json`,
        "--allow-net=api.wandb.ai",
        "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT",
        `--allow-read=${root}`,
        "-",
      ],
      env: { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url },
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = output.stdin.getWriter();
    await writer.write(new TextEncoder().encode(script));
    await writer.close();
    const { stdout, stderr } = await output.output();
    const result = JSON.parse(new TextDecoder().decode(stdout).trim() || "{}");
    const host = new URL(server.url).host;
    assert.equal(result.tag, "RuntimePermissionError", new TextDecoder().decode(stderr));
    assert.equal(result.flag, `--allow-net=${host}`);
    assert.match(result.message, new RegExp(`Deno denied network access to ${host}`));
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});

Deno.test("answers past the size limit fail at the limit, without reading on", async (t) => {
  const limit = 1024 * 1024;
  await t.step("an endless body", async () => {
    const { error, sent, requests } = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "endless" });
        const api = yield* Api;
        const error = yield* Effect.flip(api.viewer);
        return {
          error,
          sent: server.hostileBytesSent,
          requests: countOperation(server, "GetViewer"),
        };
      }),
      { api: { maxResponseBytes: limit } },
    );
    assert.equal(error._tag, "TransportError");
    assert.equal(error._tag === "TransportError" && error.reason, "too-large");
    assert.ok(error._tag === "TransportError" && !error.isRetryable);
    assert.match(error.message, /larger than the 1 MiB read/);
    assert.equal(requests, 1);
    // What the server got to send: the limit, and what the sockets held when the client let go.
    assert.ok(sent < limit + 8 * 1024 * 1024, `the server sent ${sent} bytes`);
  });

  await t.step("a Content-Length of 5 GB, with fast data behind it", async () => {
    const { error, sent } = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "endless", declaredLength: 5e9 });
        const api = yield* Api;
        const error = yield* Effect.flip(api.viewer);
        return { error, sent: server.hostileBytesSent };
      }),
    );
    assert.equal(error._tag === "TransportError" && error.reason, "too-large");
    assert.match(error.message, /declared 5000000000 bytes/);
    // Refused on its headers: not a byte of the body was read on purpose.
    assert.ok(sent < 16 * 1024 * 1024, `the server sent ${sent} bytes`);
  });

  await t.step("a 401 with a 10 MB body: a short message, the first 64 KiB in detail", async () => {
    const error = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ status: 401, body: "x".repeat(10_000_000), chunkBytes: 65536 });
        const api = yield* Api;
        return yield* Effect.flip(api.viewer);
      }),
    );
    assert.equal(error._tag, "AuthenticationError");
    assert.ok(error.message.length < 400, `${error.message.length} characters`);
    assert.equal(error.detail?.length, 64 * 1024);
  });
});

Deno.test("a 1 MB GraphQL error: a short message, every error whole in `errors`", async () => {
  const huge = "e".repeat(1_000_000);
  const error = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      server.injectFaults({
        status: 200,
        body: JSON.stringify({ data: null, errors: [{ message: huge }, { message: "second" }] }),
      });
      const api = yield* Api;
      return yield* Effect.flip(api.viewer);
    }),
  );
  assert.equal(error._tag, "GraphqlError");
  assert.ok(error.message.length < 600, `${error.message.length} characters`);
  assert.ok(error._tag === "GraphqlError" && error.errors[0]!.message === huge);
  assert.match(error.message, /; second$/);
});

Deno.test("answers that are not W&B's: typed at once, or retried within the budget", async (t) => {
  for (
    const [name, fault, tag, pattern, attempts] of [
      [
        "a 200 HTML login page",
        { kind: "html", status: 200 },
        "DecodeError",
        /not JSON \(text\/html.*Sign in/,
        1,
      ],
      [
        "a 200 of binary garbage",
        { kind: "garbage" },
        "DecodeError",
        /not JSON \(application\/octet-stream/,
        1,
      ],
      [
        "a proxy's 502 page",
        { kind: "html", status: 502 },
        "ServerError",
        /HTTP 502.*502 Bad Gateway/,
        4,
      ],
      [
        "a connection reset mid-answer",
        { kind: "reset", afterBytes: 20 },
        "TransportError",
        /broke while reading/,
        4,
      ],
    ] as const
  ) {
    await t.step(name, async () => {
      const [error, requests] = await withServer(
        Effect.gen(function* () {
          const server = yield* LocalServer;
          server.injectFaults(...Array(10).fill(fault));
          const api = yield* Api;
          const error = yield* Effect.flip(api.viewer);
          return [error, countOperation(server, "GetViewer")] as const;
        }),
        { api: { retrySchedule: threeRetries } },
      );
      assert.equal(error._tag, tag);
      assert.match(error.message, pattern);
      assert.equal(requests, attempts);
    });
  }
});

Deno.test("a redirect of the API endpoint is an error naming where, and the key stays home", async () => {
  const elsewhere = await startEmulator({ seed: false });
  try {
    const [error, requests] = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        server.injectFaults({ kind: "redirect", location: `${elsewhere.url}/graphql` });
        const api = yield* Api;
        const error = yield* Effect.flip(api.viewer);
        return [error, countOperation(server, "GetViewer")] as const;
      }),
    );
    assert.equal(error._tag, "ServerError");
    assert.equal(error._tag === "ServerError" && error.redirectedTo, new URL(elsewhere.url).host);
    assert.match(
      error.message,
      /redirected .* \(HTTP 307\) to 127\.0\.0\.1:\d+; the API key was not sent there/,
    );
    assert.equal(requests, 1);
    assert.equal(elsewhere.requests.length, 0);
  } finally {
    await elsewhere.close();
  }
});

Deno.test("a server that dies mid-scan is reported at once", async () => {
  const server = await startEmulator();
  const started = { at: 0 };
  const error = await Effect.runPromise(
    Effect.gen(function* () {
      const api = yield* Api;
      return yield* api.runs("acme/mnist", { perPage: 5 }).pipe(
        Stream.tap(() =>
          Effect.promise(async () => {
            if (started.at === 0) {
              started.at = performance.now();
              await server.close();
            }
          })
        ),
        Stream.runDrain,
        Effect.flip,
      );
    }).pipe(
      Effect.provide(
        Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
          Layer.provide(FetchHttpClient.layer),
        ),
      ),
    ),
  );
  const seconds = (performance.now() - started.at) / 1000;
  assert.equal(error._tag, "TransportError");
  assert.ok(
    error._tag === "TransportError" && ["refused", "reset"].includes(error.reason),
    error.message,
  );
  assert.ok(seconds < 10, `${seconds} s after the server stopped`);
});

Deno.test("connectionError() reads what Deno's fetch said: refused, unknown host, reset", () => {
  // The causes as Deno 2.9's fetch gives them (a DNS lookup is not made here: the machine's
  // resolver is not on loopback).
  const said = (inner: string) => new TypeError("fetch failed", { cause: new Error(inner) });
  const url = "http://nowhere.invalid:8080/graphql?x=secret";
  const dns = connectionError(
    "GetViewer",
    url,
    said(
      "error sending request for url (http://nowhere.invalid:8080/graphql): client error (Connect): dns error: failed to lookup address information: Name or service not known",
    ),
    "connect",
  );
  assert.equal(dns._tag === "TransportError" && dns.reason, "dns");
  assert.match(
    dns.message,
    /^The host name nowhere\.invalid does not resolve \(http:\/\/nowhere\.invalid:8080\/graphql\)/,
  );
  assert.ok(!dns.message.includes("secret"));
  const refused = connectionError(
    "GetViewer",
    url,
    said(
      "client error (Connect): tcp connect error: Connection refused (os error 111)",
    ),
    "connect",
  );
  assert.equal(refused._tag === "TransportError" && refused.reason, "refused");
  const reset = connectionError(
    "GetViewer",
    url,
    new TypeError("error reading a body from connection"),
    "read",
  );
  assert.equal(reset._tag === "TransportError" && reset.reason, "reset");
});
