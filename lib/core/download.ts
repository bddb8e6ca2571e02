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
import { createHash, type Hash } from "node:crypto";
import * as Effect from "effect/Effect";
import * as Semaphore from "effect/Semaphore";
import * as Stream from "effect/Stream";
import {
  ChecksumError,
  type DownloadError,
  InvalidArgumentError,
  LocalFileError,
  type NotFoundError,
  type RequestError,
  type RuntimePermissionError,
} from "./errors.ts";
import type { OpenDownload, WandbClient } from "./transport.ts";
import { permissionDenied } from "./_permissions.ts";
import { type Renewable, renewable, withSignedUrl } from "./signed_urls.ts";
import { BufferPool } from "./buffers.ts";
import { writeAll } from "./_write_all.ts";
import { localMd5, type Md5, prefixMd5, workerMd5, workerMd5Bytes } from "./_md5.ts";
import { positiveInteger } from "./_arguments.ts";
import { identity } from "effect/Function";

/** A file to download: where it goes, where it comes from, and what it must hash to. */
export interface DownloadSource {
  /** Its path under the download root, as the server names it (`media/images/a.png`). */
  readonly path: string;
  /** The URL to GET (a signed storage URL, fetched without credentials). */
  readonly url: string;
  /**
   * A fresh URL for the same bytes, asked for when storage refuses the one held (a signed URL
   * that expired during a long download).
   */
  readonly refresh?: Effect.Effect<string, RequestError | NotFoundError> | undefined;
  /** The MD5 of its bytes, base64 as W&B sends it; the download fails on another. */
  readonly md5?: string | undefined;
  /** Its size in bytes; the download fails on another. */
  readonly size?: number | undefined;
  /** Names the download in errors and traces. */
  readonly operation: string;
  /**
   * Send the API key: only for a URL on the `Api`'s own server (a file's `url` when it has no
   * signed one); the engine refuses to send it anywhere else.
   * @default {false}
   */
  readonly authenticated?: boolean | undefined;
}

/** What to do with a file already at the target path. */
export interface ExistingFileOptions {
  /**
   * Download again and replace it (Python's `replace=True`).
   * @default {false}
   */
  readonly replace?: boolean | undefined;
  /**
   * Keep it and do not fail (Python's `exist_ok=True`). Without `replace` or `existOk`, an
   * existing file fails the download with an `InvalidArgumentError`, as Python raises.
   * @default {false}
   */
  readonly existOk?: boolean | undefined;
  /**
   * Keep it when its size and MD5 match the source's, and download it again otherwise: what a
   * re-run of an artifact download does, fetching only what is missing or wrong.
   * @default {false}
   */
  readonly keepVerified?: boolean | undefined;
}

/** A file the engine put (or found) on disk. */
export interface DownloadedFile {
  /** Its path on disk. */
  readonly localPath: string;
  /** Its path under the root. */
  readonly path: string;
  readonly size: number;
  /** The MD5 of its bytes, base64 (`undefined` for a file kept without reading it). */
  readonly md5: string | undefined;
  /**
   * `downloaded` (fetched now), `verified` (already there with the right bytes) or `kept`
   * (already there, left as it was: `existOk`).
   */
  readonly status: "downloaded" | "verified" | "kept";
}

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

/** A failed file operation: Deno's refusal as what it is, anything else a `LocalFileError`. */
const local = (operation: string, path: string) => (error: unknown) =>
  permissionDenied(operation, error, {
    permission: operation === "stat" || operation === "read" ? "read" : "write",
    target: path,
  }) ??
    new LocalFileError({
      operation,
      path,
      message: `Cannot ${operation} ${path}: ${error instanceof Error ? error.message : error}`,
    });

const statOf = (path: string) =>
  Effect.tryPromise({
    try: () =>
      Deno.stat(path).catch((e) =>
        e instanceof Deno.errors.NotFound ? undefined : Promise.reject(e)
      ),
    catch: local("stat", path),
  });

/** The MD5 (base64) and size of a file's bytes, read in chunks; `from` an open hash when given. */
function hashFile(path: string, hash: Hash = createHash("md5")) {
  return Effect.tryPromise({
    try: async () => {
      using file = await Deno.open(path);
      let size = 0;
      for await (const chunk of file.readable) {
        hash.update(chunk);
        size += chunk.length;
      }
      return { hash, size };
    },
    catch: local("read", path),
  });
}

/**
 * Bytes per buffer of a download (the most one read takes): the file's size within 64 KiB and
 * `most`, so that many small files in flight hold little. A read returns what has arrived
 * (~90 KB at a time from a local server), so a larger buffer would sit mostly empty.
 */
const bufferBytesFor = (size: number | undefined, most: number) =>
  Math.min(most, Math.max(64 * 1024, size ?? most));

/**
 * The buffers of `concurrency` downloads at once (two each), handed from one download to the
 * next: a thousand files make no thousand buffers for the collector.
 */
export const downloadBufferPool = (concurrency: number): BufferPool =>
  new BufferPool(2 * concurrency + 2, Math.ceil(downloadBufferBytes(concurrency) * 1.25) + 65536);

/** The largest buffer a download takes: 256 KiB, or its share of 4 MiB among `concurrency`. */
export const downloadBufferBytes = (concurrency: number): number =>
  Math.max(64 * 1024, Math.min(256 * 1024, Math.floor(4 * 1024 * 1024 / concurrency)));

/** A read of the body: the bytes that arrived, and how the body went on. */
interface Chunk {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The body ended (`done`), or the connection broke mid-body (`broken`). */
  readonly end: "more" | "done" | "broken";
}

/**
 * One BYOB read of the body into `buffer`: whatever has arrived, up to its size. Each chunk is
 * written as it comes rather than gathered into large writes first: measured on a 2 GB file,
 * gathering 4 MiB before each write took 2-3x as long as writing each read's bytes.
 */
async function readChunk(
  reader: ReadableStreamBYOBReader,
  buffer: Uint8Array<ArrayBuffer>,
): Promise<Chunk> {
  try {
    const next = await reader.read(new Uint8Array(buffer.buffer));
    if (next.done) {
      // An empty view of the buffer, which goes back to the pool with it.
      const memory = (next.value?.buffer ?? new ArrayBuffer(0)) as ArrayBuffer;
      return { bytes: new Uint8Array(memory, 0, 0), end: "done" };
    }
    return { bytes: next.value as Uint8Array<ArrayBuffer>, end: "more" };
  } catch {
    // The buffer went with the failed read; the bytes before it are written already, so the
    // resumed request starts after them.
    return { bytes: new Uint8Array(0), end: "broken" };
  }
}

/**
 * Reads a download's body into the part file, hashing it; returns the bytes it read. Two
 * buffers take turns: while one chunk is written (on Deno's I/O threads) and hashed (here, or
 * copied to a Worker that hashes a large file), the next is read from the network into the
 * other. No buffer is made per chunk (reads are BYOB into the same memory), so a 2 GB download
 * leaves no garbage behind it.
 */
function readInto(
  open: OpenDownload,
  most: number,
  pool: BufferPool | undefined,
  file: Deno.FsFile,
  md5: Md5,
  operation: string,
  partPath: string,
  onWritten?: (bytes: number) => void,
): Effect.Effect<
  { readonly read: number; readonly broken: boolean },
  LocalFileError | RuntimePermissionError
> {
  return settledOnInterrupt({
    try: async (signal) => {
      const reader = open.body.getReader({ mode: "byob" });
      const stop = () => void reader.cancel().catch(() => {});
      signal.addEventListener("abort", stop, { once: true });
      let read = 0;
      const bufferBytes = bufferBytesFor(open.totalSize, most);
      const take = (): Uint8Array<ArrayBuffer> =>
        pool === undefined ? new Uint8Array(bufferBytes) : pool.take(bufferBytes);
      let spare = take();
      let chunk = await readChunk(reader, take());
      try {
        for (;;) {
          const { bytes, end } = chunk;
          read += bytes.byteLength;
          const writing = writeAll(file, bytes);
          const next = end === "more" ? readChunk(reader, spare) : undefined;
          const hashing = md5.update(bytes);
          await writing;
          onWritten?.(bytes.byteLength);
          await hashing;
          // The buffer read into is the next one to read into.
          const memory = new Uint8Array(bytes.buffer);
          if (next === undefined) {
            pool?.give(memory.buffer);
            return { read, broken: end === "broken" };
          }
          chunk = await next;
          spare = memory;
        }
      } finally {
        signal.removeEventListener("abort", stop);
        reader.releaseLock();
        // The buffers serve the next download of the pool; none is read after this.
        pool?.give(spare.buffer);
      }
    },
    catch: local("write", partPath),
  }).pipe(
    Effect.withSpan("wandb.download.body", { attributes: { operation } }, {
      captureStackTrace: false,
    }),
  );
}

/**
 * `Effect.tryPromise`, except that an interruption waits for the promise to settle after
 * aborting it: a write still in flight lands before the part file is closed and before the next
 * download of the same file reads the part file's size, never after.
 */
function settledOnInterrupt<A, E>(options: {
  readonly try: (signal: AbortSignal) => Promise<A>;
  readonly catch: (error: unknown) => E;
}): Effect.Effect<A, E> {
  return Effect.suspend(() => {
    const controller = new AbortController();
    const running = options.try(controller.signal);
    return Effect.tryPromise({ try: () => running, catch: options.catch }).pipe(
      Effect.onInterrupt(() =>
        Effect.promise(() => {
          controller.abort();
          return running.then(() => {}, () => {});
        })
      ),
    );
  });
}

/** Attempts of a file's body (the first included) before a cut-off download fails. */
const bodyAttempts = 5;

/** How a large file is fetched: in parts, over several connections at once. */
export interface MultipartOptions {
  /**
   * Fetch a large file in parts, `partsAtOnce` ranges at a time (Python's `multipart`): what
   * makes a checkpoint come at the speed of the link rather than of one connection, which
   * storage throttles. `false` always streams each file over one connection; `true` splits any
   * file larger than `partBytes`.
   * @default {true for files of 256 MiB or more}
   */
  readonly multipart?: boolean | undefined;
  /**
   * Bytes per part.
   * @default {67108864}
   */
  readonly partBytes?: number | undefined;
  /**
   * Parts of one file in flight at once.
   * @default {8}
   */
  readonly partsAtOnce?: number | undefined;
}

/** Files at least this large are fetched in parts unless told otherwise. */
export const multipartBytes: number = 256 * 1024 * 1024;

/** {@link MultipartOptions.partBytes} unless told otherwise. */
const defaultPartBytes = 64 * 1024 * 1024;

/** {@link MultipartOptions.partsAtOnce} unless told otherwise. */
const defaultPartsAtOnce = 8;

/** The URL a download holds, replaced when storage refuses it as expired. */
type SignedUrl = Renewable<string, RequestError | NotFoundError>;

/**
 * Opens the signed URL from `from` (to `end`, when given), asking `source.refresh` for a new
 * URL when storage refuses this one (a signed URL that expired): up to three times per file.
 * Parts refused at once share one request for it, and a part refused an URL already replaced
 * just takes the new one.
 */
function openSigned(
  client: WandbClient,
  source: DownloadSource,
  signed: SignedUrl,
  from: number,
  end: number | undefined,
): Effect.Effect<OpenDownload, RequestError | NotFoundError> {
  const open = (url: string) =>
    client.openDownload(url, from, {
      operation: source.operation,
      authenticated: source.authenticated === true,
      end,
    });
  return source.refresh === undefined ? open(signed.current()) : withSignedUrl(signed, open);
}

/** The bytes of a part are written: a Md5 that hashes nothing (the parts are hashed after). */
const noMd5: Md5 = { update: () => undefined, digest: () => Promise.resolve("") };

/** Storage answered a range with something else: the file is fetched as one stream instead. */
class RangesRefused {
  readonly _tag = "RangesRefused";
}

/** Bytes read back and hashed at a time, as the parts written from the start grow. */
const hashStepBytes = 8 * 1024 * 1024;

/** Bytes written across the parts between two saves of their progress. */
const saveStepBytes = 16 * 1024 * 1024;

/**
 * Downloads `source` in parts of `partBytes`, `partsAtOnce` at a time, each by a `Range`
 * request written at its offset of `<path>.ranges` (its full size from the start). The parts
 * written from the first byte on are read back and hashed as they grow (in a Worker when one
 * starts), so the MD5 is known soon after the last part lands; the file is renamed to its name
 * only once it matches. A part cut off resumes from its last byte. How far each part got is
 * kept beside it in `<path>.ranges.json` (saved every 16 MiB and when it stops), so a killed
 * download goes on from there; bytes that turn out wrong, or storage that does not answer
 * ranges as asked (`undefined`), leave nothing.
 */
function downloadInParts(
  client: WandbClient,
  source: DownloadSource,
  signed: SignedUrl,
  localPath: string,
  options: {
    readonly size: number;
    readonly partBytes: number;
    readonly partsAtOnce: number;
    readonly bufferBytes: number;
    readonly buffers: BufferPool | undefined;
    readonly partPermits: Semaphore.Semaphore | undefined;
  },
): Effect.Effect<DownloadedFile | undefined, DownloadError> {
  const { operation } = source;
  const { size, partBytes } = options;
  const rangesPath = `${localPath}.ranges`;
  const progressPath = `${rangesPath}.json`;
  const starts = Array.from({ length: Math.ceil(size / partBytes) }, (_, i) => i * partBytes);
  const lengthOf = (part: number) => Math.min(size, starts[part]! + partBytes) - starts[part]!;
  const progressOf = (written: ReadonlyArray<number>) =>
    JSON.stringify({ size, partBytes, md5: source.md5 ?? null, written });
  /** The bytes of each part a stopped download of this same file wrote, if it left them. */
  const resumable = async (): Promise<Array<number> | undefined> => {
    // Without an MD5 to check the whole file, no part of an earlier download is trusted.
    if (source.md5 === undefined) return undefined;
    try {
      const [text, ranges] = await Promise.all([
        Deno.readTextFile(progressPath),
        Deno.stat(rangesPath),
      ]);
      const { written } = JSON.parse(text);
      const valid = ranges.size === size && Array.isArray(written) &&
        written.length === starts.length &&
        written.every((n, part) => Number.isInteger(n) && n >= 0 && n <= lengthOf(part)) &&
        progressOf(written) === text;
      return valid ? written : undefined;
    } catch {
      return undefined;
    }
  };
  return Effect.suspend(() => {
    // The parts' buffers, handed from one part to the next (32 parts of a 2 GB file would
    // otherwise leave 32 pairs of buffers to the collector).
    const buffers = options.buffers ?? downloadBufferPool(options.partsAtOnce);
    const written = starts.map(() => 0);
    // Set when what is on disk must not be resumed from: wrong bytes, or storage without ranges.
    let discard = false;
    let saving = Promise.resolve();
    let unsaved = 0;
    /** Saves the progress, in order; what it counts was written before it is called. */
    const save = () => {
      const progress = progressOf(written);
      unsaved = 0;
      saving = saving.then(() => Deno.writeTextFile(progressPath, progress)).catch(() => {});
      return saving;
    };
    const mismatch = (expected: string, actual: string, why: string) => {
      discard = true;
      return new ChecksumError({
        operation,
        path: source.path,
        expected,
        actual,
        message: `${source.path}: ${why}; nothing was kept`,
      });
    };
    return Effect.gen(function* () {
      const resumed = yield* Effect.promise(resumable);
      if (resumed !== undefined) {
        written.splice(0, written.length, ...resumed);
      } else {
        yield* Effect.tryPromise({
          try: async () => {
            using file = await Deno.open(rangesPath, { write: true, create: true, truncate: true });
            await file.truncate(size);
          },
          catch: local("create", rangesPath),
        });
      }
      const hash = yield* Effect.acquireRelease(
        Effect.sync(() => prefixMd5(rangesPath)),
        (h) => Effect.sync(() => h.close()),
      );
      // The parts complete from the first byte on, and how far the hash has been told to read.
      let complete = 0;
      let hashedTo = 0;
      /** Tells the hash how far the bytes are written from the first on, every 8 MiB or so. */
      const hashWrittenPrefix = () => {
        while (complete < starts.length && written[complete] === lengthOf(complete)) complete++;
        const prefix = complete < starts.length ? starts[complete]! + written[complete]! : size;
        if (prefix - hashedTo >= hashStepBytes || prefix === size) {
          hashedTo = prefix;
          hash.advance(prefix);
        }
      };
      const onWritten = (part: number) => (bytes: number) => {
        written[part]! += bytes;
        unsaved += bytes;
        if (unsaved >= saveStepBytes) void save();
        hashWrittenPrefix();
      };
      hashWrittenPrefix(); // a resumed download hashes what it has from the start
      const fetchPart = (part: number) =>
        Effect.gen(function* () {
          const end = starts[part]! + lengthOf(part);
          if (starts[part]! + written[part]! >= end) return;
          const file = yield* Effect.acquireRelease(
            Effect.tryPromise({
              try: () => Deno.open(rangesPath, { write: true }),
              catch: local("open", rangesPath),
            }),
            (f) => Effect.sync(() => f.close()),
          );
          for (let attempt = 1;;) {
            const from = starts[part]! + written[part]!;
            if (from >= end) return;
            const open = yield* openSigned(client, source, signed, from, end);
            const refused = !open.partial || open.start !== from || (open.end ?? Infinity) > end
              ? new RangesRefused()
              : open.totalSize !== size
              ? mismatch(
                `${size} bytes`,
                `${open.totalSize} bytes`,
                `storage holds ${open.totalSize} bytes where the server has ${size}`,
              )
              : undefined;
            if (refused !== undefined) {
              discard = true;
              yield* Effect.promise(() => open.body.cancel().catch(() => {}));
              return yield* Effect.fail(refused);
            }
            yield* Effect.tryPromise({
              try: () => file.seek(from, Deno.SeekMode.Start),
              catch: local("seek", rangesPath),
            });
            const { read, broken } = yield* readInto(
              open,
              options.bufferBytes,
              buffers,
              file,
              noMd5,
              operation,
              rangesPath,
              onWritten(part),
            );
            // The part, or as much of it as storage sent at once: ask for the rest, if any.
            if (!broken && read > 0) continue;
            if (attempt >= bodyAttempts) {
              return yield* Effect.fail(
                new ChecksumError({
                  operation,
                  path: source.path,
                  expected: `${lengthOf(part)} bytes from byte ${starts[part]}`,
                  actual: `${written[part]} bytes`,
                  message: `${source.path}: the part from byte ${
                    starts[part]
                  } broke off ${bodyAttempts} times; the parts are kept in ${rangesPath} for the next try`,
                }),
              );
            }
            yield* Effect.sleep(`${100 * 2 ** (attempt - 1)} millis`);
            attempt++;
          }
        }).pipe(
          Effect.scoped,
          options.partPermits === undefined ? identity : options.partPermits.withPermits(1),
        );
      yield* Effect.forEach(starts, (_, part) => fetchPart(part), {
        concurrency: options.partsAtOnce,
        discard: true,
      });
      const digest = yield* Effect.tryPromise({
        try: () => hash.digest(),
        catch: local("hash", rangesPath),
      });
      if (source.md5 !== undefined && digest !== source.md5) {
        return yield* Effect.fail(
          mismatch(source.md5, digest, `received ${digest} where the server has ${source.md5}`),
        );
      }
      yield* Effect.tryPromise({
        try: () => Deno.rename(rangesPath, localPath),
        catch: local("rename", rangesPath),
      });
      return { localPath, path: source.path, size, md5: digest, status: "downloaded" as const };
    }).pipe(
      Effect.scoped,
      Effect.onExit((exit) =>
        Effect.promise(async () => {
          if (exit._tag === "Failure" && !discard) return await save();
          await saving;
          await Deno.remove(progressPath).catch(() => {});
          if (exit._tag === "Failure") await Deno.remove(rangesPath).catch(() => {});
        })
      ),
    );
  }).pipe(
    Effect.catchIf(
      (e): e is RangesRefused => e instanceof RangesRefused,
      () => Effect.succeed(undefined),
    ),
    Effect.withSpan("wandb.download.parts", { attributes: { operation, parts: starts.length } }, {
      captureStackTrace: false,
    }),
  );
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
