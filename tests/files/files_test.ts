// Run files over real HTTP against the local server: listing, lookup, verified streaming
// downloads (resume, re-signing, refusals), uploads and deletion.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { Effect, Fiber, Stream } from "effect";
import {
  Api,
  ChecksumError,
  InvalidArgumentError,
  type MultipartOptions,
  NotFoundError,
  type RunFile,
} from "../../mod.ts";
import { downloadToFile } from "../../lib/files/mod.ts";
import {
  type Emulator,
  type FileContent,
  generatedBytes,
  LocalServer,
  type SeedRun,
  testApiLayer,
  type TestApiOptions,
} from "../../lib/testing/mod.ts";
import { countOperation } from "../api/_harness.ts";

/** The seeded mnist run that holds the checkpoint and the `../` name. */
const bigRun = (server: Emulator): SeedRun =>
  server.seed.runs.find((r) => r.files.some((f) => f.name === "model.ckpt"))!;

/** The bytes a seeded file holds. */
async function seededBytes(run: SeedRun, name: string): Promise<Uint8Array> {
  const file = run.files.find((f) => f.name === name)!;
  if (file.text !== undefined) return new TextEncoder().encode(file.text);
  return new Uint8Array(
    await new Response(generatedBytes(file.seed!, 0, file.size!)).arrayBuffer(),
  );
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("base64");

/** Runs `body` with a fresh server and a temporary directory. */
async function withFiles<A, E>(
  body: (dir: string) => Effect.Effect<A, E, Api | Emulator>,
  options?: TestApiOptions,
): Promise<A> {
  const dir = await Deno.makeTempDir();
  try {
    return await Effect.runPromise(
      Effect.scoped(body(dir).pipe(Effect.provide(testApiLayer(options)))),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const storageRequests = (server: Emulator) =>
  server.requests.filter((r) => r.path.startsWith("/_storage/"));

/** The names in `dir`: what a download left there. */
const namesIn = (dir: string) =>
  Effect.promise(() => Array.fromAsync(Deno.readDir(dir), (entry) => entry.name));

/** Fetching in parts of 8 MiB, 3 at a time: model.ckpt (~55 MB) makes 7 parts. */
const inParts = { multipart: true, partBytes: 8 * 1024 * 1024, partsAtOnce: 3 } as const;

/** The range a storage request asked for, as `[from, last]`, or `undefined` without one. */
const rangeOf = (header: string | null) => {
  const match = /^bytes=(\d+)-(\d+)$/.exec(header ?? "");
  return match === null ? undefined : [Number(match[1]), Number(match[2])] as const;
};

/**
 * Runs `download` and interrupts it, as a kill would, once `started` says it has written
 * something (asked every millisecond, up to `tries` times).
 */
const killOnce = <A, E, R>(
  download: Effect.Effect<A, E, R>,
  started: () => Promise<boolean>,
  tries: number,
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(download);
    yield* Effect.promise(async () => {
      for (let i = 0; i < tries; i++) {
        if (await started()) return;
        await new Promise((r) => setTimeout(r, 1));
      }
    });
    yield* Fiber.interrupt(fiber);
  });

/** Downloads the big run's file `name` after the server's bytes for it changed to `content`. */
const downloadChanged = (
  name: string,
  content: (size: number) => FileContent,
  options?: MultipartOptions,
) =>
  withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const file = yield* api.file(`acme/mnist/${run.name}`, name);
      // The stored bytes change after the listing: same size, other content.
      const stored = server.store.runs.get("acme", "mnist", run.name)!;
      server.store.files.put(stored.seq, name, content(file.size));
      const error = yield* Effect.flip(api.downloadFile(file, { root: dir, ...options }));
      return { error, left: yield* namesIn(dir), file };
    })
  );

Deno.test("files() lists a run's files lazily, with names, patterns and paging", async () => {
  const result = await withFiles(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const path = `acme/mnist/${run.name}`;
      const all = yield* Stream.runCollect(api.files(path, { perPage: 2 }));
      const pages = countOperation(server, "RunFiles");
      server.resetRequests();
      const first = yield* Stream.runCollect(Stream.take(api.files(path, { perPage: 2 }), 1));
      const firstPages = countOperation(server, "RunFiles");
      const json = yield* Stream.runCollect(api.files(path, { pattern: "%.json" }));
      const named = yield* Stream.runCollect(api.files(path, { names: ["output.log", "nope"] }));
      const log = yield* api.file(path, "output.log");
      const missing = yield* Effect.flip(api.file(path, "nope.txt"));
      return { run, all, pages, first, firstPages, json, named, log, missing };
    })
  );
  const { run, all } = result;
  assert.deepEqual(all.map((f) => f.name), run.files.map((f) => f.name).sort());
  assert.equal(result.pages, Math.ceil(run.files.length / 2));
  assert.equal(result.first.length, 1);
  assert.equal(result.firstPages, 1);
  assert.deepEqual(result.json.map((f) => f.name), ["wandb-metadata.json"]);
  assert.deepEqual(result.named.map((f) => f.name), ["output.log"]);
  for (const file of all) {
    const bytes = await seededBytes(run, file.name);
    assert.equal(file.size, bytes.length, file.name);
    assert.equal(file.md5, md5(bytes), file.name);
    assert.equal(file.run.runId, run.name);
    assert.ok(file.directUrl?.includes("signature="), file.name);
    assert.ok(file.pathUri.startsWith("http://127.0.0.1") && !file.pathUri.includes("?"));
  }
  assert.equal(result.log.mimetype, "text/plain");
  assert.ok(result.log.url?.endsWith(`/files/acme/mnist/${run.name}/output.log`));
  assert.ok(result.missing instanceof NotFoundError);
  assert.match(result.missing.message, /nope\.txt/);
});

Deno.test("downloadFile() streams, verifies and places a file, and never sends the key to storage", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const path = `acme/mnist/${run.name}`;
      const files = yield* Stream.runCollect(api.files(path));
      const safe = files.filter((f) => !f.name.startsWith(".."));
      server.resetRequests();
      const done = yield* Stream.runCollect(
        api.downloadFiles(Stream.fromIterable(safe), { root: dir, concurrency: 3 }),
      );
      const storage = storageRequests(server);
      const texts = yield* Effect.promise(() =>
        Promise.all(safe.map((f) => Deno.readFile(`${dir}/${f.name}`)))
      );
      const leftovers = yield* namesIn(dir);
      return { run, safe, done, storage, texts, leftovers };
    })
  );
  assert.deepEqual(result.done.map((d) => d.path), result.safe.map((f) => f.name));
  assert.ok(result.done.every((d) => d.status === "downloaded"));
  for (let i = 0; i < result.safe.length; i++) {
    const expected = await seededBytes(result.run, result.safe[i]!.name);
    assert.equal(result.texts[i]!.length, expected.length);
    assert.equal(md5(result.texts[i]!), md5(expected), result.safe[i]!.name);
    assert.equal(result.done[i]!.md5, md5(expected));
  }
  assert.ok(result.done.some((d) => d.size > 50 * 1024 * 1024));
  // A small file in one request; one of 16 MiB or more in one request or in parts (as storage
  // was measured: near storage streams it whole), every byte asked for once.
  const byFile = Map.groupBy(result.storage, (r) => r.path);
  assert.equal(byFile.size, result.safe.length);
  for (const file of result.safe) {
    const asked = byFile.get(new URL(file.directUrl!).pathname)!;
    if (file.size < 16 * 1024 * 1024 || asked.length === 1) {
      assert.deepEqual(asked.map((r) => [r.range, r.status]), [[null, 200]], file.name);
    } else {
      assert.ok(asked.length > 1 && asked.every((r) => r.status === 206), file.name);
      const ranges = asked.map((r) => rangeOf(r.range)!).sort((a, b) => a[0] - b[0]);
      assert.equal(ranges.reduce((n, [from, last]) => n + last - from + 1, 0), file.size);
      assert.ok(ranges.every(([from], i) => i === 0 ? from === 0 : from === ranges[i - 1]![1] + 1));
    }
  }
  assert.ok(result.storage.every((r) => !r.credentials));
  assert.ok(!result.leftovers.some((n) => n.endsWith(".part")));
});

Deno.test("downloadFile() follows Python's replace and exist_ok", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const file = yield* api.file(`acme/mnist/${bigRun(server).name}`, "output.log");
      const first = yield* api.downloadFile(file, { root: dir });
      yield* Effect.promise(() => Deno.writeTextFile(`${dir}/output.log`, "edited"));
      const refused = yield* Effect.flip(api.downloadFile(file, { root: dir }));
      const kept = yield* api.downloadFile(file, { root: dir, existOk: true });
      const keptText = yield* Effect.promise(() => Deno.readTextFile(`${dir}/output.log`));
      const replaced = yield* api.downloadFile(file, { root: dir, replace: true });
      const replacedText = yield* Effect.promise(() => Deno.readTextFile(`${dir}/output.log`));
      const verified = yield* api.downloadFile(file, { root: dir, keepVerified: true });
      return { first, refused, kept, keptText, replaced, replacedText, verified, file };
    })
  );
  assert.equal(result.first.status, "downloaded");
  assert.ok(result.refused instanceof InvalidArgumentError);
  assert.match(result.refused.message, /already exists.*replace: true.*existOk: true/);
  assert.equal(result.kept.status, "kept");
  assert.equal(result.keptText, "edited");
  assert.equal(result.replaced.status, "downloaded");
  assert.equal(md5(new TextEncoder().encode(result.replacedText)), result.file.md5);
  assert.equal(result.verified.status, "verified");
});

Deno.test("a name that would land outside the root is refused before anything is written", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const escape = yield* api.file(`acme/mnist/${run.name}`, "../escape.txt");
      server.resetRequests();
      const errors: Array<unknown> = [];
      errors.push(yield* Effect.flip(api.downloadFile(escape, { root: `${dir}/root` })));
      for (const name of ["/etc/passwd", "C:/x", "a/../../b", "a\\b", "a\0b", ""]) {
        errors.push(
          yield* Effect.flip(api.downloadFile({ ...escape, name }, { root: `${dir}/root` })),
        );
      }
      const written = yield* namesIn(dir);
      return { errors, requests: storageRequests(server).length, written };
    })
  );
  assert.ok(result.errors.every((e) => e instanceof InvalidArgumentError), String(result.errors));
  assert.match((result.errors[0] as Error).message, /climbs out of the download root/);
  assert.equal(result.requests, 0);
  assert.deepEqual(result.written, []);
});

Deno.test("a body cut off mid-way is resumed by Range; a killed download resumes from its part file", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const path = `acme/mnist/${run.name}`;
      const image = (yield* Stream.runCollect(api.files(path, { pattern: "media/%" })))[0]!;
      server.resetRequests();
      server.injectStorageFaults({ kind: "cut", afterBytes: 700 });
      const resumed = yield* api.downloadFile(image, { root: dir });
      const cutRequests = storageRequests(server).map((r) => r.range);

      // Killed mid-download: interrupted once its part file has bytes.
      const checkpoint = yield* api.file(path, "model.ckpt");
      const target = `${dir}/model.ckpt`;
      // Over one connection: a download in parts resumes from its ranges (tested below).
      yield* killOnce(
        api.downloadFile(checkpoint, { root: dir, multipart: false }),
        () => Deno.stat(`${target}.part`).then((s) => s.size > 0, () => false),
        2_000,
      );
      const finalAfterKill = yield* Effect.promise(() =>
        Deno.stat(target).then(() => true, () => false)
      );
      const partSize = yield* Effect.promise(() => Deno.stat(`${target}.part`).then((s) => s.size));
      server.resetRequests();
      const again = yield* api.downloadFile(checkpoint, { root: dir, multipart: false });
      const againRanges = storageRequests(server).map((r) => r.range);
      return {
        image,
        resumed,
        cutRequests,
        checkpoint,
        finalAfterKill,
        partSize,
        again,
        againRanges,
      };
    })
  );
  assert.equal(result.resumed.md5, result.image.md5);
  assert.equal(result.cutRequests.length, 2);
  assert.equal(result.cutRequests[0], null);
  assert.match(result.cutRequests[1]!, /^bytes=\d+-$/);
  assert.equal(result.finalAfterKill, false);
  assert.ok(result.partSize > 0 && result.partSize < result.checkpoint.size, `${result.partSize}`);
  assert.equal(result.again.md5, result.checkpoint.md5);
  assert.equal(result.again.size, result.checkpoint.size);
  assert.equal(result.againRanges.length, 1);
  assert.equal(result.againRanges[0], `bytes=${result.partSize}-`);
});

Deno.test("a file's first request answered 429 waits as long as the server asked, tells onRetry, and the file comes whole", async () => {
  const retried: Array<string> = [];
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const image = (yield* Stream.runCollect(
        api.files(`acme/mnist/${run.name}`, { pattern: "media/%" }),
      ))[0]!;
      server.resetRequests();
      server.injectStorageFaults({ kind: "status", status: 429, headers: { "retry-after": "1" } });
      const started = performance.now();
      const done = yield* api.downloadFile(image, { root: dir });
      const millis = performance.now() - started;
      const statuses = storageRequests(server).map((r) => r.status);
      return { image, done, millis, statuses };
    }), {
    api: { onRetry: (operation, error) => retried.push(`${operation}: ${error._tag}`) },
  });
  assert.equal(result.done.md5, result.image.md5);
  assert.equal(result.done.size, result.image.size);
  assert.deepEqual(result.statuses, [429, 200]);
  assert.ok(result.millis >= 1000, `the download took ${result.millis} ms`);
  assert.deepEqual(retried, ["GET run file: RateLimitedError"]);
});

Deno.test("without an MD5 to check it, what a killed download left is not resumed from", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const file = yield* api.file(`acme/mnist/${run.name}`, "model.ckpt");
      // As a reference's bytes come: a plain URL, a size, no MD5.
      const source = (path: string) => ({
        path,
        url: file.directUrl!,
        md5: undefined,
        size: file.size,
        operation: "GET artifact reference",
      });
      // Left by a killed download of content that has changed since: bytes that are not these.
      const stale = new Uint8Array(4 * 1024 * 1024).fill(7);
      yield* Effect.promise(async () => {
        await Deno.writeFile(`${dir}/single.bin.part`, stale);
        await Deno.writeFile(`${dir}/parts.bin.ranges`, new Uint8Array(file.size).fill(7));
        const written = [8, 8, 8, 8, 8, 8, 8].map((n, i) =>
          Math.min(n * 1024 * 1024, file.size - i * 8 * 1024 * 1024)
        );
        await Deno.writeTextFile(
          `${dir}/parts.bin.ranges.json`,
          JSON.stringify({ size: file.size, partBytes: 8 * 1024 * 1024, md5: null, written }),
        );
      });
      server.resetRequests();
      const single = yield* downloadToFile(api.client, source("single.bin"), {
        root: dir,
        multipart: false,
      });
      const singleRanges = storageRequests(server).map((r) => r.range);
      server.resetRequests();
      const parts = yield* downloadToFile(api.client, source("parts.bin"), {
        root: dir,
        ...inParts,
      });
      const partsBytes = storageRequests(server).reduce((n, r) => {
        const [from, last] = rangeOf(r.range)!;
        return n + last + 1 - from;
      }, 0);
      return { file, single, singleRanges, parts, partsBytes, left: yield* namesIn(dir) };
    })
  );
  const expected = result.file.md5;
  assert.equal(result.single.md5, expected);
  assert.deepEqual(result.singleRanges, [null]);
  assert.equal(result.parts.md5, expected);
  assert.equal(result.partsBytes, result.file.size);
  assert.deepEqual(result.left.sort(), ["parts.bin", "single.bin"]);
});

Deno.test("a large file comes in parts over parallel ranges; a cut part resumes from its last byte", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const checkpoint = yield* api.file(`acme/mnist/${bigRun(server).name}`, "model.ckpt");
      server.resetRequests();
      server.injectStorageFaults({ kind: "cut", afterBytes: 1_000_000 });
      const done = yield* api.downloadFile(checkpoint, { root: dir, ...inParts });
      const requests = storageRequests(server);
      const bytes = yield* Effect.promise(() => Deno.readFile(`${dir}/model.ckpt`));
      return { checkpoint, done, requests, bytes, left: yield* namesIn(dir) };
    })
  );
  const { checkpoint, done, requests } = result;
  const parts = Math.ceil(checkpoint.size / inParts.partBytes);
  assert.ok(parts >= 5, `${parts} parts`);
  assert.equal(done.md5, checkpoint.md5);
  assert.equal(done.size, checkpoint.size);
  assert.equal(md5(result.bytes), checkpoint.md5);
  assert.deepEqual(result.left, ["model.ckpt"]);
  // Every part asked for once by its exact range, and the cut one once more from where it broke.
  const ranges = requests.map((r) => rangeOf(r.range));
  assert.ok(requests.every((r) => r.status === 206 && !r.credentials));
  assert.equal(ranges.length, parts + 1);
  const whole = ranges.filter((r) => r![0] % inParts.partBytes === 0);
  assert.deepEqual(
    whole.map((r) => r![0]).sort((a, b) => a - b),
    Array.from({ length: parts }, (_, i) => i * inParts.partBytes),
  );
  for (const [from, last] of whole as Array<readonly [number, number]>) {
    assert.equal(last, Math.min(checkpoint.size, from + inParts.partBytes) - 1);
  }
  const resumed = ranges.find((r) => r![0] % inParts.partBytes !== 0)!;
  // The bytes that arrived before the cut are kept (all but what was in flight).
  const kept = resumed[0] % inParts.partBytes;
  assert.ok(kept > 0 && kept <= 1_000_000, `${kept}`);
  assert.equal((resumed[1] + 1) % inParts.partBytes, 0);
});

Deno.test("bytes that do not match the server's MD5 fail with a ChecksumError and leave nothing", async () => {
  const text = (size: number) => new TextEncoder().encode("x".repeat(size));
  const seeded = async (size: number) =>
    new Uint8Array(await new Response(generatedBytes(4242, 0, size)).arrayBuffer());
  // config.yaml is hashed on this thread; model.ckpt (over 32 MiB) in a Worker as it streams,
  // or read back from disk as its parts land.
  const cases = [
    { name: "config.yaml", content: (size: number) => ({ bytes: text(size) }), options: {} },
    { name: "model.ckpt", content: (size: number) => ({ seed: 4242, size }), options: {} },
    { name: "model.ckpt", content: (size: number) => ({ seed: 4242, size }), options: inParts },
  ];
  for (const { name, content, options } of cases) {
    const result = await downloadChanged(name, content, options);
    assert.ok(result.error instanceof ChecksumError, String(result.error));
    assert.equal(result.error.expected, result.file.md5);
    const other = name === "config.yaml" ? text(result.file.size) : await seeded(result.file.size);
    assert.equal(result.error.actual, md5(other));
    assert.deepEqual(result.left, []);
  }
  // Storage holding another size: the first part's answer says so, and nothing is kept.
  const longer = (size: number) => ({ seed: 4242, size: size + 1 });
  const result = await downloadChanged("model.ckpt", longer, inParts);
  assert.ok(result.error instanceof ChecksumError, String(result.error));
  assert.equal(result.error.expected, `${result.file.size} bytes`);
  assert.equal(result.error.actual, `${result.file.size + 1} bytes`);
  assert.deepEqual(result.left, []);
});

Deno.test("storage that ignores ranges gets the file as one stream; a killed download in parts goes on from where each part stopped", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const checkpoint = yield* api.file(`acme/mnist/${bigRun(server).name}`, "model.ckpt");
      server.resetRequests();
      server.injectStorageFaults({ kind: "ignoreRange" });
      const whole = yield* api.downloadFile(checkpoint, { root: dir, ...inParts });
      const wholeRequests = storageRequests(server);
      const wholeLeft = yield* namesIn(dir);

      // Killed once its parts have saved their progress (every 16 MiB).
      yield* Effect.promise(() => Deno.remove(`${dir}/model.ckpt`));
      const progress = `${dir}/model.ckpt.ranges.json`;
      yield* killOnce(
        api.downloadFile(checkpoint, { root: dir, ...inParts }),
        () => Deno.stat(progress).then(() => true, () => false),
        5_000,
      );
      const leftAfterKill = yield* namesIn(dir);
      const { written } = JSON.parse(yield* Effect.promise(() => Deno.readTextFile(progress)));
      // A range the killed download asked for in its last moment can still reach the server
      // after the kill: let it land before counting what the next download asks.
      yield* Effect.sleep("200 millis");
      server.resetRequests();
      const again = yield* api.downloadFile(checkpoint, { root: dir, ...inParts });
      const againRanges = storageRequests(server).map((r) => rangeOf(r.range)!);
      const left = yield* namesIn(dir);
      return {
        checkpoint,
        whole,
        wholeRequests,
        wholeLeft,
        leftAfterKill,
        written,
        again,
        againRanges,
        left,
      };
    })
  );
  const { checkpoint } = result;
  assert.equal(result.whole.md5, checkpoint.md5);
  // The range answered with the whole file ended the parts; one stream from byte 0 followed.
  assert.ok(result.wholeRequests.some((r) => r.range !== null && r.status === 200));
  assert.equal(result.wholeRequests.at(-1)!.range, null);
  assert.equal(result.wholeRequests.filter((r) => r.range === null).length, 1);
  assert.deepEqual(result.wholeLeft, ["model.ckpt"]);
  // Killed: the parts and their progress stay, and the next download asks only for the rest.
  assert.deepEqual(result.leftAfterKill.sort(), ["model.ckpt.ranges", "model.ckpt.ranges.json"]);
  const kept = (result.written as Array<number>).reduce((n, w) => n + w, 0);
  assert.ok(kept >= 16 * 1024 * 1024 && kept < checkpoint.size, `${kept}`);
  const asked = result.againRanges.reduce((n, [from, last]) => n + last + 1 - from, 0);
  assert.equal(asked, checkpoint.size - kept);
  assert.equal(result.again.md5, checkpoint.md5);
  assert.equal(result.again.size, checkpoint.size);
  assert.deepEqual(result.left, ["model.ckpt"]);
});

Deno.test("many large files at once share a bounded number of connections for their parts", async () => {
  const result = await withFiles(
    (dir) =>
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const run = bigRun(server);
        const stored = server.store.runs.get("acme", "mnist", run.name)!;
        const names = ["shard-0.bin", "shard-1.bin", "shard-2.bin"];
        names.forEach((name, i) =>
          server.store.files.put(stored.seq, name, { seed: 500 + i, size: 12 * 1024 * 1024 })
        );
        const files = yield* Stream.runCollect(api.files(`acme/mnist/${run.name}`, { names }));
        server.resetRequests();
        const done = yield* Stream.runCollect(api.downloadFiles(Stream.fromIterable(files), {
          root: dir,
          concurrency: 3,
          multipart: true,
          partBytes: 1024 * 1024,
          partsAtOnce: 3,
        }));
        const requests = storageRequests(server);
        return { run, files, done, requests, peak: server.storagePeakInFlight };
      }),
    { server: { countStorageInFlight: true } },
  );
  assert.deepEqual(result.files.map((f) => f.name), ["shard-0.bin", "shard-1.bin", "shard-2.bin"]);
  for (const [i, file] of result.files.entries()) {
    const bytes = new Uint8Array(
      await new Response(generatedBytes(500 + i, 0, file.size)).arrayBuffer(),
    );
    assert.equal(file.md5, md5(bytes));
    assert.equal(result.done[i]!.md5, file.md5);
  }
  // 3 files of 12 parts, each 3 parts at once: 9 connections unbounded, 3 shared by the call.
  assert.equal(result.requests.length, 36);
  assert.ok(result.requests.every((r) => r.status === 206));
  assert.ok(result.peak > 1 && result.peak <= 3, `${result.peak} in flight`);
});

Deno.test("an expired signed URL is signed again and the download goes on, once for all its parts", async () => {
  const result = await withFiles(
    (dir) =>
      Effect.gen(function* () {
        const server = yield* LocalServer;
        const api = yield* Api;
        const run = bigRun(server);
        // Both lookups answer with URLs that have expired already (an event, not a wait).
        server.injectFaults(
          { kind: "staleUrls", operationName: "RunFiles" },
          { kind: "staleUrls", operationName: "RunFiles" },
        );
        const file = yield* api.file(`acme/mnist/${run.name}`, "output.log");
        const checkpoint = yield* api.file(`acme/mnist/${run.name}`, "model.ckpt");
        server.resetRequests();
        const done = yield* api.downloadFile(file, { root: dir });
        const statuses = storageRequests(server).map((r) => r.status);
        const lookups = countOperation(server, "RunFiles");
        // Six parts refused at once (more than the three new URLs a file may ask for).
        server.resetRequests();
        const parts = yield* api.downloadFile(checkpoint, {
          root: dir,
          ...inParts,
          partsAtOnce: 6,
        });
        const partStatuses = storageRequests(server).map((r) => r.status);
        const partLookups = countOperation(server, "RunFiles");
        return { done, file, statuses, lookups, checkpoint, parts, partStatuses, partLookups };
      }),
  );
  assert.equal(result.done.md5, result.file.md5);
  assert.deepEqual(result.statuses, [403, 200]);
  assert.equal(result.lookups, 1);
  assert.equal(result.parts.md5, result.checkpoint.md5);
  const refused = result.partStatuses.filter((status) => status === 403).length;
  assert.ok(refused >= 1 && refused <= 6, `${refused} refused`);
  assert.equal(result.partStatuses.filter((status) => status === 206).length, 7);
  assert.equal(result.partLookups, 1);
});

Deno.test("uploadFile() PUTs the bytes to a signed URL and the file lists and downloads back", async () => {
  const result = await withFiles((dir) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const bytes = new Uint8Array(300_000).map((_, i) => (i * 31) % 251);
      yield* Effect.promise(async () => {
        await Deno.mkdir(`${dir}/out/sub`, { recursive: true });
        await Deno.writeFile(`${dir}/out/sub/weights.bin`, bytes);
      });
      server.resetRequests();
      const uploaded = yield* api.uploadFile(
        `acme/mnist/${run.name}`,
        `${dir}/out/sub/weights.bin`,
        {
          root: `${dir}/out`,
        },
      );
      const puts = storageRequests(server).filter((r) => r.method === "PUT");
      const back = yield* api.downloadFile(uploaded, { root: `${dir}/back` });
      const outside = yield* Effect.flip(
        api.uploadFile(`acme/mnist/${run.name}`, `${dir}/out/sub/weights.bin`, {
          root: `${dir}/elsewhere`,
        }),
      );
      return { uploaded, puts, back, bytes, outside };
    })
  );
  assert.equal(result.uploaded.name, "sub/weights.bin");
  assert.equal(result.uploaded.size, result.bytes.length);
  assert.equal(result.uploaded.md5, md5(result.bytes));
  assert.equal(result.puts.length, 1);
  assert.ok(!result.puts[0]!.credentials);
  assert.equal(result.back.md5, md5(result.bytes));
  assert.ok(result.outside instanceof InvalidArgumentError);
});

Deno.test("deleteFile() deletes for a member and is refused, changing nothing, for others", async () => {
  const result = await withFiles(() =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const run = bigRun(server);
      const path = `acme/mnist/${run.name}`;
      const deleted = yield* api.deleteFile(yield* api.file(path, "config.yaml"));
      const gone = yield* Effect.flip(api.file(path, "config.yaml"));
      // Bob's private run: alice is not a member of bob's entity.
      const bobRun = server.seed.runs.find((r) => r.entity === "bob")!;
      const stored = server.store.runs.get("bob", bobRun.project, bobRun.name)!;
      const bobFile = server.store.files.list(stored.seq)[0]!;
      const foreign: RunFile = {
        ...deleted,
        id: btoa(`File:${bobFile.id}`),
        name: bobFile.name,
        run: { entity: "bob", project: bobRun.project, runId: bobRun.name },
      };
      const refused = yield* Effect.flip(api.deleteFile(foreign));
      const stillThere = server.store.files.get(bobFile.id) !== undefined;
      return { deleted, gone, refused, stillThere };
    })
  );
  assert.equal(result.deleted.name, "config.yaml");
  assert.ok(result.gone instanceof NotFoundError);
  assert.equal(result.refused._tag, "PermissionError");
  assert.ok(result.stillThere);
});
