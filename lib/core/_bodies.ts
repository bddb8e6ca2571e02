/**
 * Reading answers' bodies, always to a limit: a body is read into one buffer no larger than the
 * limit allows, whatever its `Content-Length` says, and a body past the limit fails at the limit
 * without buffering more. A server that sends an endless answer, or lies about its length, costs
 * the client at most the limit.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import * as HttpClientResponse from "effect/http/HttpClientResponse";
import type { BufferPool } from "./buffers.ts";
import { type RuntimePermissionError, TransportError } from "./errors.ts";
import { connectionError, shownUrl } from "./_http_errors.ts";

/** How much of an error answer's body is read: enough for any message, little for a flood. */
export const errorBodyLimit = 64 * 1024;

const mebibytes = (bytes: number) => `${Math.round(bytes / 1024 / 102.4) / 10} MiB`;

const tooLarge = (operation: string, url: string, limit: number, declared?: number) =>
  new TransportError({
    operation,
    reason: "too-large",
    url: shownUrl(url),
    message: `The answer from ${shownUrl(url)} is larger than the ${mebibytes(limit)} read (${
      declared === undefined ? "it went on past it" : `it declared ${declared} bytes`
    }): raise maxResponseBytes if the server is right`,
  });

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /** The most bytes read; more fails with a `too-large` {@link TransportError}. */
  readonly limit: number;
  /** Where the buffer comes from (given back by the caller), or a new one when absent. */
  readonly pool?: BufferPool | undefined;
}

/**
 * Reads a body whole, up to `limit` bytes, by BYOB reads of the fetch body into blocks (no copy
 * per chunk, as `arrayBuffer` makes). The first block is the declared length when it is within the
 * limit (a body that keeps its word is one block, returned as it is); past it, each new block is
 * as large as what came so far, never past the limit, and the blocks are joined once at the end.
 * Refusing a body that goes on costs the limit, not twice it as a buffer grown by copying would.
 * Clients that are not fetch-based are read as a stream, to the same limit.
 */
export function readBody(
  operation: string,
  url: string,
  response: HttpClientResponse.HttpClientResponse,
  options: ReadBodyOptions,
): Effect.Effect<Uint8Array, TransportError | RuntimePermissionError> {
  const { limit, pool } = options;
  const declared = Number(response.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return cancelBody(response).pipe(
      Effect.andThen(Effect.fail(tooLarge(operation, url, limit, declared))),
    );
  }
  const web = HttpClientResponse.toWeb(response);
  if (Option.isNone(web) || web.value.body === null) {
    return readStreamed(operation, url, response, limit);
  }
  const body = web.value.body;
  const allocate = (size: number) => pool?.take(size) ?? new Uint8Array(size);
  return Effect.tryPromise({
    try: async (signal): Promise<Uint8Array | "too-large"> => {
      const reader = body.getReader({ mode: "byob" });
      const stop = () => void reader.cancel().catch(() => {});
      signal.addEventListener("abort", stop, { once: true });
      const full: Array<Uint8Array> = [];
      const giveBack = (blocks: ReadonlyArray<Uint8Array>) => {
        for (const b of blocks) pool?.give(b.buffer as ArrayBuffer);
      };
      try {
        // A declared length gets a buffer of exactly that size, which the caller keeps as it is
        // (a Parquet export is read from it without a copy); a read of one byte more then sees
        // the end, or a body longer than declared. Without one: one byte more than the limit in
        // all, as the read that finds the excess needs room.
        const exact = Number.isFinite(declared);
        let block = allocate(exact ? Math.max(1, declared) : Math.min(64 * 1024, limit) + 1);
        let filled = 0;
        let total = 0;
        for (;;) {
          if (filled === block.length) {
            full.push(block);
            block = allocate(
              exact && total === declared
                ? 1
                : Math.min(Math.max(total, 64 * 1024), limit + 1 - total),
            );
            filled = 0;
          }
          const { value, done } = await reader.read(
            new Uint8Array(block.buffer, filled, block.length - filled),
          );
          // A BYOB read moves the buffer: the view it returns holds it now.
          if (value !== undefined) block = new Uint8Array(value.buffer);
          if (done) break;
          filled += value!.byteLength;
          total += value!.byteLength;
          if (total > limit) {
            stop();
            giveBack([...full, block]);
            return "too-large";
          }
        }
        if (full.length === 0) return block.subarray(0, filled);
        // Exactly the length declared: the first buffer is the body.
        if (full.length === 1 && filled === 0) {
          giveBack([block]);
          return full[0]!;
        }
        const whole = new Uint8Array(total);
        let at = 0;
        for (const b of full) {
          whole.set(b, at);
          at += b.length;
        }
        whole.set(block.subarray(0, filled), at);
        giveBack([...full, block]);
        return whole;
      } finally {
        signal.removeEventListener("abort", stop);
      }
    },
    catch: (e) => connectionError(operation, url, e, "read"),
  }).pipe(
    Effect.flatMap((read) =>
      read === "too-large" ? Effect.fail(tooLarge(operation, url, limit)) : Effect.succeed(read)
    ),
  );
}

/** A body read from a non-fetch client's stream, to `limit`. */
function readStreamed(
  operation: string,
  url: string,
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
): Effect.Effect<Uint8Array, TransportError | RuntimePermissionError> {
  const chunks: Array<Uint8Array> = [];
  let size = 0;
  return response.stream.pipe(
    Stream.mapError((e) => connectionError(operation, url, e, "read")),
    Stream.runForEachWhile((chunk) =>
      Effect.sync(() => {
        size += chunk.length;
        if (size <= limit) chunks.push(chunk);
        return size <= limit;
      })
    ),
    Effect.flatMap(() => {
      if (size > limit) return Effect.fail(tooLarge(operation, url, limit));
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.length;
      }
      return Effect.succeed(bytes);
    }),
  );
}

/** Stops a body nobody will read, so its connection is let go. */
export function cancelBody(response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> {
  return Effect.promise(async () => {
    const web = HttpClientResponse.toWeb(response);
    if (Option.isSome(web)) await web.value.body?.cancel().catch(() => {});
  });
}

/**
 * An error answer's body as text, up to {@link errorBodyLimit} bytes (the rest is not read);
 * empty when it cannot be read.
 */
export function readErrorText(
  operation: string,
  url: string,
  response: HttpClientResponse.HttpClientResponse,
): Effect.Effect<string> {
  const web = HttpClientResponse.toWeb(response);
  if (Option.isNone(web)) {
    return readStreamed(operation, url, response, errorBodyLimit).pipe(
      Effect.map((bytes) => new TextDecoder().decode(bytes)),
      Effect.orElseSucceed(() => ""),
    );
  }
  const body = web.value.body;
  if (body === null) return Effect.succeed("");
  return Effect.promise(async () => {
    const reader = body.getReader();
    const chunks: Array<Uint8Array> = [];
    let size = 0;
    try {
      while (size < errorBodyLimit) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks.push(value.subarray(0, errorBodyLimit - size));
        size += Math.min(value.length, errorBodyLimit - size);
      }
    } catch {
      // What arrived before the break is all there is.
    } finally {
      await reader.cancel().catch(() => {});
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return new TextDecoder().decode(bytes);
  });
}
