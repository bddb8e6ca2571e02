/**
 * Artifact downloads: every file of a version fetched in parallel, each verified against its
 * manifest digest (a re-run fetches only what is missing or wrong), signed URLs asked for again
 * when they expire, and the verification and checkout of a local copy. Python's
 * `artifact.download()`, `artifact.file()`, `artifact.verify()` and `artifact.checkout()`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { filesUnder } from "../core/_download_common.ts";
import {
  downloadCall,
  type DownloadedFile,
  type DownloadSource,
  downloadToFile,
  type DownloadTuning,
  type MultipartOptions,
  safeLocalPath,
} from "../core/download.ts";
import { renewable } from "../core/signed_urls.ts";
import {
  ChecksumError,
  type DecodeError,
  type DownloadError,
  type InvalidArgumentError,
  LocalFileError,
  type NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import type { WandbClient } from "../core/transport.ts";
import type { Artifact } from "./decoders.ts";
import { artifactFileUrlsQuery } from "./queries.ts";
import { getArtifactManifest, invalid, notFound } from "./operations.ts";

/** Every signed file URL of a version, by path (`GetArtifactFileUrls`, pages of 1,000). */
function fileUrls(
  client: WandbClient,
  artifact: Pick<Artifact, "id" | "qualifiedName">,
): Effect.Effect<Map<string, string>, RequestError | NotFoundError | DecodeError> {
  return paginate({
    operation: "GetArtifactFileUrls",
    fetchPage: (cursor) =>
      client.execute(artifactFileUrlsQuery(artifact.id, 1_000, cursor)).pipe(
        Effect.flatMap((data) =>
          data.artifact === null
            ? Effect.fail(notFound("GetArtifactFileUrls", "artifact", artifact.qualifiedName))
            : Effect.succeed({
              items: data.artifact.files.edges.map(({ node }) => node),
              nextCursor: data.artifact.files.pageInfo.endCursor,
              hasNextPage: data.artifact.files.pageInfo.hasNextPage,
            })
        ),
      ),
  }).pipe(
    Stream.runFold(() => new Map<string, string>(), (urls, file) => {
      if (file.directUrl !== null) urls.set(file.name, file.directUrl);
      return urls;
    }),
  );
}

/**
 * The `refresh` of each file of one download: signed URLs expire together, so the first file
 * storage refuses asks for all of them again, files refused meanwhile wait for that answer,
 * and files refused later take theirs from it; only a file holding the newest list asks anew.
 * (A file asking on its own made 32 requests for the same list when 32 files expired at once.)
 */
function sharedUrlRefresh<E>(
  urls: ReadonlyMap<string, string>,
  askAll: Effect.Effect<ReadonlyMap<string, string>, E>,
  missing: (path: string) => E,
): (path: string) => Effect.Effect<string, E> {
  const lists = renewable(urls, askAll);
  /** The list each file took its URL from. */
  const held = new Map<string, ReadonlyMap<string, string>>();
  return (path) =>
    Effect.flatMap(lists.renew(held.get(path) ?? urls), (list) => {
      held.set(path, list);
      const url = list.get(path);
      return url === undefined ? Effect.fail(missing(path)) : Effect.succeed(url);
    });
}

/** Options of {@link downloadArtifact}. */
export interface ArtifactDownloadOptions extends MultipartOptions, DownloadTuning {
  /**
   * The directory the files go under (Python's `root`).
   * @default {"./artifacts/<name>"}
   */
  readonly root?: string | undefined;
  /** Only entries whose path starts with this (Python's `path_prefix`). */
  readonly pathPrefix?: string | undefined;
  /**
   * Skip reference entries whose bytes cannot be fetched (Python's
   * `allow_missing_references`); without it they fail the download with a `NotFoundError`.
   * @default {false}
   */
  readonly allowMissingReferences?: boolean | undefined;
  /**
   * Files downloaded at once, kept as given. Without it they start at 32 (the official
   * client's threads) and grow while storage answers as fast with more, within
   * {@link DownloadTuning.memoryBudget}: W&B's storage waits ~100 ms before each file's first
   * byte, so an artifact of many small files comes as fast as files are in flight.
   */
  readonly concurrency?: number | undefined;
}

/** What {@link downloadArtifact} did. */
export interface ArtifactDownload {
  /** The directory the files are under. */
  readonly root: string;
  /** Every file of the download, fetched now or found whole already. */
  readonly files: ReadonlyArray<DownloadedFile>;
  /** Reference entries skipped because their bytes could not be fetched. */
  readonly skippedReferences: ReadonlyArray<string>;
}

/** The default download root of a version, as Python makes it: `./artifacts/<name>`. */
export const defaultArtifactRoot = (artifact: Pick<Artifact, "name">): string =>
  `./artifacts/${artifact.name}`;

const isHttp = (uri: string) => uri.startsWith("https://") || uri.startsWith("http://");

/**
 * Downloads a version's files (Python's `artifact.download(root, path_prefix,
 * allow_missing_references)`): the manifest, one `GetArtifactFileUrls` listing, then every file
 * streamed, `concurrency` at a time, each verified against its manifest digest and renamed into
 * place only when whole. A file already under `root` with the right digest is not fetched again,
 * so a re-run fetches only what is missing or wrong. Every path is checked before anything is
 * written: one that would land outside `root` fails the download with an `InvalidArgumentError`.
 * References with an `http(s)` URI are fetched without credentials; others (`s3://`, `gs://`)
 * need their store's own client, and count as missing.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { downloadArtifact, getArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchDataset = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => downloadArtifact(client, a, { root: "data/mnist", concurrency: 32 })),
 *   );
 * ```
 */
export function downloadArtifact(
  client: WandbClient,
  artifact: Artifact,
  options?: ArtifactDownloadOptions,
): Effect.Effect<ArtifactDownload, DownloadError | InvalidArgumentError | DecodeError> {
  const root = options?.root ?? defaultArtifactRoot(artifact);
  return Effect.gen(function* () {
    // The manifest and the files' URLs are asked for at once (one round trip instead of two);
    // the URLs are dropped when every entry is a reference.
    const [manifest, signed] = yield* Effect.all([
      getArtifactManifest(client, artifact),
      fileUrls(client, artifact).pipe(Effect.result),
    ], { concurrency: 2 });
    const entries = manifest.entries.filter((e) => e.path.startsWith(options?.pathPrefix ?? ""));
    // Every path checked before any byte is written: a bad one leaves nothing behind.
    for (const entry of entries) yield* safeLocalPath(root, entry.path);
    const urls = entries.some((e) => e.ref === null)
      ? yield* Effect.fromResult(signed)
      : new Map<string, string>();
    const refresh = sharedUrlRefresh(
      urls,
      fileUrls(client, artifact).pipe(
        Effect.catchTag("DecodeError", (e) => Effect.fail(e as RequestError)),
      ),
      (path) =>
        notFound("GetArtifactFileUrls", "artifact file", `${artifact.qualifiedName}/${path}`),
    );
    const skipped: Array<string> = [];
    const sources: Array<DownloadSource> = [];
    for (const entry of entries) {
      if (entry.ref !== null) {
        if (isHttp(entry.ref)) {
          sources.push({
            path: entry.path,
            url: entry.ref,
            md5: undefined,
            size: entry.size ?? undefined,
            operation: "GET artifact reference",
          });
        } else if (options?.allowMissingReferences === true) {
          skipped.push(entry.path);
        } else {
          return yield* Effect.fail(
            notFound(
              "GET artifact reference",
              "artifact reference",
              `${entry.ref} (entry ${entry.path}: this client fetches http(s) references only; pass allowMissingReferences to skip it)`,
            ),
          );
        }
        continue;
      }
      const url = urls.get(entry.path);
      if (url === undefined) {
        return yield* Effect.fail(
          notFound(
            "GetArtifactFileUrls",
            "artifact file",
            `${artifact.qualifiedName}/${entry.path}`,
          ),
        );
      }
      sources.push({
        path: entry.path,
        url,
        refresh: refresh(entry.path),
        md5: entry.digest,
        size: entry.size ?? undefined,
        operation: "GET artifact file",
      });
    }
    // One listing of the root instead of a look at each file: a re-run finds what is there.
    const call = yield* downloadCall(client, {
      root,
      files: sources.length,
      initial: 32,
      concurrency: options?.concurrency,
      memoryBudget: options?.memoryBudget,
      listRoot: true,
    });
    const files = yield* Effect.forEach(
      sources,
      (source) =>
        downloadToFile(client, source, {
          root,
          keepVerified: true,
          call,
          multipart: options?.multipart,
          partBytes: options?.partBytes,
          partsAtOnce: options?.partsAtOnce,
        }).pipe(
          Effect.catchIf(
            (e) =>
              options?.allowMissingReferences === true &&
              source.operation === "GET artifact reference" &&
              (e._tag === "NotFoundError" || e._tag === "PermissionError" ||
                (e._tag === "ServerError" && e.status < 500)),
            () => Effect.sync(() => void skipped.push(source.path)),
          ),
        ),
      // Files wait for one of the call's connections: as many start as it may ever allow.
      { concurrency: call.governor.most },
    );
    return {
      root,
      files: files.filter((f): f is DownloadedFile => f !== undefined),
      skippedReferences: skipped,
    };
  }).pipe(
    Effect.scoped,
    Effect.withSpan("wandb.artifact.download", {
      attributes: { artifact: artifact.qualifiedName },
    }),
  );
}

/**
 * Downloads a version holding exactly one file and gives that file's path (Python's
 * `artifact.file(root)`); a version with more files fails with an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { downloadArtifactFile, getArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchOne = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "config:latest").pipe(
 *     Effect.flatMap((a) => downloadArtifactFile(client, a)),
 *   );
 * ```
 */
export function downloadArtifactFile(
  client: WandbClient,
  artifact: Artifact,
  options?: Pick<ArtifactDownloadOptions, "root">,
): Effect.Effect<string, DownloadError | InvalidArgumentError | DecodeError> {
  if (artifact.fileCount !== 1) {
    return Effect.fail(
      invalid(
        "artifact",
        artifact.qualifiedName,
        `${artifact.qualifiedName} holds ${artifact.fileCount} files: file() takes an artifact of one; use download()`,
      ),
    );
  }
  return Effect.map(downloadArtifact(client, artifact, options), (d) => d.files[0]!.localPath);
}

// Every file under a directory: the download engine's listing, which the tests use too.
export { filesUnder } from "../core/_download_common.ts";

/**
 * Checks a local copy of a version (Python's `artifact.verify(root)`), with no request but the
 * manifest's: every file under `root` must be an entry of the manifest, and every entry that
 * holds bytes must be there with its digest. The first difference fails with a
 * `ChecksumError` naming the file.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { getArtifact, verifyArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const check = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => verifyArtifact(client, a, "data/mnist")),
 *   );
 * ```
 */
export function verifyArtifact(
  client: WandbClient,
  artifact: Artifact,
  root?: string,
): Effect.Effect<void, RequestError | NotFoundError | ChecksumError | LocalFileError> {
  const dir = root ?? defaultArtifactRoot(artifact);
  const mismatch = (path: string, expected: string, actual: string, why: string) =>
    new ChecksumError({
      operation: "verify artifact",
      path,
      expected,
      actual,
      message: `${path}: ${why}`,
    });
  return Effect.gen(function* () {
    const manifest = yield* getArtifactManifest(client, artifact);
    const byPath = new Map(manifest.entries.map((e) => [e.path, e]));
    const present = yield* Effect.tryPromise({
      try: () => filesUnder(dir),
      catch: (e) =>
        new LocalFileError({ operation: "read", path: dir, message: `Cannot read ${dir}: ${e}` }),
    });
    for (const path of present.sort()) {
      if (!byPath.has(path)) {
        return yield* Effect.fail(
          mismatch(path, "absent", "present", `not a file of ${artifact.qualifiedName}`),
        );
      }
    }
    const have = new Set(present);
    for (const entry of manifest.entries) {
      if (entry.ref !== null) continue;
      if (!have.has(entry.path)) {
        return yield* Effect.fail(mismatch(entry.path, entry.digest, "absent", "missing"));
      }
      const md5 = yield* Effect.tryPromise({
        try: async () => {
          const hash = createHash("md5");
          using file = await Deno.open(`${dir}/${entry.path}`);
          for await (const chunk of file.readable) hash.update(chunk);
          return hash.digest("base64");
        },
        catch: (e) =>
          new LocalFileError({
            operation: "read",
            path: entry.path,
            message: `Cannot read ${entry.path}: ${e}`,
          }),
      });
      if (md5 !== entry.digest) {
        return yield* Effect.fail(
          mismatch(
            entry.path,
            entry.digest,
            md5,
            `digest ${md5} where the manifest has ${entry.digest}`,
          ),
        );
      }
    }
  });
}

/**
 * Makes `root` hold exactly a version's files (Python's `artifact.checkout(root)`): downloads
 * what is missing or wrong, then removes every file that is not an entry. Returns the download.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { checkoutArtifact, getArtifact } from "@effect-wandb/api/artifacts";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const sync = (client: WandbClient) =>
 *   getArtifact(client, { entity: "acme", project: "mnist" }, "mnist-raw:prod").pipe(
 *     Effect.flatMap((a) => checkoutArtifact(client, a, "data/mnist")),
 *   );
 * ```
 */
export function checkoutArtifact(
  client: WandbClient,
  artifact: Artifact,
  root?: string,
): Effect.Effect<ArtifactDownload, DownloadError | InvalidArgumentError | DecodeError> {
  const dir = root ?? defaultArtifactRoot(artifact);
  return Effect.gen(function* () {
    const download = yield* downloadArtifact(client, artifact, {
      root: dir,
      allowMissingReferences: true,
    });
    const manifest = yield* getArtifactManifest(client, artifact);
    const keep = new Set(manifest.entries.map((e) => e.path));
    const present = yield* Effect.tryPromise({
      try: () => filesUnder(dir),
      catch: (e) =>
        new LocalFileError({ operation: "read", path: dir, message: `Cannot read ${dir}: ${e}` }),
    });
    for (const path of present) {
      if (keep.has(path)) continue;
      yield* Effect.tryPromise({
        try: () => Deno.remove(`${dir}/${path}`),
        catch: (e) =>
          new LocalFileError({ operation: "remove", path, message: `Cannot remove ${path}: ${e}` }),
      });
    }
    return download;
  });
}
