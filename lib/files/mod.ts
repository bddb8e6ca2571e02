/**
 * Run files, and the download engine under them and artifacts: streamed, MD5-verified, resumed, re-signed, in parts.
 *
 * Everything here is also reachable through the `Api` (its `FilesApi` slice); import this entry for
 * the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { FilesApi } from "@effect-wandb/api/files";
 * type Methods = keyof FilesApi;
 * ```
 *
 * @module
 */
export {
  downloadBufferBytes,
  downloadBufferPool,
  type DownloadCall,
  downloadFiles,
  type DownloadGovernor,
  type DownloadSource,
  downloadToFile,
  type DownloadTuning,
  safeLocalPath,
} from "../core/download.ts";
export { type FilesApi, filesApi } from "./api.ts";
export { pathUriOf, type RunFile, toRunFile } from "./decoders.ts";
export {
  deleteRunFile,
  downloadRunFile,
  downloadRunFiles,
  getRunFile,
  listRunFiles,
  type RunFileDownloadOptions,
  type RunFilesOptions,
  runFileSource,
  uploadRunFile,
  type UploadRunFileOptions,
} from "./operations.ts";
