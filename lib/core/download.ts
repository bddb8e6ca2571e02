/**
 * The download engine behind run files and artifact entries: each file streamed to disk under a
 * temporary name (never whole in memory), hashed as it streams, renamed to its own name only
 * once its size and MD5 match what the server gave, resumed by `Range` from where it stopped
 * when a body is cut off (or when a killed download left its partial file), its signed URL
 * asked for again when storage refuses it as expired, a large file fetched in parts over
 * several connections, and many files in flight at once.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import {
  ChecksumError,
  type DownloadError,
  InvalidArgumentError,
  type LocalFileError,
  type RuntimePermissionError,
} from "./errors.ts";
import type { WandbClient } from "./transport.ts";
import { refusedAsExpired, renewable } from "./signed_urls.ts";
import { BufferPool } from "./buffers.ts";
import type * as Scope from "effect/Scope";
import { localMd5, type Md5, workerMd5, workerMd5Bytes } from "./_md5.ts";
import { positiveInteger } from "./_arguments.ts";
import * as Duration from "effect/Duration";
import { serverRequestedDelay } from "./retry.ts";
import { firstTry } from "./_download_first_try.ts";
import {
  bodyAttempts,
  defaultMemoryBudget,
  defaultPartsAtOnce,
  downloadBufferBytes,
  type DownloadedFile,
  type DownloadSource,
  type DownloadTuning,
  type ExistingFileOptions,
  filesUnder,
  hashFile,
  local,
  type MultipartOptions,
  readInto,
  statOf,
} from "./_download_common.ts";
import {
  downloadInParts,
  openSigned,
  partEnd,
  partStarts,
  progressText,
  type SignedUrl,
} from "./_download_parts.ts";
import {
  type DownloadGovernor,
  makeDownloadGovernor,
  minPartBytes,
  nearMillis,
  partBytesFor,
} from "./_download_governor.ts";

// The engine's values, defined beside what reads and writes them; part of its surface.
export {
  defaultMemoryBudget,
  downloadBufferBytes,
  downloadBufferPool,
  type DownloadedFile,
  type DownloadSource,
  type DownloadTuning,
  type ExistingFileOptions,
  type MultipartOptions,
} from "./_download_common.ts";
export type { DownloadGovernor } from "./_download_governor.ts";

const invalidPath = (name: string, why: string) =>
  new InvalidArgumentError({
    argument: "path",
    value: name,
    message: `Refusing to write ${JSON.stringify(name)}: ${why}`,
  });

/**
 * Where a file named `name` by the server goes under `root`, refusing any name that would land
 * outside it: `..` segments, absolute paths, drive letters, backslashes and NUL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { safeLocalPath } from "@effect-wandb/api/files";
 * assert.ok(Effect.runSync(safeLocalPath("out", "media/a.png")) === "out/media/a.png");
 * assert.ok(Effect.runSync(Effect.flip(safeLocalPath("out", "../x")))._tag === "InvalidArgumentError");
 * ```
 */
export function safeLocalPath(
  root: string,
  name: string,
): Effect.Effect<string, InvalidArgumentError> {
  if (name.length === 0) return Effect.fail(invalidPath(name, "the name is empty"));
  if (name.includes("\0")) return Effect.fail(invalidPath(name, "the name holds a NUL"));
  if (name.includes("\\")) return Effect.fail(invalidPath(name, "the name holds a backslash"));
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) {
    return Effect.fail(invalidPath(name, "the name is an absolute path"));
  }
  const parts = name.split("/");
  if (parts.some((part) => part === "..")) {
    return Effect.fail(invalidPath(name, "the name climbs out of the download root"));
  }
  const clean = parts.filter((part) => part !== "" && part !== ".");
  if (clean.length === 0) return Effect.fail(invalidPath(name, "the name is a directory"));
  return Effect.succeed(`${root.replace(/\/+$/, "")}/${clean.join("/")}`);
}

/** What the downloads of one call share, made by {@link downloadCall}. */
export interface DownloadCall {
  /** The call's connections, and what they learn of storage. */
  readonly governor: DownloadGovernor;
  /** The largest buffer a read takes (two per connection). */
  readonly bufferBytes: number;
  /** The buffers, handed from one download to the next. */
  readonly buffers: BufferPool;
  /** Paths under the root (relative, `/`) present when the call began; none: not listed. */
  readonly existing: ReadonlySet<string> | undefined;
  /** Directories made (or found) by this call's downloads. */
  readonly directories: Set<string>;
}

/**
 * What the downloads of one call share (its connections, buffers, what is on disk already),
 * built for `files` files of which the caller keeps `concurrency` or, without one, lets them
 * grow from `initial` within `memoryBudget`.
 */
export function downloadCall(
  client: WandbClient,
  options: DownloadTuning & {
    readonly root: string;
    readonly files: number;
    readonly initial: number;
    readonly concurrency: number | undefined;
    /** List `root` once instead of asking about each file. */
    readonly listRoot: boolean;
  },
): Effect.Effect<
  DownloadCall,
  InvalidArgumentError | LocalFileError | RuntimePermissionError,
  Scope.Scope
> {
  return Effect.gen(function* () {
    const fixed = options.concurrency !== undefined;
    const initial = yield* positiveInteger("concurrency", options.concurrency ?? options.initial);
    const memoryBudget = yield* positiveInteger(
      "memoryBudget",
      options.memoryBudget ?? defaultMemoryBudget,
    );
    // A file alone takes large buffers; many share 4 MiB (a read returns what has arrived).
    const bufferBytes = downloadBufferBytes(options.files === 1 ? 1 : initial);
    const governor = makeDownloadGovernor(client, { initial, fixed, memoryBudget, bufferBytes });
    const existing = options.listRoot ? yield* listed(options.root) : undefined;
    const directories = new Set<string>();
    for (const path of existing ?? []) {
      directories.add(`${options.root.replace(/\/+$/, "")}/${path}`.replace(/\/[^/]*$/, ""));
    }
    return {
      governor,
      bufferBytes,
      buffers: new BufferPool(2 * governor.most + 2, Math.ceil(bufferBytes * 1.25) + 65536),
      existing,
      directories,
    };
  });
}

/** Every file under `root` (relative paths), or none when it does not exist. */
const listed = (root: string) =>
  Effect.tryPromise({
    try: () =>
      filesUnder(root).then(
        (paths) => new Set(paths),
        (e) => e instanceof Deno.errors.NotFound ? new Set<string>() : Promise.reject(e),
      ),
    catch: local("read", root),
  });

/**
 * Files at least this large are probed before they are split; a smaller one on far storage of
 * unknown rate comes in parts of 8 MiB at once (its probe would cost a large share of it: a
 * 64 MB file on W&B's storage takes 0.9 s probed, 0.7 s in parts at once).
 */
const probeFromBytes = 256 * 1024 * 1024;

/**
 * Bytes of a large file fetched first, alone, when storage is far and its rate not known yet:
 * a 64th of it, within 2 and 16 MiB; enough to time a connection (a fast one needs more than a
 * couple of MiB to show its rate), little enough that the parts after it are not kept waiting.
 */
const probeBytesFor = (size: number): number =>
  Math.min(16, Math.max(2, Math.floor(size / 64 / 1024 / 1024))) * 1024 * 1024;

/**
 * Turns a probe's bytes (`<path>.part`, `probed` bytes from the first) into a download in parts
 * that has written them: the file at its full size as `<path>.ranges`, and the progress a
 * stopped download in parts leaves, so that {@link downloadInParts} goes on from there.
 */
async function partsFromProbe(
  localPath: string,
  source: DownloadSource,
  size: number,
  partBytes: number,
  probed: number,
): Promise<void> {
  const written = partStarts(size, partBytes).map((start) =>
    Math.max(0, Math.min(probed, partEnd(size, partBytes, start)) - start)
  );
  await Deno.truncate(`${localPath}.part`, size);
  await Deno.rename(`${localPath}.part`, `${localPath}.ranges`);
  await Deno.writeTextFile(
    `${localPath}.ranges.json`,
    progressText({ size, partBytes, md5: source.md5 ?? null, written }),
  );
}

/**
 * Downloads one file to `root/<source.path>`: streamed into `<path>.part` (resumed from its
 * bytes if a killed download left it and `source.md5` will check them), hashed as it streams,
 * and renamed to its name only once its size and MD5 match the source's (a `ChecksumError`
 * otherwise, the part file removed). A body cut off mid-way is resumed by `Range` from the byte
 * it stopped at (started over when the server ignores the range); a signed URL storage refuses
 * is replaced by `source.refresh`.
 * A large file comes in parts over several connections instead (see {@link MultipartOptions}),
 * written into `<path>.ranges` and resumed from what each part wrote.
 *
 * A file's first request (from its first byte, to storage) is made as `FetchHttpClient` would
 * make it (its `Fetch` and `RequestInit`, from the calling context or else the `Api` layer's),
 * within the `Api`'s timeout; every request after it goes through the `Api`'s `HttpClient` and
 * retry policy. Holding a policy's effects for each of many small files cost more memory than
 * their bytes. (An `HttpClient` that is not `FetchHttpClient` sees only the requests after it.)
 *
 * @example
 * ```ts
 * import { downloadToFile } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchLog = (client: WandbClient, url: string) =>
 *   downloadToFile(client, { path: "output.log", url, operation: "GET run file" }, { root: "out" });
 * ```
 */
export function downloadToFile(
  client: WandbClient,
  source: DownloadSource,
  options: ExistingFileOptions & MultipartOptions & DownloadTuning & {
    readonly root: string;
    /** What the downloads of one call share (see {@link downloadCall}); its own otherwise. */
    readonly call?: DownloadCall | undefined;
  },
): Effect.Effect<DownloadedFile, DownloadError | InvalidArgumentError> {
  const { operation } = source;
  const authenticated = source.authenticated === true;
  return Effect.gen(function* () {
    const localPath = yield* safeLocalPath(options.root, source.path);
    if (authenticated && new URL(source.url).origin !== new URL(client.config.baseUrl).origin) {
      return yield* Effect.fail(
        new InvalidArgumentError({
          argument: "url",
          value: new URL(source.url).origin,
          message: "The API key is sent to the API's own server only, not to this URL's host",
        }),
      );
    }
    const call = options.call ?? (yield* downloadCall(client, {
      root: options.root,
      files: 1,
      initial: defaultPartsAtOnce,
      concurrency: options.partsAtOnce,
      memoryBudget: options.memoryBudget,
      listRoot: false,
    }));
    const { governor } = call;
    // The path under the root as safeLocalPath made it (its segments cleaned), as listed.
    const relative = localPath.slice(options.root.replace(/\/+$/, "").length + 1);
    const onDisk = (path: string, suffix = "") =>
      call.existing !== undefined && !call.existing.has(`${relative}${suffix}`)
        ? Effect.succeed(undefined)
        : statOf(`${path}${suffix}`);
    const existing = yield* onDisk(localPath);
    if (existing !== undefined) {
      if (
        options.keepVerified === true &&
        (source.size === undefined || existing.size === source.size)
      ) {
        const { hash, size } = yield* hashFile(localPath);
        const md5 = hash.digest("base64");
        if (source.md5 === undefined || md5 === source.md5) {
          return { localPath, path: source.path, size, md5, status: "verified" as const };
        }
      } else if (options.replace !== true && options.keepVerified !== true) {
        if (options.existOk === true) {
          return {
            localPath,
            path: source.path,
            size: existing.size,
            md5: undefined,
            status: "kept" as const,
          };
        }
        return yield* Effect.fail(
          new InvalidArgumentError({
            argument: "replace",
            value: localPath,
            message:
              `${localPath} already exists: pass replace: true to download it again, or existOk: true to keep it`,
          }),
        );
      }
    }
    const directory = localPath.slice(0, localPath.lastIndexOf("/"));
    if (!call.directories.has(directory)) {
      yield* Effect.tryPromise({
        try: () => Deno.mkdir(directory, { recursive: true }),
        catch: local("create", directory),
      });
      call.directories.add(directory);
    }
    const partPath = `${localPath}.part`;
    // A killed download leaves its part file: its bytes count, and are hashed again. Only
    // when an MD5 will check the whole file, though: without one (a reference), bytes of
    // content that changed since would pass unnoticed, so the download starts over.
    let part = yield* onDisk(localPath, ".part");
    if (part !== undefined && source.md5 === undefined) {
      yield* Effect.tryPromise({
        try: () => Deno.remove(partPath),
        catch: local("remove", partPath),
      });
      part = undefined;
    }
    // Without `source.refresh` the URL is never renewed (openSigned does not ask then).
    const signed: SignedUrl = renewable(source.url, source.refresh ?? Effect.succeed(source.url));
    /** The file in parts, with the call's buffers and connections. */
    const inParts = (size: number, partBytes: number, partsAtOnce: number) =>
      downloadInParts(client, source, signed, localPath, {
        size,
        partBytes,
        partsAtOnce,
        bufferBytes: call.bufferBytes,
        buffers: call.buffers,
        governor,
      });
    /** Set when the file's first bytes are to tell how it comes (see `probeBytes`). */
    let probe: { readonly size: number; readonly partsAtOnce: number } | undefined;
    if (part === undefined && source.size !== undefined && options.multipart !== false) {
      const partsAtOnce = yield* positiveInteger(
        "partsAtOnce",
        options.partsAtOnce ?? governor.most,
      );
      const chosen = options.partBytes === undefined
        ? undefined
        : yield* positiveInteger("partBytes", options.partBytes);
      // A download in parts that was stopped goes on in parts, whatever today's estimate.
      const stopped = (yield* onDisk(localPath, ".ranges.json")) !== undefined;
      const estimate = governor.meter.estimate(client.config);
      const parallel = Math.min(partsAtOnce, governor.current());
      if (
        options.multipart === undefined && chosen === undefined && !stopped &&
        source.md5 !== undefined && partsAtOnce > 1 && source.size >= probeFromBytes &&
        estimate?.bytesPerSecond === undefined &&
        (estimate?.firstByteMillis ?? Infinity) >= nearMillis
      ) {
        probe = { size: source.size, partsAtOnce };
      } else {
        const estimated = partBytesFor(source.size, estimate, parallel);
        const partBytes = options.multipart === true || stopped
          ? chosen ?? estimated ?? minPartBytes
          : estimated === undefined
          ? undefined
          : chosen ?? estimated;
        if (partBytes !== undefined && source.size > partBytes && partsAtOnce > 1) {
          const done = yield* inParts(source.size, partBytes, partsAtOnce);
          // `undefined`: storage would not send ranges; the file comes as one stream instead.
          if (done !== undefined) return done;
        }
      }
    }
    // Each file is hashed as it streams. (Many small files were hashed once written, by a Worker
    // of the call's: its isolate cost ~15 MB, and the download was no faster for it.)
    const partHashed = part === undefined ? undefined : yield* hashFile(partPath);
    let offset = part?.size ?? 0;
    // A large file from its first byte is hashed in a Worker, beside its reads and writes
    // (an MD5 on this thread made a 2 GB download take 2-3x as long as one without).
    // (A probe is hashed here: its bytes are read back into a Worker if one stream follows.)
    const hashWorker = Effect.acquireRelease(
      Effect.sync(workerMd5),
      (w) => Effect.sync(() => w?.close()),
    );
    const worker = partHashed === undefined && probe === undefined &&
        (source.size ?? 0) >= workerMd5Bytes
      ? yield* hashWorker
      : undefined;
    let md5: Md5 = worker ?? localMd5(partHashed?.hash);
    let total = source.size;
    // Far storage whose rate is not known yet: the file's first bytes come alone and are timed,
    // and the rest comes over this connection or in parts, as they say.
    let probeEnd = probe === undefined ? undefined : probeBytesFor(probe.size);
    let attempt = 1;
    /** The MD5 of the whole body, when the first try brought it (and it did not match). */
    let firstMd5: string | undefined;
    if (offset === 0 && probeEnd === undefined && !authenticated) {
      // The first request is a plain one (see _download_first_try.ts); what it leaves undone
      // goes on below, through the request policy, from the bytes it wrote.
      const url = signed.current();
      const first = yield* governor.connection(
        firstTry(client, url, {
          operation,
          partPath,
          localPath,
          size: source.size,
          expectedMd5: source.md5,
          md5,
          bufferBytes: call.bufferBytes,
          buffers: call.buffers,
          noteFirstByte: governor.noteFirstByte,
        }),
      );
      yield* governor.settle;
      governor.meter.bodyRead(first.read, first.bodyMillis);
      if (first.renamed) {
        const { read: size, md5: digest } = first;
        return { localPath, path: source.path, size, md5: digest, status: "downloaded" as const };
      }
      offset = first.read;
      total ??= first.totalSize;
      firstMd5 = first.md5;
      const { error } = first;
      if (!first.whole) {
        attempt = 2;
        if (error !== undefined && source.refresh !== undefined && refusedAsExpired(error)) {
          // An expired URL: the next request has a new one (shared with the call's other files).
          yield* signed.renew(url);
        } else if (error === undefined || error.isRetryable) {
          if (error !== undefined) client.config.onRetry?.(operation, error);
          yield* governor.trouble;
          // What the server asked for, if the budget allows it (else the policy says so).
          const asked = error === undefined ? undefined : serverRequestedDelay(error);
          yield* Effect.sleep(
            asked !== undefined && asked <= Duration.toMillis(client.config.retryBudget)
              ? asked
              : 100,
          );
        }
      }
    }
    const file = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => Deno.open(partPath, { write: true, create: true, append: true }),
        catch: local("open", partPath),
      }),
      (f) => Effect.sync(() => f.close()),
    );
    for (;; attempt++) {
      if (firstMd5 !== undefined || (total !== undefined && offset >= total)) break;
      const { read, broken, partial } = yield* governor.connection(Effect.gen(function* () {
        const open = yield* openSigned(client, source, signed, offset, probeEnd, governor);
        const firstByte = performance.now();
        if (open.start !== offset) {
          // The server sent the whole file instead of the range: start over.
          yield* Effect.tryPromise({
            try: () => file.truncate(0),
            catch: local("truncate", partPath),
          });
          md5 = localMd5();
          offset = 0;
        }
        total ??= open.totalSize;
        const body = yield* readInto(
          open,
          call.bufferBytes,
          call.buffers,
          file,
          md5,
          operation,
          partPath,
        );
        governor.meter.bodyRead(body.read, performance.now() - firstByte);
        if (body.broken) yield* governor.trouble;
        return { ...body, partial: open.partial };
      }));
      offset += read;
      if (probeEnd !== undefined && (!partial || (!broken && offset >= probeEnd))) {
        // Storage that ignores ranges sent it all; else the probe is in, and says how to go on.
        probeEnd = undefined;
        const partBytes = !partial || probe === undefined ? undefined : partBytesFor(
          probe.size,
          governor.meter.estimate(client.config),
          Math.min(probe.partsAtOnce, governor.current()),
        );
        if (partBytes !== undefined && probe!.size > partBytes) {
          yield* Effect.tryPromise({
            try: () => partsFromProbe(localPath, source, probe!.size, partBytes, offset),
            catch: local("rename", partPath),
          });
          const done = yield* inParts(probe!.size, partBytes, probe!.partsAtOnce);
          if (done !== undefined) return done;
          // Storage stopped answering ranges: the whole file, over one connection, from the start.
          return yield* downloadToFile(client, source, { ...options, multipart: false, call });
        }
        if (
          partial && probe !== undefined &&
          offset <= probeBytesFor(probe.size) &&
          probe.size >= workerMd5Bytes
        ) {
          const later = yield* hashWorker;
          if (later !== undefined) {
            const probed = yield* Effect.tryPromise({
              try: () => Deno.readFile(partPath),
              catch: local("read", partPath),
            });
            yield* Effect.promise(async () => await later.update(probed));
            md5 = later;
          }
        }
        attempt = 0;
        continue;
      }
      if (!broken && (total === undefined || offset >= total)) break;
      if (attempt >= bodyAttempts) {
        return yield* Effect.fail(
          new ChecksumError({
            operation,
            path: source.path,
            expected: `${total ?? "?"} bytes`,
            actual: `${offset} bytes`,
            message: `${source.path}: the download broke off ${bodyAttempts} times; ${offset} of ${
              total ?? "?"
            } bytes are kept in ${partPath} for the next try`,
          }),
        );
      }
      yield* Effect.sleep(`${100 * 2 ** (attempt - 1)} millis`);
    }
    const digest = firstMd5 ?? (yield* Effect.tryPromise({
      try: () => md5.digest(),
      catch: local("hash", partPath),
    }));
    const mismatch = source.size !== undefined && offset !== source.size
      ? { expected: `${source.size} bytes`, actual: `${offset} bytes` }
      : source.md5 !== undefined && digest !== source.md5
      ? { expected: source.md5, actual: digest }
      : undefined;
    if (mismatch !== undefined) {
      yield* Effect.promise(() => Deno.remove(partPath).catch(() => {}));
      return yield* Effect.fail(
        new ChecksumError({
          operation,
          path: source.path,
          ...mismatch,
          message:
            `${source.path}: received ${mismatch.actual} where the server has ${mismatch.expected}; nothing was kept`,
        }),
      );
    }
    yield* Effect.tryPromise({
      try: () => Deno.rename(partPath, localPath),
      catch: local("rename", partPath),
    });
    return {
      localPath,
      path: source.path,
      size: offset,
      md5: digest,
      status: "downloaded" as const,
    };
  }).pipe(
    Effect.scoped,
    // Without a stack trace each: a thousand files' traces would be ~30 MB of garbage.
    Effect.withSpan("wandb.download.file", { attributes: { operation, path: source.path } }, {
      captureStackTrace: false,
    }),
  );
}

/** Options of {@link downloadFiles}. */
export interface DownloadFilesOptions
  extends ExistingFileOptions, MultipartOptions, DownloadTuning {
  /** The directory files go under. */
  readonly root: string;
  /**
   * Files downloaded at once, kept as given; without it they start at 8 and grow while storage
   * keeps answering as fast (see {@link DownloadTuning.memoryBudget}).
   */
  readonly concurrency?: number | undefined;
}

/**
 * Downloads every file of a stream with {@link downloadToFile}, many at a time, and emits each
 * one done, in the stream's order. The first failure ends the stream (files already renamed
 * stay; none is left half-written under its name).
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { type DownloadSource, downloadFiles } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchAll = (client: WandbClient, sources: Stream.Stream<DownloadSource>) =>
 *   Stream.runCollect(downloadFiles(client, sources, { root: "out", concurrency: 16 }));
 * ```
 */
export function downloadFiles<E, R>(
  client: WandbClient,
  sources: Stream.Stream<DownloadSource, E, R>,
  options: DownloadFilesOptions,
): Stream.Stream<DownloadedFile, E | DownloadError | InvalidArgumentError, R> {
  return Stream.unwrap(
    Effect.map(
      downloadCall(client, {
        root: options.root,
        files: 2,
        initial: 8,
        concurrency: options.concurrency,
        memoryBudget: options.memoryBudget,
        listRoot: false,
      }),
      (call) =>
        Stream.mapEffect(
          sources,
          (source) => downloadToFile(client, source, { ...options, call }),
          // Files wait for one of the call's connections: as many start as it may ever allow.
          { concurrency: call.governor.most },
        ),
    ),
  );
}
