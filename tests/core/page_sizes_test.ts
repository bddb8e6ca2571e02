// Listings without a caller's page size, over real HTTP against the local server: run files,
// artifact files and artifact versions start at the official client's 50, grow while pages come
// back fast, halve a page retried after a 5xx, and through 502s, 429s with a reset and dropped
// connections list every item once, in order, as a listing page by page does.
import assert from "node:assert/strict";
import { Effect, Layer, Schedule, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import { type Emulator, type Fault, startEmulator } from "../../lib/testing/mod.ts";

/** acme/mnist with a run of 700 files and an artifact of 700 files in 120 versions. */
async function manyItems(): Promise<Emulator> {
  const server = await startEmulator({ seed: { mnistRuns: 1 } });
  const store = server.store;
  const run = store.runs.insert("acme", "mnist", { name: "many-files", state: "finished" });
  for (let i = 0; i < 700; i++) {
    store.files.put(run.seq, `logs/${String(i).padStart(4, "0")}.txt`, { seed: i, size: 10 });
  }
  const project = store.projects.get("acme", "mnist")!;
  const type = store.artifacts.type(project.internalId, "dataset", true)!;
  for (let v = 0; v < 120; v++) {
    store.artifacts.createVersion(
      type,
      "shards",
      v === 0
        ? Array.from({ length: 700 }, (_, i) => ({
          path: `part-${String(i).padStart(4, "0")}.bin`,
          content: { seed: i, size: 8 },
        }))
        : [{ path: "v.txt", content: { seed: v, size: 4 } }],
    );
  }
  return server;
}

/** The three listings' items, by name, through `api` (page size left to the client). */
const listAll = (perPage: number | undefined) =>
  Effect.gen(function* () {
    const api = yield* Api;
    const files = yield* Stream.runCollect(api.files("acme/mnist/many-files", { perPage }));
    const first = yield* api.artifact("acme/mnist/shards:v0");
    const artifactFiles = yield* Stream.runCollect(api.artifactFiles(first, { perPage }));
    const versions = yield* Stream.runCollect(
      api.artifacts("dataset", "acme/mnist/shards", { perPage }),
    );
    return {
      files: Array.from(files, (f) => f.name),
      artifactFiles: Array.from(artifactFiles, (f) => f.name),
      versions: Array.from(versions, (a) => a.version),
    };
  });

const run = <A, E>(server: Emulator, body: Effect.Effect<A, E, Api>) =>
  Effect.runPromise(body.pipe(Effect.provide(
    Api.layer({
      apiKey: server.apiKey,
      baseUrl: server.url,
      // The faults fall on whichever listing asks next.
      retrySchedule: Schedule.max([Schedule.spaced("5 millis"), Schedule.recurs(12)]),
    }).pipe(Layer.provide(FetchHttpClient.layer), Layer.orDie),
  )));

Deno.test("run files, artifact files and versions: pages from 50, growing, every item once through 5xx, 429 and drops", async () => {
  const server = await manyItems();
  try {
    const byPage = await run(server, listAll(50));
    assert.equal(byPage.files.length, 700);
    assert.equal(byPage.artifactFiles.length, 700);
    assert.equal(byPage.versions.length, 120);
    server.resetRequests();
    const adaptive = await run(server, listAll(undefined));
    const sizes = (operation: string) =>
      server.requests.filter((r) => r.operationName === operation)
        .map((r) =>
          Number(
            Object.entries(r.variables).find(([k]) => /perPage|fileLimit|first|limit/i.test(k))
              ?.[1],
          )
        );
    assert.deepEqual(adaptive, byPage);
    // From the official client's 50, doubling while pages come back fast.
    assert.deepEqual(sizes("RunFiles").slice(0, 3), [50, 100, 200]);
    assert.deepEqual(sizes("GetArtifactFiles").slice(0, 3), [50, 100, 200]);
    assert.deepEqual(sizes("ProjectArtifacts").slice(0, 2), [50, 100]);

    const faults: Array<Fault> = [];
    for (const operationName of ["RunFiles", "GetArtifactFiles", "ProjectArtifacts"]) {
      faults.push(
        { operationName, status: 502 },
        { operationName, status: 429, headers: { "RateLimit-Reset": "0" } },
        { operationName, kind: "drop" },
      );
    }
    server.resetRequests();
    server.injectFaults(...faults);
    const faulted = await run(server, listAll(undefined));
    assert.deepEqual(faulted, byPage);
    // The page that met the 502 was asked again at half the size.
    for (const operation of ["RunFiles", "GetArtifactFiles", "ProjectArtifacts"]) {
      const asked = server.requests.filter((r) => r.operationName === operation);
      assert.equal(asked[0]!.status, 502, operation);
      assert.deepEqual(sizes(operation).slice(0, 2), [50, 25], operation);
    }
  } finally {
    await server.close();
  }
});
