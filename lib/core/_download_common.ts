/**
 * What the download engine's parts share: the values it works with (a file's source, what a
 * download did, the options of existing files and of parts), buffer sizes, reading a body into a
 * file chunk by chunk, hashing a file on disk, and file errors that name Deno's refusals.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import * as Effect from "effect/Effect";
import {
  LocalFileError,
  type NotFoundError,
  type RequestError,
  type RuntimePermissionError,
} from "./errors.ts";
import type { OpenDownload } from "./transport.ts";
import { permissionDenied } from "./_permissions.ts";
import { BufferPool } from "./buffers.ts";
import { writeAll } from "./_write_all.ts";
import type { Md5 } from "./_md5.ts";

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

/** A failed file operation: Deno's refusal as what it is, anything else a `LocalFileError`. */
export const local = (operation: string, path: string) => (error: unknown) =>
  permissionDenied(operation, error, {
    permission: operation === "stat" || operation === "read" ? "read" : "write",
    target: path,
  }) ??
    new LocalFileError({
      operation,
      path,
      message: `Cannot ${operation} ${path}: ${error instanceof Error ? error.message : error}`,
    });

export const statOf = (path: string) =>
  Effect.tryPromise({
    try: () =>
      Deno.stat(path).catch((e) =>
        e instanceof Deno.errors.NotFound ? undefined : Promise.reject(e)
      ),
    catch: local("stat", path),
  });

/** Every file under `dir`, as paths relative to it with `/`. */
export async function filesUnder(dir: string, prefix = ""): Promise<Array<string>> {
  const out: Array<string> = [];
  for await (const entry of Deno.readDir(`${dir}/${prefix}`)) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(dir, relative));
    else out.push(relative);
  }
  return out;
}

/** The MD5 (base64) and size of a file's bytes, read in chunks; `from` an open hash when given. */
export function hashFile(path: string, hash: Hash = createHash("md5")) {
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
export const bufferBytesFor = (size: number | undefined, most: number) =>
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
export interface Chunk {
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
 * leaves no garbage behind it. `signal` cancels the body; the promise settles once the write in
 * flight has landed.
 */
export async function readBodyInto(
  body: ReadableStream<Uint8Array>,
  totalSize: number | undefined,
  most: number,
  pool: BufferPool | undefined,
  file: Deno.FsFile,
  md5: Md5,
  signal: AbortSignal,
  onWritten?: (bytes: number) => void,
): Promise<{ readonly read: number; readonly broken: boolean }> {
  const reader = body.getReader({ mode: "byob" });
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", stop, { once: true });
  let read = 0;
  const bufferBytes = bufferBytesFor(totalSize, most);
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
}

/** {@link readBodyInto} as an effect: interrupting it cancels the body. */
export function readInto(
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
    try: (signal) =>
      readBodyInto(open.body, open.totalSize, most, pool, file, md5, signal, onWritten),
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
export function settledOnInterrupt<A, E>(options: {
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
export const bodyAttempts = 5;

/** How a large file is fetched: in parts, over several connections at once. */
export interface MultipartOptions {
  /**
   * Fetch a large file in parts over several connections at once (Python's `multipart`): what
   * makes a checkpoint come at the speed of the link rather than of one connection, which
   * storage throttles. `false` always streams each file over one connection; `true` splits any
   * file larger than a part.
   * @default {a file one connection would take more than 8 first-byte waits to fetch, as measured; from 16 MiB before anything is measured}
   */
  readonly multipart?: boolean | undefined;
  /**
   * Bytes per part.
   * @default {about 4 first-byte waits of one connection's transfer (a part's wait a fifth of it), or the file's share of the connections if less, within 8 and 64 MiB}
   */
  readonly partBytes?: number | undefined;
  /**
   * Parts of one file in flight at once.
   * @default {as many as the call's connections allow}
   */
  readonly partsAtOnce?: number | undefined;
}

/** How many connections the downloads of one call may hold. */
export interface DownloadTuning {
  /**
   * Bytes the downloads of one call may hold in their connections (~1 MB each, as measured on
   * Deno's `fetch`: two buffers, the runtime's HTTP buffers and the heap they take): connections
   * grow while storage answers as fast as with fewer, up to what this leaves room for, and halve
   * on a 429, a 5xx, a timeout or a cut-off body. A `concurrency` of the caller's own is kept.
   * @default {75497472}
   */
  readonly memoryBudget?: number | undefined;
}

/**
 * {@link DownloadTuning.memoryBudget} unless told otherwise: 72 MiB (~62 connections), what keeps
 * a bundled program downloading 1,000 files from far storage within ~150 MB. Measured under
 * bench:artifacts --saas (medians of 6 alternating runs): 146 MB in 4.33 s, against 161 MB in
 * 4.16 s with 96 MiB.
 */
export const defaultMemoryBudget: number = 72 * 1024 * 1024;

/** Parts of one file in flight at once, for a download of that file alone. */
export const defaultPartsAtOnce = 8;
