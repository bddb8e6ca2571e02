// The key goes to the API's own origin and nowhere else: not to storage (which answers on an
// origin of its own, as W&B's buckets do), not to another port of the API's host, and not
// after a redirect, where the storage client follows without it.
import assert from "node:assert/strict";
import { Effect } from "effect";
import { Api, type RunFile } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "./_harness.ts";

/** A seeded run's log as a file known only by its `url` on the API (no signed URL). */
const byApiUrl = (file: RunFile): RunFile => ({ ...file, directUrl: null });

Deno.test("a file fetched by its API url follows W&B's redirect to storage without the key", async () => {
  const { bytes, requests, storageUrl } = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = server.seed.runs.find((r) => r.files.some((f) => f.name === "output.log"))!;
      const file = yield* api.file(`${run.entity}/${run.project}/${run.name}`, "output.log");
      server.resetRequests();
      const bytes = yield* api.client.download(file.url!, {
        operation: "GET run file",
        authenticated: true,
      });
      return { bytes, requests: [...server.requests], storageUrl: server.storageUrl };
    }),
  );
  assert.ok(bytes.length > 0);
  const [onApi, onStorage] = requests;
  assert.equal(requests.length, 2);
  // The API's `/files/…` answer, with the key; storage's, after the redirect, without it.
  assert.ok(onApi!.path.startsWith("/files/") && onApi!.credentials && onApi!.status === 302);
  assert.ok(onStorage!.path.startsWith("/_storage/") && !onStorage!.credentials);
  assert.equal(onStorage!.status, 200);
  assert.ok(storageUrl !== undefined);
});

Deno.test("an authenticated URL on the API's host but another port never receives the key", async (t) => {
  await t.step("the download engine refuses it before any request", async () => {
    const { error, requests } = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const run = server.seed.runs.find((r) => r.files.some((f) => f.name === "output.log"))!;
        const file = yield* api.file(`${run.entity}/${run.project}/${run.name}`, "output.log");
        // The same path, on storage's port: the API's host, another origin.
        const elsewhere = `${server.storageUrl}${new URL(file.url!).pathname}`;
        server.resetRequests();
        const dir = yield* Effect.promise(() => Deno.makeTempDir());
        const error = yield* Effect.flip(
          api.downloadFile({ ...byApiUrl(file), url: elsewhere }, { root: dir }),
        );
        yield* Effect.promise(() => Deno.remove(dir, { recursive: true }));
        return { error, requests: [...server.requests] };
      }),
    );
    assert.equal(error._tag, "InvalidArgumentError");
    assert.equal(requests.length, 0);
  });

  await t.step("and the transport sends it there without the key", async () => {
    const requests = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        server.resetRequests();
        yield* Effect.flip(
          api.client.download(`${server.storageUrl}/files/acme/mnist/x/output.log`, {
            operation: "GET run file",
            authenticated: true,
          }),
        );
        return [...server.requests];
      }),
    );
    assert.equal(requests.length, 1);
    assert.ok(!requests[0]!.credentials);
  });
});
