// Downloads under storage faults drawn by effect/Arbitrary: bodies cut off at odd bytes, refused
// and failing requests, storage that ignores ranges, in any order, against one artifact fetched
// whole and in parts. Whatever happens, no file under its own name holds wrong bytes, a failure
// is a typed error, and a download run again without faults finishes every file verified.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Arbitrary, Effect, Schedule, Schema } from "effect";
import { Api } from "../../mod.ts";
import { filesUnder } from "../../lib/artifacts/download.ts";
import {
  type Emulator,
  LocalServer,
  type StorageFault,
  testApiLayer,
} from "../../lib/testing/mod.ts";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("base64");

const fault: Arbitrary.Arbitrary<StorageFault> = Arbitrary.schema(Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("cut"),
    // Before the first byte, inside a network read, past a part of 256 KiB, near the end.
    afterBytes: Schema.Literals([0, 1, 4_096, 65_537, 300_000, 2_000_000]),
  }),
  // 400 and 403: as storage refuses an expired URL (the engine asks for a new one); 5xx: retried.
  Schema.Struct({ kind: Schema.Literal("status"), status: Schema.Literals([400, 403, 500, 503]) }),
  Schema.Struct({ kind: Schema.Literal("ignoreRange") }),
])) as Arbitrary.Arbitrary<StorageFault>;

const scenario = Arbitrary.all({
  faults: Arbitrary.array(fault, { maxLength: 6 }),
  concurrency: Arbitrary.schema(Schema.Literals([1, 2, 4])),
  // `false`: every file as one stream; else parts of this many bytes (the 2 MiB shard in 3 or 9).
  partBytes: Arbitrary.schema(Schema.Literals([false, 256 * 1024, 1024 * 1024])),
});

/** The typed errors a download may end in when storage misbehaves past what it retries. */
const typedErrors = ["ChecksumError", "ServerError", "PermissionError", "NotFoundError"];

Deno.test("fuzz: downloads under storage faults never leave wrong bytes under a file's name and finish when run again", async () => {
  const dir = await Deno.makeTempDir();
  let cases = 0;
  try {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const server: Emulator = yield* LocalServer;
        const api = yield* Api;
        const artifact = yield* api.artifact("acme/mnist/mnist-raw:prod");
        const manifest = yield* api.artifactManifest(artifact);
        const digests = new Map(manifest.entries.map((e) => [e.path, e.digest]));
        return yield* Arbitrary.checkEffect(
          scenario,
          ({ faults, concurrency, partBytes }) =>
            Effect.gen(function* () {
              const root = `${dir}/case-${cases++}`;
              // Made here: a download that fails before its first file leaves no directory.
              yield* Effect.promise(() => Deno.mkdir(root));
              const options = {
                root,
                concurrency,
                ...(partBytes === false
                  ? { multipart: false }
                  : { multipart: true, partBytes, partsAtOnce: 3 }),
              };
              server.clearFaults();
              server.injectStorageFaults(...faults);
              const first = yield* Effect.result(api.downloadArtifact(artifact, options));
              server.clearFaults();
              const typed = first._tag === "Success" || typedErrors.includes(first.failure._tag);
              // Whatever the first try left: a file under its own name holds its own bytes.
              const left = yield* Effect.promise(() => filesUnder(root));
              const named = left.filter((path) => digests.has(path));
              const wrong = yield* Effect.promise(async () => {
                const bad: Array<string> = [];
                for (const path of named) {
                  if (md5(await Deno.readFile(`${root}/${path}`)) !== digests.get(path)) {
                    bad.push(path);
                  }
                }
                return bad;
              });
              // Run again without faults: every file, verified, and nothing else left behind.
              const again = yield* api.downloadArtifact(artifact, options);
              const after = (yield* Effect.promise(() => filesUnder(root))).sort();
              return typed && wrong.length === 0 &&
                again.files.length === digests.size &&
                again.files.every((f) => f.md5 === digests.get(f.path)) &&
                JSON.stringify(after) === JSON.stringify([...digests.keys()].sort());
            }),
          { runs: 40, seed: 20261206, maxShrinks: 20 },
        );
      }).pipe(
        Effect.provide(testApiLayer({
          // Retries of 5xx after 1-4 ms rather than the default's 100 ms and more.
          api: {
            retrySchedule: Schedule.max([Schedule.exponential("1 millis"), Schedule.recurs(4)]),
          },
        })),
        Effect.scoped,
      ),
    );
    assert.equal(Arbitrary.formatCheckFailure(result), undefined);
    assert.equal(result._tag === "Passed" && result.runs, 40);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
