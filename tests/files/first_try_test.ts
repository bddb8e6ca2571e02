// A file's first request is a plain promise (lib/core/_download_first_try.ts): what it cannot
// finish goes on through the request policy. Here storage is a server of the test's own on
// 127.0.0.1 that misbehaves once, and the engine is driven directly.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Effect } from "effect";
import { FetchHttpClient } from "effect/http";
import { makeApiConfig, type WandbError } from "../../mod.ts";
import { downloadToFile } from "../../lib/files/mod.ts";
import { makeWandbClient, type WandbClient } from "../../lib/graphql.ts";

const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
const md5 = createHash("md5").update(bytes).digest("base64");

/** The whole file, as storage answers it. */
const whole = () => new Response(bytes, { headers: { "content-length": String(bytes.length) } });

/** Runs `body` with a temp dir and storage answering with `answer`; both are gone after it. */
async function withStorage(
  answer: (request: Request) => Response | Promise<Response>,
  body: (dir: string, port: number) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, answer);
  try {
    await body(dir, server.addr.port);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

/** Downloads the file from that storage into `dir`, as `weights.bin`. */
const downloadWeights = (client: WandbClient, port: number, dir: string) =>
  downloadToFile(client, {
    path: "weights.bin",
    url: `http://127.0.0.1:${port}/bucket/weights.bin?sig=1`,
    md5,
    size: bytes.length,
    operation: "GET test file",
  }, { root: dir });

Deno.test("a first request with no answer is cut off at the per-attempt timeout, and the next brings the file", async () => {
  const seen: Array<"stalled" | "answered"> = [];
  // The first request hangs until the test ends (the client gave up on it long before).
  let release = () => {};
  const stalled = new Promise<Response>((resolve) => {
    release = () => resolve(new Response(null, { status: 499 }));
  });
  const authorizations: Array<string | null> = [];
  const retried: Array<string> = [];
  await withStorage((request) => {
    authorizations.push(request.headers.get("authorization"));
    if (seen.length === 0) {
      seen.push("stalled");
      return stalled;
    }
    seen.push("answered");
    return whole();
  }, async (dir, port) => {
    try {
      const started = performance.now();
      const done = await Effect.runPromise(
        makeApiConfig({
          apiKey: "not-sent-to-storage",
          baseUrl: "http://127.0.0.1:9",
          timeout: "300 millis",
          onRetry: (operation: string, error: WandbError) =>
            retried.push(`${operation}: ${error._tag} ${(error as { reason?: string }).reason}`),
        }).pipe(
          Effect.flatMap(makeWandbClient),
          Effect.flatMap((client) => downloadWeights(client, port, dir)),
          Effect.provide(FetchHttpClient.layer),
          // Without the cut-off, the first request would wait forever: fail instead of hanging.
          Effect.timeout("10 seconds"),
        ),
      );
      const millis = performance.now() - started;
      assert.equal(done.md5, md5);
      assert.equal(done.size, bytes.length);
      assert.deepEqual(await Deno.readFile(`${dir}/weights.bin`), bytes);
      assert.deepEqual(seen, ["stalled", "answered"]);
      assert.deepEqual(authorizations, [null, null]);
      assert.deepEqual(retried, ["GET test file: TransportError timeout"]);
      assert.ok(millis >= 300, `the download took ${millis} ms`);
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["weights.bin"]);
    } finally {
      release();
    }
  });
});

Deno.test("a first request is sent as FetchHttpClient would send it for the Api: its fetch and RequestInit, our User-Agent, no authorization", async () => {
  const received: Array<Record<string, string | null>> = [];
  // What the Api's layer was given (a proxy's settings, say): a fetch of its own, which counts
  // what it sends and sends it, and default request options with a header and a token of the
  // user's that storage must not get.
  let sentByApiFetch = 0;
  const apiFetch: typeof fetch = (input, init) => {
    sentByApiFetch++;
    return fetch(input, init);
  };
  await withStorage((request) => {
    received.push({
      through: request.headers.get("x-through"),
      authorization: request.headers.get("authorization"),
      userAgent: request.headers.get("user-agent"),
    });
    return whole();
  }, async (dir, port) => {
    const client = await Effect.runPromise(
      makeApiConfig({ apiKey: "not-sent-to-storage", baseUrl: "http://127.0.0.1:9" }).pipe(
        Effect.flatMap(makeWandbClient),
        Effect.provide(FetchHttpClient.layer),
        Effect.provideService(FetchHttpClient.Fetch, apiFetch),
        Effect.provideService(FetchHttpClient.RequestInit, {
          headers: { "x-through": "proxy-a", authorization: "Bearer the-user's-token" },
        }),
      ),
    );
    // The download runs without them in its own context: the Api's are the ones used.
    const done = await Effect.runPromise(
      downloadWeights(client, port, dir).pipe(Effect.timeout("10 seconds")),
    );
    assert.equal(done.md5, md5);
    assert.equal(sentByApiFetch, 1);
    assert.deepEqual(received, [{
      through: "proxy-a",
      authorization: null,
      userAgent: client.config.userAgent,
    }]);
  });
});
