/**
 * Benchmark client for files and artifacts: one way of downloading, then one JSON line
 * `{ mode, seconds, cpuSeconds, bytes, peakRssMb }` (`cpuSeconds`: the process's CPU time while
 * timed, all threads).
 *
 *     deno run --allow-net=127.0.0.1 --allow-read --allow-write bench/artifact_client.ts \
 *       <ours|baseline|file|fetch|md5|bare|bare-file>[@n] <url> <apiKey> <outDir>
 *
 * - ours: `api.downloadArtifact` of the 1,000-file artifact (by default from 32 at a time,
 *   growing while that pays; streamed, verified); `ours@32`: held at 32.
 * - baseline: the official client's `artifact.download()` algorithm, on this runtime: the file
 *   URLs from `GetArtifactFileUrls`, 32 workers, each file downloaded whole into the md5 cache
 *   (`cache/obj/md5/<hex[:2]>/<hex[2:]>`), then copied into the root. (The official client
 *   itself runs too when `WANDB_PYTHON` names a Python that has it: bench/python/.)
 * - file: `api.downloadFile` of the large run file (in parts or not, as storage is measured);
 *   `file@single` over one connection, `file@parts` in parts of 8 MiB whatever its size.
 * - fetch: a plain `fetch` of the same file's signed URL piped to disk, nothing else.
 * - md5: no download: the MD5 of as many bytes as that file, from memory (the bound of a
 *   verified download of one file).
 * - bare-file: the least a verified download of the large file does on this runtime: a plain
 *   `fetch` piped to disk, and a Worker hashing the file back from the page cache behind it.
 * - bare@<n>: the least a verified download of the 1,000 files does on this runtime, <n> at once:
 *   `fetch`, reads into one reused buffer, each chunk written and hashed on this thread, the MD5
 *   compared; no retries, no resume, no Effect. What it takes in time and memory at a given
 *   number of connections bounds every client on this machine.
 */
import { createHash } from "node:crypto";
import process from "node:process";
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";

const [modeArg, url, apiKey, out] = Deno.args as [string, string, string, string];
// `<mode>@<n>`: that many files at once.
const [mode, concurrencyText] = modeArg.split("@") as [string, string | undefined];
const concurrency = concurrencyText === undefined || mode === "file"
  ? undefined
  : Number(concurrencyText);

let peakRss = Deno.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
}, 20);

const b64ToHex = (b64: string) =>
  Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");

// bare-file's Worker: hashes the file at `path` as it grows to `size` (reads to its current end,
// then waits a millisecond for more).
const readBackSource = `import { createHash } from "node:crypto";
self.onmessage = ({ data }) => {
  const hash = createHash("md5");
  const buffer = new Uint8Array(1024 * 1024);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const file = Deno.openSync(data.path);
  for (let at = 0; at < data.size;) {
    const n = file.readSync(buffer.subarray(0, Math.min(buffer.length, data.size - at)));
    if (n === null || n === 0) Atomics.wait(pause, 0, 0, 1);
    else {
      hash.update(buffer.subarray(0, n));
      at += n;
    }
  }
  file.close();
  self.postMessage(hash.digest("base64"));
};`;

const program = Effect.gen(function* () {
  const api = yield* Api;
  let started = performance.now();
  // CPU time of the whole process (every thread, the hashing Worker's too) while timed: what
  // the download costs the machine, for the bound of bench/artifacts.ts.
  let cpuAtStart = process.cpuUsage();
  const restartClocks = () => {
    started = performance.now();
    cpuAtStart = process.cpuUsage();
  };
  let bytes = 0;
  if (mode === "ours") {
    const artifact = yield* api.artifact("acme/artifact-bench/big-dataset:v0");
    const done = yield* api.downloadArtifact(artifact, { root: `${out}/root`, concurrency });
    bytes = done.files.reduce((n, f) => n + f.size, 0);
  } else if (mode === "baseline") {
    const artifact = yield* api.artifact("acme/artifact-bench/big-dataset:v0");
    const manifest = yield* api.artifactManifest(artifact);
    const digests = new Map(manifest.entries.map((e) => [e.path, e.digest]));
    const files = yield* Stream.runCollect(api.artifactFiles(artifact, { perPage: 5000 }));
    yield* Effect.promise(async () => {
      let next = 0;
      const worker = async () => {
        while (next < files.length) {
          const file = files[next++]!;
          const hex = b64ToHex(digests.get(file.name)!);
          const cached = `${out}/cache/obj/md5/${hex.slice(0, 2)}/${hex.slice(2)}`;
          await Deno.mkdir(cached.slice(0, cached.lastIndexOf("/")), { recursive: true });
          const response = await fetch(file.directUrl!);
          const tmp = `${cached}.tmp`;
          await response.body!.pipeTo(
            (await Deno.open(tmp, { write: true, create: true })).writable,
          );
          await Deno.rename(tmp, cached);
          const target = `${out}/root/${file.name}`;
          await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
          await Deno.copyFile(cached, target);
          bytes += file.size;
        }
      };
      await Promise.all(Array.from({ length: 32 }, worker));
    });
  } else if (mode === "bare") {
    const artifact = yield* api.artifact("acme/artifact-bench/big-dataset:v0");
    const manifest = yield* api.artifactManifest(artifact);
    const digests = new Map(manifest.entries.map((e) => [e.path, e.digest]));
    const files = yield* Stream.runCollect(api.artifactFiles(artifact, { perPage: 5000 }));
    restartClocks();
    yield* Effect.promise(async () => {
      let next = 0;
      const worker = async () => {
        let buffer = new ArrayBuffer(64 * 1024);
        while (next < files.length) {
          const entry = files[next++]!;
          const target = `${out}/root/${entry.name}`;
          await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
          using file = await Deno.open(target, { write: true, create: true });
          const hash = createHash("md5");
          const reader = (await fetch(entry.directUrl!)).body!.getReader({ mode: "byob" });
          for (;;) {
            const { done, value } = await reader.read(new Uint8Array(buffer));
            buffer = value!.buffer as ArrayBuffer;
            if (done) break;
            hash.update(value);
            for (let at = 0; at < value.length;) at += await file.write(value.subarray(at));
            bytes += value.length;
          }
          if (hash.digest("base64") !== digests.get(entry.name)) throw new Error(entry.name);
        }
      };
      await Promise.all(Array.from({ length: concurrency ?? 32 }, worker));
    });
  } else if (mode === "bare-file") {
    // The least a verified download of the large file does on this runtime: a plain `fetch` piped
    // to the file (Deno pipes it in Rust), and a Worker hashing the file back from the page
    // cache behind the writes. (Each read's bytes moved to a Worker, or hashed on this thread,
    // took longer here.)
    const file = yield* api.file("acme/artifact-bench/huge", "huge.bin");
    const target = `${out}/huge.bin`;
    restartClocks();
    const hashed = yield* Effect.promise(async () => {
      const handle = await Deno.open(target, { write: true, create: true, truncate: true });
      const worker = new Worker(
        URL.createObjectURL(new Blob([readBackSource], { type: "text/javascript" })),
        { type: "module" },
      );
      const digest = new Promise<string>((resolve) => {
        worker.onmessage = ({ data }) => resolve(data);
      });
      worker.postMessage({ path: target, size: file.size });
      await (await fetch(file.directUrl!)).body!.pipeTo(handle.writable);
      const md5 = await digest;
      worker.terminate();
      return md5;
    });
    if (hashed !== file.md5) throw new Error(`huge.bin: MD5 ${hashed}, the server's ${file.md5}`);
    bytes = file.size;
  } else if (mode === "md5") {
    // What bounds a verified download of one file: MD5 over as many bytes as the large file,
    // from memory, on one core (node:crypto, as the engine hashes).
    const file = yield* api.file("acme/artifact-bench/huge", "huge.bin");
    restartClocks(); // the hash alone, without the lookup of the file's size
    const chunk = new Uint8Array(2 * 1024 * 1024).fill(7);
    const hash = createHash("md5");
    for (let at = 0; at < file.size; at += chunk.length) {
      hash.update(chunk.subarray(0, Math.min(chunk.length, file.size - at)));
    }
    hash.digest("base64");
    bytes = file.size;
  } else {
    const file = yield* api.file("acme/artifact-bench/huge", "huge.bin");
    if (mode === "file") {
      // `file@single`: over one connection; `file@parts`: in parts of 8 MiB, whatever its size.
      const multipart = concurrencyText === undefined ? undefined : concurrencyText === "parts";
      const partBytes = multipart === true ? 8 * 1024 * 1024 : undefined;
      const done = yield* api.downloadFile(file, { root: out, multipart, partBytes });
      bytes = done.size;
    } else {
      yield* Effect.promise(async () => {
        const response = await fetch(file.directUrl!);
        const target = await Deno.open(`${out}/huge.bin`, { write: true, create: true });
        await response.body!.pipeTo(target.writable);
      });
      bytes = file.size;
    }
  }
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    mode,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytes,
  };
});

const result = await Effect.runPromise(program.pipe(
  Effect.provide(
    Api.layer({ apiKey, baseUrl: url, timeout: "120 seconds" }).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
  ),
));
clearInterval(sampler);
console.log(
  JSON.stringify({ ...result, mode: modeArg, peakRssMb: Math.round(peakRss / 1024 / 1024) }),
);
