/**
 * A large file in parts: ranges fetched over several connections at once, each written at its
 * offset, the written prefix hashed as it grows, progress saved beside the file so a killed
 * download goes on, and signed URLs renewed when they expire.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import {
  ChecksumError,
  type DownloadError,
  type NotFoundError,
  type RequestError,
} from "./errors.ts";
import type { OpenDownload, WandbClient } from "./transport.ts";
import { type Renewable, withSignedUrl } from "./signed_urls.ts";
import type { BufferPool } from "./buffers.ts";
import { type Md5, prefixMd5 } from "./_md5.ts";
import type { DownloadGovernor } from "./_download_governor.ts";
import {
  bodyAttempts,
  type DownloadedFile,
  type DownloadSource,
  local,
  readInto,
} from "./_download_common.ts";

/** The URL a download holds, replaced when storage refuses it as expired. */
export type SignedUrl = Renewable<string, RequestError | NotFoundError>;

/**
 * Opens the signed URL from `from` (to `end`, when given), asking `source.refresh` for a new
 * URL when storage refuses this one (a signed URL that expired): up to three times per file.
 * Parts refused at once share one request for it, and a part refused an URL already replaced
 * just takes the new one.
 */
export function openSigned(
  client: WandbClient,
  source: DownloadSource,
  signed: SignedUrl,
  from: number,
  end: number | undefined,
  governor: DownloadGovernor,
): Effect.Effect<OpenDownload, RequestError | NotFoundError> {
  return Effect.suspend(() => {
    // The first byte's wait tells the governor how loaded storage is; an answer that came after
    // a retry tells it of trouble instead (its wait holds the backoff's).
    let retried = false;
    const sent = performance.now();
    const open = (url: string) =>
      client.openDownload(url, from, {
        operation: source.operation,
        authenticated: source.authenticated === true,
        end,
        onRetry: () => void (retried = true),
      });
    return (source.refresh === undefined ? open(signed.current()) : withSignedUrl(signed, open))
      .pipe(
        Effect.tap(() =>
          retried ? governor.trouble : governor.firstByteAfter(performance.now() - sent)
        ),
      );
  });
}

/** The bytes of a part are written: a Md5 that hashes nothing (the parts are hashed after). */
export const noMd5: Md5 = { update: () => undefined, digest: () => Promise.resolve("") };

/** Storage answered a range with something else: the file is fetched as one stream instead. */
export class RangesRefused {
  readonly _tag = "RangesRefused";
}

/** Bytes read back and hashed at a time, as the parts written from the start grow. */
export const hashStepBytes = 8 * 1024 * 1024;

/** Bytes written across the parts between two saves of their progress. */
export const saveStepBytes = 16 * 1024 * 1024;

/** How {@link downloadInParts} fetches a file. */
export interface PartsOptions {
  readonly size: number;
  readonly partBytes: number;
  readonly partsAtOnce: number;
  readonly bufferBytes: number;
  /** The call's buffers, handed from one part to the next. */
  readonly buffers: BufferPool;
  readonly governor: DownloadGovernor;
}

/**
 * Downloads `source` in parts of `partBytes` (or of what a stopped download of it used),
 * `partsAtOnce` at a time, each holding one of the governor's connections, each by a `Range`
 * request written at its offset of `<path>.ranges` (its full size from the start). The parts
 * written from the first byte on are read back and hashed as they grow (in a Worker when one
 * starts), so the MD5 is known soon after the last part lands; the file is renamed to its name
 * only once it matches. A part cut off resumes from its last byte. How far each part got is
 * kept beside it in `<path>.ranges.json` (saved every 16 MiB and when it stops), so a killed
 * download goes on from there; bytes that turn out wrong, or storage that does not answer
 * ranges as asked (`undefined`), leave nothing.
 */
export function downloadInParts(
  client: WandbClient,
  source: DownloadSource,
  signed: SignedUrl,
  localPath: string,
  options: PartsOptions,
): Effect.Effect<DownloadedFile | undefined, DownloadError> {
  const { operation } = source;
  const { size } = options;
  const rangesPath = `${localPath}.ranges`;
  return Effect.promise(() => resumableParts(source, rangesPath, size)).pipe(
    Effect.flatMap((resumed) =>
      inParts(client, source, signed, localPath, {
        ...options,
        // A stopped download goes on in its own parts, whatever size they would be today.
        partBytes: resumed?.partBytes ?? options.partBytes,
      }, resumed?.written)
    ),
    Effect.catchIf(
      (e): e is RangesRefused => e instanceof RangesRefused,
      () => Effect.succeed(undefined),
    ),
    Effect.withSpan("wandb.download.parts", { attributes: { operation } }, {
      captureStackTrace: false,
    }),
  );
}

/** What a stopped download in parts saved: its part size, and the bytes of each part written. */
export interface SavedParts {
  readonly size: number;
  readonly partBytes: number;
  readonly md5: string | null;
  readonly written: ReadonlyArray<number>;
}

/** Where the part of a file of `size` in parts of `partBytes` that starts at `start` ends. */
export const partEnd = (size: number, partBytes: number, start: number): number =>
  Math.min(size, start + partBytes);

/** Where each part of a file of `size` in parts of `partBytes` starts. */
export const partStarts = (size: number, partBytes: number): Array<number> =>
  Array.from({ length: Math.ceil(size / partBytes) }, (_, i) => i * partBytes);

/** The progress file of a download in parts, as saved and as checked when resumed. */
export const progressText = (saved: SavedParts): string => JSON.stringify(saved);

/**
 * The parts a stopped download of this same file (its size and MD5) saved beside it, if they
 * hold together; `undefined` otherwise, or without an MD5 to check the whole file (no part of an
 * earlier download is trusted then).
 */
export async function resumableParts(
  source: DownloadSource,
  rangesPath: string,
  size: number,
): Promise<{ readonly partBytes: number; readonly written: Array<number> } | undefined> {
  if (source.md5 === undefined) return undefined;
  try {
    const [text, ranges] = await Promise.all([
      Deno.readTextFile(`${rangesPath}.json`),
      Deno.stat(rangesPath),
    ]);
    const { partBytes, written } = JSON.parse(text);
    if (!Number.isInteger(partBytes) || partBytes <= 0 || !Array.isArray(written)) return undefined;
    const starts = partStarts(size, partBytes);
    const valid = ranges.size === size && written.length === starts.length &&
      written.every((n, part) =>
        Number.isInteger(n) && n >= 0 &&
        n <= partEnd(size, partBytes, starts[part]!) - starts[part]!
      ) &&
      progressText({ size, partBytes, md5: source.md5, written }) === text;
    return valid ? { partBytes, written } : undefined;
  } catch {
    return undefined;
  }
}

function inParts(
  client: WandbClient,
  source: DownloadSource,
  signed: SignedUrl,
  localPath: string,
  options: PartsOptions,
  resumed: ReadonlyArray<number> | undefined,
): Effect.Effect<DownloadedFile, DownloadError | RangesRefused> {
  const { operation } = source;
  const { size, partBytes, governor } = options;
  const rangesPath = `${localPath}.ranges`;
  const progressPath = `${rangesPath}.json`;
  const starts = partStarts(size, partBytes);
  const lengthOf = (part: number) => partEnd(size, partBytes, starts[part]!) - starts[part]!;
  const progressOf = (written: ReadonlyArray<number>) =>
    progressText({ size, partBytes, md5: source.md5 ?? null, written });
  return Effect.suspend(() => {
    // The parts' buffers are the call's, handed from one part to the next (32 parts of a 2 GB
    // file would otherwise leave 32 pairs of buffers to the collector).
    const { buffers } = options;
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
            const open = yield* openSigned(client, source, signed, from, end, governor);
            const firstByte = performance.now();
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
            governor.meter.bodyRead(read, performance.now() - firstByte);
            if (broken) yield* governor.trouble;
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
        }).pipe(Effect.scoped, governor.connection);
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
  });
}
