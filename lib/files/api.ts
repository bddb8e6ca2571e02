/**
 * The run files' slice of the `Api`: listing, one file, verified downloads, uploads, deletion.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce, type RunRef } from "../core/context.ts";
import type { DownloadedFile, DownloadFilesOptions } from "../core/download.ts";
import type { WandbError } from "../core/errors.ts";
import type { RunFile } from "./decoders.ts";
import type {
  RunFileDownloadOptions,
  RunFilesOptions,
  UploadRunFileOptions,
} from "./operations.ts";

/** The run files' methods of the `Api`. */
export interface FilesApi {
  /**
   * A run's files, lazily paged (Python's `run.files(names, per_page, pattern)`; `pattern` is
   * W&B's SQL `LIKE`, e.g. `"%.json"`).
   */
  files(run: RunRef, options?: RunFilesOptions): Stream.Stream<RunFile, WandbError>;
  /** One file of a run by name (Python's `run.file(name)`); `NotFoundError` naming it. */
  file(run: RunRef, name: string): Effect.Effect<RunFile, WandbError>;
  /**
   * Downloads a run file to `root/<name>` (Python's `file.download(root, replace, exist_ok)`):
   * streamed, MD5-verified, renamed into place only when whole, resumed when cut off.
   */
  downloadFile(
    file: RunFile,
    options?: RunFileDownloadOptions,
  ): Effect.Effect<DownloadedFile, WandbError>;
  /** Downloads many run files, `concurrency` at a time, as `downloadFile` does. */
  downloadFiles<E, R>(
    files: Stream.Stream<RunFile, E, R>,
    options: DownloadFilesOptions,
  ): Stream.Stream<DownloadedFile, E | WandbError, R>;
  /** Uploads a local file to a run (Python's `run.upload_file(path, root)`). */
  uploadFile(
    run: RunRef,
    localPath: string,
    options?: UploadRunFileOptions,
  ): Effect.Effect<RunFile, WandbError>;
  /** Deletes a run file (Python's `file.delete()`); returns the file deleted. */
  deleteFile(file: RunFile): Effect.Effect<RunFile, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));

/** Builds the run files' slice. */
export function filesApi(context: ApiContext): FilesApi {
  const { client, paths } = context;
  return {
    files: (run, options) =>
      Stream.unwrap(
        Effect.map(Effect.zip(paths.run(run), operations), ([path, m]) =>
          m.listRunFiles(client, path, options)),
      ),
    file: (run, name) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), operations),
        ([path, m]) => m.getRunFile(client, path, name),
      ),
    downloadFile: (file, options) =>
      Effect.flatMap(operations, (m) => m.downloadRunFile(client, file, options)),
    downloadFiles: (files, options) =>
      Stream.unwrap(Effect.map(operations, (m) => m.downloadRunFiles(client, files, options))),
    uploadFile: (run, localPath, options) =>
      Effect.flatMap(
        Effect.zip(paths.run(run), operations),
        ([path, m]) => m.uploadRunFile(client, path, localPath, options),
      ),
    deleteFile: (file) => Effect.flatMap(operations, (m) => m.deleteRunFile(client, file)),
  };
}
