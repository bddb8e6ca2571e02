/**
 * Run files: listing (a lazy Stream), lookup, verified streaming downloads, uploads and
 * deletion, as Python's `run.files()`, `run.file()`, `File.download()`, `run.upload_file()`
 * and `File.delete()`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import {
  type DownloadedFile,
  downloadFiles,
  type DownloadFilesOptions,
  type DownloadSource,
  downloadToFile,
  type ExistingFileOptions,
  type MultipartOptions,
} from "../core/download.ts";
import {
  type DownloadError,
  InvalidArgumentError,
  LocalFileError,
  NotFoundError,
  type RequestError,
} from "../core/errors.ts";
import { distinctBy, paginate, sizedPages } from "../core/pagination.ts";
import { formatRunPath, type RunPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { projectNotFound, runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import { type RunFile, toRunFile } from "./decoders.ts";
import { createRunFilesMutation, deleteFilesMutation, runFilesQuery } from "./queries.ts";

/** Options of {@link listRunFiles}. */
export interface RunFilesOptions {
  /** Only these names (Python's `names`); all files when absent or empty. */
  readonly names?: ReadonlyArray<string> | undefined;
  /**
   * Files per request (Python's `per_page`).
   * @default {50}
   */
  readonly perPage?: number | undefined;
  /** Only names matching this SQL `LIKE` pattern, as W&B matches it: `"%.json"`. */
  readonly pattern?: string | undefined;
}

/**
 * A run's files, in the server's order, lazily (Python's `run.files(names, per_page, pattern)`).
 * Each page is one `RunFiles` request; `Stream.take` stops the requests.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listRunFiles } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const jsonFiles = (client: WandbClient) =>
 *   Stream.runCollect(listRunFiles(client, { entity: "acme", project: "mnist", runId: "abc" }, { pattern: "%.json" }));
 * ```
 */
export function listRunFiles(
  client: WandbClient,
  path: RunPath,
  options?: RunFilesOptions,
): Stream.Stream<RunFile, RequestError | NotFoundError | InvalidArgumentError> {
  return checkedStream(
    positiveInteger("perPage", options?.perPage ?? 50),
    filePages(client, path, options?.names ?? [], options?.perPage, options?.pattern ?? null),
  );
}

/** The pages of a run's files (arguments checked by the caller). */
function filePages(
  client: WandbClient,
  path: RunPath,
  names: ReadonlyArray<string>,
  perPage: number | undefined,
  pattern: string | null,
): Stream.Stream<RunFile, RequestError | NotFoundError> {
  // Without a caller's size: the official client's 50, growing while pages come back fast.
  const page = sizedPages(perPage, 50, 1000);
  return distinctBy(
    paginate({
      operation: "RunFiles",
      fetchPage: (cursor) =>
        page(
          (size) => runFilesQuery(path, { names, perPage: size, pattern, cursor }),
          client.execute,
        ).pipe(
          Effect.flatMap(({ project }) => {
            if (project === null) return Effect.fail(projectNotFound("RunFiles", path));
            if (project.run === null) return Effect.fail(runNotFound("RunFiles", path));
            const files = project.run.files;
            const edges = files?.edges ?? [];
            return Effect.succeed({
              items: edges.map((edge) => toRunFile(path, project.internalId, edge.node)),
              nextCursor: edges.length > 0 ? edges[edges.length - 1]!.cursor : null,
              hasNextPage: files?.pageInfo.hasNextPage ?? false,
            });
          }),
        ),
    }),
    (file) => file.id,
  );
}

/**
 * One file of a run by name (Python's `run.file(name)`), or a `NotFoundError` naming it.
 *
 * @example
 * ```ts
 * import { getRunFile } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const log = (client: WandbClient) =>
 *   getRunFile(client, { entity: "acme", project: "mnist", runId: "abc" }, "output.log");
 * ```
 */
export function getRunFile(
  client: WandbClient,
  path: RunPath,
  name: string,
): Effect.Effect<RunFile, RequestError | NotFoundError> {
  return filePages(client, path, [name], 1, null).pipe(
    Stream.filter((file) => file.name === name),
    Stream.take(1),
    Stream.runHead,
    Effect.flatMap((found) =>
      found._tag === "Some" ? Effect.succeed(found.value) : Effect.fail(
        new NotFoundError({
          operation: "RunFiles",
          resource: "file",
          path: `${formatRunPath(path)}/${name}`,
          message: `Could not find file ${name} of run ${formatRunPath(path)}`,
        }),
      )
    ),
  );
}

/** Where a run file's bytes are read: its signed URL, asked for again when it expires. */
export function runFileSource(client: WandbClient, file: RunFile): DownloadSource {
  const signed = file.directUrl !== null;
  return {
    path: file.name,
    // Without a signed URL, the file's own URL on the API server, with the key (as Python).
    url: file.directUrl ?? file.url ?? "",
    refresh: Effect.map(
      getRunFile(client, file.run, file.name),
      (fresh) => fresh.directUrl ?? fresh.url ?? "",
    ),
    md5: file.md5 ?? undefined,
    size: file.size,
    operation: "GET run file",
    authenticated: !signed,
  };
}

/** Options of {@link downloadRunFile}. */
export interface RunFileDownloadOptions extends ExistingFileOptions, MultipartOptions {
  /**
   * The directory the file goes under, at its name's path (Python's `root`).
   * @default {"."}
   */
  readonly root?: string | undefined;
}

/**
 * Downloads a run file to `root/<name>` (Python's `file.download(root, replace, exist_ok)`),
 * streamed to disk, verified against the MD5 the server gave (a `ChecksumError` otherwise,
 * nothing left under its name), resumed by `Range` when cut off. A name that would land
 * outside `root` is refused with an `InvalidArgumentError` before anything is written.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { downloadRunFile, getRunFile } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchLog = (client: WandbClient) =>
 *   getRunFile(client, { entity: "acme", project: "mnist", runId: "abc" }, "output.log").pipe(
 *     Effect.flatMap((file) => downloadRunFile(client, file, { root: "out", replace: true })),
 *   );
 * ```
 */
export function downloadRunFile(
  client: WandbClient,
  file: RunFile,
  options?: RunFileDownloadOptions,
): Effect.Effect<DownloadedFile, DownloadError | InvalidArgumentError> {
  return downloadToFile(client, runFileSource(client, file), {
    ...options,
    root: options?.root ?? ".",
  });
}

/**
 * Downloads many run files, `concurrency` at a time (from 8, growing while storage keeps up), each as
 * {@link downloadRunFile} does; emits each file done, in the stream's order.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { downloadRunFiles, listRunFiles } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const fetchAll = (client: WandbClient) => {
 *   const files = listRunFiles(client, { entity: "acme", project: "mnist", runId: "abc" });
 *   return Stream.runCollect(downloadRunFiles(client, files, { root: "out", concurrency: 16 }));
 * };
 * ```
 */
export function downloadRunFiles<E, R>(
  client: WandbClient,
  files: Stream.Stream<RunFile, E, R>,
  options: DownloadFilesOptions,
): Stream.Stream<DownloadedFile, E | DownloadError | InvalidArgumentError, R> {
  return downloadFiles(client, Stream.map(files, (file) => runFileSource(client, file)), options);
}

/**
 * Deletes a run file (Python's `file.delete()`); returns the file deleted.
 *
 * @example
 * ```ts
 * import { type RunFile } from "@effect-wandb/api";
 * import { deleteRunFile } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const remove = (client: WandbClient, file: RunFile) => deleteRunFile(client, file);
 * ```
 */
export function deleteRunFile(
  client: WandbClient,
  file: RunFile,
): Effect.Effect<RunFile, RequestError> {
  return client.execute(deleteFilesMutation([file.id], file.projectInternalId)).pipe(
    Effect.as(file),
  );
}

/** Options of {@link uploadRunFile}. */
export interface UploadRunFileOptions {
  /**
   * The directory the file's name is taken relative to (Python's `root`): uploading
   * `out/media/a.png` from root `out` names it `media/a.png`.
   * @default {"."}
   */
  readonly root?: string | undefined;
}

/**
 * Uploads a local file to a run (Python's `run.upload_file(path, root)`): asks W&B for a signed
 * upload URL (`CreateRunFiles`), streams the bytes there with a `PUT` (never with the API key),
 * and returns the file as the server now lists it.
 *
 * @example
 * ```ts
 * import { uploadRunFile } from "@effect-wandb/api/files";
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * const upload = (client: WandbClient) =>
 *   uploadRunFile(client, { entity: "acme", project: "mnist", runId: "abc" }, "out/notes.txt", { root: "out" });
 * ```
 */
export function uploadRunFile(
  client: WandbClient,
  path: RunPath,
  localPath: string,
  options?: UploadRunFileOptions,
): Effect.Effect<RunFile, RequestError | NotFoundError | InvalidArgumentError | LocalFileError> {
  return Effect.gen(function* () {
    const name = yield* nameUnder(localPath, options?.root ?? ".");
    const info = yield* Effect.tryPromise({
      try: () => Deno.stat(localPath),
      catch: (e) =>
        new LocalFileError({
          operation: "upload",
          path: localPath,
          message: `Cannot read ${localPath}: ${e instanceof Error ? e.message : e}`,
        }),
    });
    const created = yield* client.execute(createRunFilesMutation(path, [name]));
    const target = created.createRunFiles?.files.find((f) => f.name === name)?.uploadUrl;
    if (created.createRunFiles === null || target === undefined || target === null) {
      return yield* Effect.fail(runNotFound("CreateRunFiles", path));
    }
    const headers = Object.fromEntries(
      created.createRunFiles.uploadHeaders.map((h) => {
        const colon = h.indexOf(":");
        return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
      }),
    );
    yield* client.upload(
      target,
      () =>
        Stream.unwrap(Effect.promise(async () => {
          const file = await Deno.open(localPath);
          return Stream.fromReadableStream({
            evaluate: () => file.readable,
            onError: (e) => e,
          });
        })),
      { operation: "PUT run file", contentLength: info.size, headers },
    );
    return yield* getRunFile(client, path, name);
  });
}

/** The name a local file is uploaded under: its path relative to `root`, with `/`. */
function nameUnder(localPath: string, root: string): Effect.Effect<string, InvalidArgumentError> {
  const clean = (p: string) => p.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
  const file = clean(localPath);
  const base = clean(root);
  const name = base === "" || base === "."
    ? file
    : file.startsWith(`${base}/`)
    ? file.slice(base.length + 1)
    : undefined;
  if (
    name === undefined || name.length === 0 || name.split("/").includes("..") ||
    name.startsWith("/")
  ) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "root",
        value: root,
        message: `${localPath} is not under ${root}: give the directory its name is relative to`,
      }),
    );
  }
  return Effect.succeed(name);
}
