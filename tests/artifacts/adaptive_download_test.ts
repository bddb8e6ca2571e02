// Artifact downloads that adapt to storage, over real HTTP against the local server: files in
// flight grow while storage answers as fast, a caller's concurrency is kept, and trouble (503s,
// cut bodies) loses and duplicates nothing.
import assert from "node:assert/strict";
import { Effect, Fiber } from "effect";
import { Api } from "../../mod.ts";
import { type CostProfile, type Emulator, LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";
import { filesUnder } from "../../lib/artifacts/download.ts";

/** Storage that waits 60 ms before each first byte, and nothing else. */
const slowFirstByte: CostProfile = {
  latencyMs: 0,
  jitterMs: 0,
  historyRowMicros: 0,
  storage: { firstByteMs: 60, bytesPerSecond: 100 * 1024 * 1024 },
};

/** An artifact of `files` small files in acme/mnist; returns its name. */
function manyFiles(server: Emulator, files: number): string {
  const store = server.store;
  const project = store.projects.get("acme", "mnist")!;
  store.artifacts.createVersion(
    store.artifacts.type(project.internalId, "dataset", true)!,
    "many-small",
    Array.from({ length: files }, (_, i) => ({
      path: `part-${String(i).padStart(4, "0")}.bin`,
      content: { seed: 500 + i, size: 2_000 + i },
    })),
  );
  return "acme/mnist/many-small:v0";
}

async function download(files: number, concurrency: number | undefined, faults = false) {
  const dir = await Deno.makeTempDir();
  try {
    return await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const artifact = yield* api.artifact(manyFiles(server, files));
        server.resetRequests();
        const running = yield* Effect.forkChild(
          api.downloadArtifact(artifact, { root: dir, concurrency }),
        );
        if (faults) {
          // Once the files are under way (the manifest is read by then): 503s and cut bodies.
          const storage = () => server.requests.filter((r) => r.path.startsWith("/_storage/"));
          while (storage().length < 60) yield* Effect.sleep("5 millis");
          for (let i = 0; i < 6; i++) {
            server.injectStorageFaults({ kind: "status", status: 503 }, {
              kind: "cut",
              afterBytes: 500,
            });
          }
        }
        const done = yield* Fiber.join(running);
        const onDisk = yield* Effect.promise(() => filesUnder(dir));
        return {
          peak: server.storagePeakInFlight,
          refused: server.requests.filter((r) =>
            r.path.startsWith("/_storage/") && r.status === 503
          )
            .length,
          done: done.files.map((f) => f.path),
          verified: done.files.every((f) => f.status === "downloaded"),
          onDisk: onDisk.sort(),
        };
      }),
      { server: { costProfile: slowFirstByte, countStorageInFlight: true } },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const names = (files: number) =>
  Array.from({ length: files }, (_, i) => `part-${String(i).padStart(4, "0")}.bin`);

Deno.test("files in flight grow past the official client's 32 while storage answers as fast", async () => {
  const grown = await download(400, undefined);
  assert.deepEqual(grown.done, names(400));
  assert.deepEqual(grown.onDisk, names(400));
  assert.ok(grown.verified);
  assert.ok(grown.peak > 32, `peak ${grown.peak}`);
});

Deno.test("a caller's concurrency is kept as given", async () => {
  const held = await download(200, 16);
  assert.deepEqual(held.onDisk, names(200));
  assert.ok(held.peak <= 16 && held.peak >= 8, `peak ${held.peak}`);
});

Deno.test("through 503s and cut bodies (each halves the connections) nothing is lost or doubled", async () => {
  const troubled = await download(300, undefined, true);
  assert.equal(troubled.refused, 6);
  assert.deepEqual(troubled.done, names(300));
  assert.deepEqual(troubled.onDisk, names(300));
  assert.ok(troubled.verified);
});

Deno.test("a re-run finds files listed under the root even when the manifest's paths are not clean", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const result = await withServer(
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const store = server.store;
        const project = store.projects.get("acme", "mnist")!;
        store.artifacts.createVersion(
          store.artifacts.type(project.internalId, "dataset", true)!,
          "unclean-paths",
          ["./top.bin", "nested//deep.bin", "plain.bin"].map((path, i) => ({
            path,
            content: { seed: 900 + i, size: 3_000 + i },
          })),
        );
        const artifact = yield* api.artifact("acme/mnist/unclean-paths:v0");
        const first = yield* api.downloadArtifact(artifact, { root: dir });
        server.resetRequests();
        const again = yield* api.downloadArtifact(artifact, { root: dir });
        const gets = server.requests.filter((r) =>
          r.path.startsWith("/_storage/objects/") &&
          !r.path.includes("manifest")
        ).length;
        return { first, again, gets };
      }),
    );
    assert.deepEqual(result.first.files.map((f) => f.status), [
      "downloaded",
      "downloaded",
      "downloaded",
    ]);
    assert.deepEqual(result.again.files.map((f) => f.status), ["verified", "verified", "verified"]);
    assert.equal(result.gets, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
