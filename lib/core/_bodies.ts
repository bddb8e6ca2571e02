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
 * Reads a body whole, up to `limit` bytes, by BYOB reads of the fetch body into one buffer (no
 * copy per chunk, as `arrayBuffer` makes), sized by the declared length when it is within the
 * limit and grown by doubling up to it otherwise. Clients that are not fetch-based are read as a
 * stream, to the same limit.
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
  // One byte more than the limit: the read that finds the end (or the excess) needs room.
  const allocate = (size: number) => {
    const wanted = Math.min(size, limit) + 1;
    return pool?.take(wanted) ?? new Uint8Array(wanted);
  };
  return Effect.tryPromise({
    try: async (signal): Promise<Uint8Array | "too-large"> => {
      const reader = body.getReader({ mode: "byob" });
      const stop = () => void reader.cancel().catch(() => {});
      signal.addEventListener("abort", stop, { once: true });
      try {
        let buffer = allocate(Number.isFinite(declared) ? declared : 64 * 1024);
        let filled = 0;
        for (;;) {
          if (filled === buffer.length) {
            if (filled > limit) {
              stop();
              pool?.give(buffer.buffer);
              return "too-large";
            }
            const bigger = allocate(buffer.length * 2);
            bigger.set(buffer);
            pool?.give(buffer.buffer);
            buffer = bigger;
          }
          const { value, done } = await reader.read(
            new Uint8Array(buffer.buffer, filled, buffer.length - filled),
          );
          // A BYOB read moves the buffer: the view it returns holds it now.
          if (value !== undefined) buffer = new Uint8Array(value.buffer);
          if (done) break;
          filled += value!.byteLength;
        }
        if (filled > limit) {
          pool?.give(buffer.buffer);
          return "too-large";
        }
        return buffer.subarray(0, filled);
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
