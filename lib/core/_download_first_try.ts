/**
 * The first request of a file that streams from its first byte over one connection, made as one
 * promise: the GET by the `fetch` the `HttpClient` uses, the body read into the part file and
 * hashed. Every later request of the file goes through the request policy (its retries, its
 * budget, its typed errors) and the `HttpClient`.
 *
 * Why a promise and not the policy's effects: a policy run and an `HttpClient` request build
 * ~65 KB of objects per file, and with ~80 files in flight on far storage enough of them are
 * alive at each young collection that V8 grows its young generation to its largest (~50 MB of
 * the process's memory; ~26 MB with the first try made so). For an artifact of 1,000 small
 * files (bench:artifacts --saas, bundled, medians of 4 alternating runs): peak RSS 207 → 176 MB,
 * and 4.33 → 3.94 s.
 *
 * A first try that does not bring the whole body hands over what it wrote and why it stopped:
 * the engine resumes from there through the policy, after the wait the server asked for.
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
import * as FetchHttpClient from "effect/http/FetchHttpClient";
import * as Duration from "effect/Duration";
import {
  type LocalFileError,
  type NotFoundError,
  type RequestError,
  type RuntimePermissionError,
  TransportError,
} from "./errors.ts";
import type { WandbClient } from "./transport.ts";
import type { BufferPool } from "./buffers.ts";
import type { Md5 } from "./_md5.ts";
import { connectionError, shownUrl, statusError } from "./_http_errors.ts";
import { local, readBodyInto, settledOnInterrupt } from "./_download_common.ts";
import { storageHeaders } from "./_http_clients.ts";

/** How a first try ended. */
export interface FirstTry {
  /** Bytes written to the part file. */
  readonly read: number;
  /** The body was read to its end (a 200 answer, not cut off). */
  readonly whole: boolean;
  /** The file's size, when the answer said it. */
  readonly totalSize: number | undefined;
  /** The wait for the first byte, when there was an answer (ms). */
  readonly firstByteMillis: number | undefined;
  /** The body's time after its first byte (ms). */
  readonly bodyMillis: number;
  /**
   * Why there was no 200 answer, as the policy names it (`undefined` when the answer was
   * another 2xx, or the body was cut off).
   */
  readonly error: RequestError | NotFoundError | undefined;
}

/** What a first try writes into, and with. */
export interface FirstTryOptions {
  readonly operation: string;
  /** The part file, open for writing at its start. */
  readonly file: Deno.FsFile;
  readonly partPath: string;
  readonly md5: Md5;
  readonly bufferBytes: number;
  readonly buffers: BufferPool;
}

/**
 * GETs `url` (a signed storage URL: never with the API key) and reads its body into
 * `options.file`, within the `Api`'s per-attempt timeout for the answer; `answered` is told of
 * the first byte's wait before the body is read (what the call's connections grow by). Fails
 * only with what the part file's disk refused; every network outcome is a {@link FirstTry}.
 */
export function firstTry(
  client: WandbClient,
  url: string,
  options: FirstTryOptions,
  answered: (firstByteMillis: number) => Effect.Effect<void>,
): Effect.Effect<FirstTry, LocalFileError | RuntimePermissionError> {
  const { config } = client;
  const { operation } = options;
  const timeoutMillis = Math.min(
    Duration.toMillis(config.timeout),
    Duration.toMillis(config.retryBudget),
  );
  return Effect.flatMap(Effect.context<never>(), (context) => {
    // What `FetchHttpClient` would send with: its `fetch` and the caller's `RequestInit`.
    const fetch = Context.get(context, FetchHttpClient.Fetch);
    const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit);
    const answer = settledOnInterrupt({
      try: async (signal): Promise<Response | FirstTry> => {
        const controller = new AbortController();
        const abort = () => controller.abort();
        signal.addEventListener("abort", abort, { once: true });
        const timer = setTimeout(abort, timeoutMillis);
        try {
          return await fetch(url, {
            ...init,
            headers: storageHeaders(config),
            signal: controller.signal,
          });
        } catch (cause) {
          if (signal.aborted) throw cause;
          return nothing(
            controller.signal.aborted
              ? new TransportError({
                operation,
                reason: "timeout",
                url: shownUrl(url),
                message: `No answer from ${shownUrl(url)} within ${timeoutMillis / 1000} s`,
              })
              : connectionError(operation, url, cause, "connect"),
          );
        } finally {
          clearTimeout(timer);
          signal.removeEventListener("abort", abort);
        }
      },
      catch: local("open", options.partPath),
    });
    const sent = performance.now();
    return Effect.flatMap(answer, (response) => {
      if (!(response instanceof Response)) return Effect.succeed(response);
      const firstByteMillis = performance.now() - sent;
      const length = Number(response.headers.get("content-length") ?? NaN);
      const totalSize = Number.isFinite(length) ? length : undefined;
      if (response.status !== 200) {
        const error = response.status >= 200 && response.status < 300
          ? undefined
          : statusError(operation, url, {
            status: response.status,
            headers: Object.fromEntries(response.headers),
            body: "",
            withKey: false,
          });
        return Effect.promise(() => response.body?.cancel().catch(() => {}) ?? Promise.resolve())
          .pipe(Effect.as({ ...nothing(error), firstByteMillis }));
      }
      const body = response.body;
      if (body === null) {
        return Effect.as(answered(firstByteMillis), {
          ...nothing(undefined),
          whole: true,
          totalSize,
          firstByteMillis,
        });
      }
      return Effect.andThen(
        answered(firstByteMillis),
        settledOnInterrupt({
          try: async (signal): Promise<FirstTry> => {
            const firstByte = performance.now();
            const { read, broken } = await readBodyInto(
              body,
              totalSize,
              options.bufferBytes,
              options.buffers,
              options.file,
              options.md5,
              signal,
            );
            return {
              read,
              whole: !broken,
              totalSize,
              firstByteMillis,
              bodyMillis: performance.now() - firstByte,
              error: undefined,
            };
          },
          catch: local("write", options.partPath),
        }),
      );
    });
  });
}

const nothing = (error: RequestError | NotFoundError | undefined): FirstTry => ({
  read: 0,
  whole: false,
  totalSize: undefined,
  firstByteMillis: undefined,
  bodyMillis: 0,
  error,
});
