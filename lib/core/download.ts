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
import * as Semaphore from "effect/Semaphore";
import * as Stream from "effect/Stream";
import { ChecksumError, type DownloadError, InvalidArgumentError } from "./errors.ts";
import type { WandbClient } from "./transport.ts";
import { renewable } from "./signed_urls.ts";
import type { BufferPool } from "./buffers.ts";
import { localMd5, type Md5, workerMd5, workerMd5Bytes } from "./_md5.ts";
import { positiveInteger } from "./_arguments.ts";
import {
  bodyAttempts,
  defaultPartBytes,
  defaultPartsAtOnce,
  downloadBufferBytes,
  downloadBufferPool,
  type DownloadedFile,
  type DownloadSource,
  type ExistingFileOptions,
  hashFile,
  local,
  multipartBytes,
  type MultipartOptions,
  readInto,
  statOf,
} from "./_download_common.ts";
import { downloadInParts, openSigned, type SignedUrl } from "./_download_parts.ts";

// The engine's values, defined beside what reads and writes them; part of its surface.
export {
  downloadBufferBytes,
  downloadBufferPool,
  type DownloadedFile,
  type DownloadSource,
  type ExistingFileOptions,
  multipartBytes,
  type MultipartOptions,
} from "./_download_common.ts";

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

/**
 * Downloads one file to `root/<source.path>`: streamed into `<path>.part` (resumed from its
 * bytes if a killed download left it and `source.md5` will check them), hashed as it streams,
 * and renamed to its name only once its size and MD5 match the source's (a `ChecksumError`
 * otherwise, the part file removed).
 * A body cut off mid-way is resumed by `Range` from the byte it stopped at (started over when
 * the server ignores the range); a signed URL storage refuses is replaced by `source.refresh`.
 * A large file comes in parts over several connections instead (see {@link MultipartOptions}),
 * written into `<path>.ranges` and resumed from what each part wrote.
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
  options: ExistingFileOptions & MultipartOptions & {
    readonly root: string;
    /** The largest buffer (two are used); see {@link downloadBufferBytes}. */
    readonly bufferBytes?: number | undefined;
    /** Where the buffers come from and go back to, shared by the downloads of one call. */
    readonly buffers?: BufferPool | undefined;
    /**
     * The parts in flight across the downloads of one call (each part takes a permit): many
     * large files at once then hold a bounded number of connections and buffers.
     */
    readonly partPermits?: Semaphore.Semaphore | undefined;
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
    const existing = yield* statOf(localPath);
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
    yield* Effect.tryPromise({
      try: () => Deno.mkdir(directory, { recursive: true }),
      catch: local("create", directory),
    });
    const partPath = `${localPath}.part`;
    // A killed download leaves its part file: its bytes count, and are hashed again. Only
    // when an MD5 will check the whole file, though: without one (a reference), bytes of
    // content that changed since would pass unnoticed, so the download starts over.
    let part = yield* statOf(partPath);
    if (part !== undefined && source.md5 === undefined) {
      yield* Effect.tryPromise({
        try: () => Deno.remove(partPath),
        catch: local("remove", partPath),
      });
      part = undefined;
    }
    // Without `source.refresh` the URL is never renewed (openSigned does not ask then).
    const signed: SignedUrl = renewable(source.url, source.refresh ?? Effect.succeed(source.url));
    if (part === undefined && source.size !== undefined) {
      const partBytes = yield* positiveInteger("partBytes", options.partBytes ?? defaultPartBytes);
      const partsAtOnce = yield* positiveInteger(
        "partsAtOnce",
        options.partsAtOnce ?? defaultPartsAtOnce,
      );
      if (
        source.size > partBytes && partsAtOnce > 1 &&
        (options.multipart ?? source.size >= multipartBytes)
      ) {
        const done = yield* downloadInParts(client, source, signed, localPath, {
          size: source.size,
          partBytes,
          partsAtOnce,
          bufferBytes: options.bufferBytes ?? downloadBufferBytes(1),
          buffers: options.buffers,
          partPermits: options.partPermits,
        });
        // `undefined`: storage would not send ranges; the file comes as one stream instead.
        if (done !== undefined) return done;
      }
    }
    const partHashed = part === undefined ? undefined : yield* hashFile(partPath);
    let offset = partHashed?.size ?? 0;
    // A large file from its first byte is hashed in a Worker, beside its reads and writes
    // (an MD5 on this thread made a 2 GB download take 2-3x as long as one without).
    const worker = partHashed === undefined && (source.size ?? 0) >= workerMd5Bytes
      ? yield* Effect.acquireRelease(Effect.sync(workerMd5), (w) => Effect.sync(() => w?.close()))
      : undefined;
    let md5: Md5 = worker ?? localMd5(partHashed?.hash);
    const file = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => Deno.open(partPath, { write: true, create: true, append: true }),
        catch: local("open", partPath),
      }),
      (f) => Effect.sync(() => f.close()),
    );
    let total = source.size;
    for (let attempt = 1;; attempt++) {
      if (total !== undefined && offset >= total) break;
      const open = yield* openSigned(client, source, signed, offset, undefined);
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
      const { read, broken } = yield* readInto(
        open,
        options.bufferBytes ?? downloadBufferBytes(1),
        options.buffers,
        file,
        md5,
        operation,
        partPath,
      );
      offset += read;
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
    const digest = yield* Effect.tryPromise({
      try: () => md5.digest(),
      catch: local("hash", partPath),
    });
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

/**
 * The parts in flight at once across the files of one call downloading `concurrency` files at a
 * time: as many as its files (or as one file's `partsAtOnce`, if more), so that 32 files at
 * once make at most 64 connections (32 streams and 32 parts) rather than 32 times 8.
 */
export const partPermitsFor = (
  concurrency: number,
  partsAtOnce: number | undefined,
): Semaphore.Semaphore =>
  Semaphore.makeUnsafe(Math.max(concurrency, partsAtOnce ?? defaultPartsAtOnce));

/** Options of {@link downloadFiles}. */
export interface DownloadFilesOptions extends ExistingFileOptions, MultipartOptions {
  /** The directory files go under. */
  readonly root: string;
  /**
   * Files downloaded at once.
   * @default {8}
   */
  readonly concurrency?: number | undefined;
}

/**
 * Downloads every file of a stream with {@link downloadToFile}, `concurrency` at a time, and
 * emits each one done, in the stream's order. The first failure ends the stream (files already
 * renamed stay; none is left half-written under its name).
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
  const concurrency = options.concurrency ?? 8;
  const bufferBytes = downloadBufferBytes(concurrency);
  return Stream.suspend(() => {
    const buffers = downloadBufferPool(concurrency);
    const partPermits = partPermitsFor(concurrency, options.partsAtOnce);
    return Stream.mapEffect(
      sources,
      (source) => downloadToFile(client, source, { ...options, bufferBytes, buffers, partPermits }),
      { concurrency },
    );
  });
}
