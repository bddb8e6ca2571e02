/**
 * The first request of a file that streams from its first byte over one connection, made as one
 * promise: the part file opened, the GET by the `fetch` the `HttpClient` uses (see
 * `storageRequest` in `_http_clients.ts`), the body written
 * and hashed, the file checked and renamed. Every later request of the file goes through the
 * request policy (its retries, its budget, its typed errors) and the `HttpClient`.
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
import * as Effect from "effect/Effect";
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
import { storageRequest } from "./_http_clients.ts";

/** How a first try ended. */
export interface FirstTry {
  /** Bytes written to the part file. */
  readonly read: number;
  /** The body was read to its end (a 200 answer, not cut off). */
  readonly whole: boolean;
  /** The file's size, when the answer said it. */
  readonly totalSize: number | undefined;
  /** The MD5 of the whole body (base64), when it came whole. */
  readonly md5: string | undefined;
  /** The part file matched the size and MD5 expected, and has its own name now. */
  readonly renamed: boolean;
  /** The body's time after its first byte (ms). */
  readonly bodyMillis: number;
  /**
   * Why there was no 200 answer, as the policy names it (`undefined` when the answer was
   * another 2xx, or the body was cut off).
   */
  readonly error: RequestError | NotFoundError | undefined;
}

/** What a first try writes, where, and what it must match. */
export interface FirstTryOptions {
  readonly operation: string;
  /** Where the bytes go first (made or emptied), and the name they take once checked. */
  readonly partPath: string;
  readonly localPath: string;
  /** What the whole file must be: its size and MD5, when known. */
  readonly size: number | undefined;
  readonly expectedMd5: string | undefined;
  readonly md5: Md5;
  readonly bufferBytes: number;
  readonly buffers: BufferPool;
  /** Told of the first byte's wait as it comes (what the call's connections grow by). */
  readonly noteFirstByte: (millis: number) => void;
}

/**
 * GETs `url` (a signed storage URL: never with the API key) into `options.partPath`, within the
 * `Api`'s per-attempt timeout for the answer, and renames the file once it matches. Fails only
 * with what the disk refused; every network outcome is a {@link FirstTry}.
 */
export function firstTry(
  client: WandbClient,
  url: string,
  options: FirstTryOptions,
): Effect.Effect<FirstTry, LocalFileError | RuntimePermissionError> {
  const { config } = client;
  const { operation, partPath } = options;
  const timeoutMillis = Math.min(
    Duration.toMillis(config.timeout),
    Duration.toMillis(config.retryBudget),
  );
  return Effect.flatMap(Effect.context<never>(), (context) => {
    /** Which file operation failed, for the error. */
    let doing = "open";
    return settledOnInterrupt({
      try: async (signal): Promise<FirstTry> => {
        using file = await Deno.open(partPath, { write: true, create: true, truncate: true });
        doing = "write";
        const controller = new AbortController();
        const abort = () => controller.abort();
        signal.addEventListener("abort", abort, { once: true });
        const timer = setTimeout(abort, timeoutMillis);
        const sent = performance.now();
        let response: Response;
        try {
          const { fetch, init } = storageRequest(client, context, controller.signal);
          response = await fetch(url, init);
        } catch (cause) {
          if (signal.aborted) throw cause;
          return stopped(
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
        const firstByte = performance.now();
        const length = Number(response.headers.get("content-length") ?? NaN);
        const totalSize = Number.isFinite(length) ? length : undefined;
        if (response.status !== 200) {
          await response.body?.cancel().catch(() => {});
          return stopped(
            response.status >= 200 && response.status < 300 ? undefined : statusError(
              operation,
              url,
              {
                status: response.status,
                headers: Object.fromEntries(response.headers),
                body: "",
                withKey: false,
              },
            ),
          );
        }
        options.noteFirstByte(firstByte - sent);
        const { read, broken } = response.body === null
          ? { read: 0, broken: false }
          : await readBodyInto(
            response.body,
            totalSize,
            options.bufferBytes,
            options.buffers,
            file,
            options.md5,
            signal,
          );
        const bodyMillis = performance.now() - firstByte;
        const size = options.size ?? totalSize;
        if (broken || signal.aborted || (size !== undefined && read < size)) {
          return {
            read,
            whole: false,
            totalSize,
            md5: undefined,
            renamed: false,
            bodyMillis,
            error: undefined,
          };
        }
        doing = "hash";
        const md5 = await options.md5.digest();
        const matches = (options.size === undefined || read === options.size) &&
          (options.expectedMd5 === undefined || md5 === options.expectedMd5);
        if (matches) {
          doing = "rename";
          await Deno.rename(partPath, options.localPath);
        }
        return {
          read,
          whole: true,
          totalSize,
          md5,
          renamed: matches,
          bodyMillis,
          error: undefined,
        };
      },
      catch: (error) => local(doing, partPath)(error),
    });
  });
}

/** A first try that wrote nothing. */
const stopped = (error: RequestError | NotFoundError | undefined): FirstTry => ({
  read: 0,
  whole: false,
  totalSize: undefined,
  md5: undefined,
  renamed: false,
  bodyMillis: 0,
  error,
});
