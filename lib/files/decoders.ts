/**
 * Decoders of run files: the `File` node as `RunFiles` selects it, and the {@link RunFile} the
 * API hands out (Python's `wandb.apis.public.File`, in camelCase).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import type { RunPath } from "../core/paths.ts";

/** A `File` node as the `RunFiles` query selects it. */
export interface RunFileNodeData {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
  readonly directUrl: string | null;
  readonly sizeBytes: number | null;
  readonly mimetype: string | null;
  readonly updatedAt: string | null;
  readonly md5: string | null;
}

/** Decodes a `File` node of `RunFiles`. */
export const RunFileNode: Schema.Decoder<RunFileNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  url: Schema.NullOr(Schema.String),
  directUrl: Schema.NullOr(Schema.String),
  sizeBytes: Schema.NullOr(Schema.Number),
  mimetype: Schema.NullOr(Schema.String),
  updatedAt: Schema.NullOr(Schema.String),
  md5: Schema.NullOr(Schema.String),
});

/** A file of a run (Python's `File`). */
export interface RunFile {
  /** The server's node id (what `deleteFiles` takes). */
  readonly id: string;
  /** Its path in the run, e.g. `media/images/examples_0.png`. */
  readonly name: string;
  /** The run it belongs to. */
  readonly run: RunPath;
  /** The project's numeric id (what `deleteFiles` takes beside the ids). */
  readonly projectInternalId: number | null;
  /** The server's URL of the file (read with the API key). */
  readonly url: string | null;
  /** The signed storage URL (read without credentials; it expires). */
  readonly directUrl: string | null;
  /** MD5 of the bytes, base64 as W&B sends it. */
  readonly md5: string | null;
  /** Size in bytes. */
  readonly size: number;
  readonly mimetype: string | null;
  /** Last change, ISO-8601. */
  readonly updatedAt: string | null;
  /**
   * Where the bytes live in storage, without signature (Python's `path_uri`): `gs://bucket/key`
   * or `s3://bucket/key` for those stores, the URL without its query otherwise, `""` without one.
   */
  readonly pathUri: string;
}

/**
 * The storage location of a signed URL, as Python's `File.path_uri` gives it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathUriOf } from "@effect-wandb/api/files";
 * assert.ok(pathUriOf("https://storage.googleapis.com/bkt/a/b.txt?X-Goog-Signature=s") === "gs://bkt/a/b.txt");
 * assert.ok(pathUriOf("https://bkt.s3.amazonaws.com/a/b.txt?sig=s") === "s3://bkt/a/b.txt");
 * ```
 */
export function pathUriOf(directUrl: string | null): string {
  if (directUrl === null) return "";
  let url: URL;
  try {
    url = new URL(directUrl);
  } catch {
    return "";
  }
  const path = decodeURIComponent(url.pathname);
  if (url.hostname === "storage.googleapis.com") return `gs:/${path}`;
  const s3 = /^([^.]+)\.s3[.-]/.exec(url.hostname);
  if (s3 !== null) return `s3://${s3[1]}${path}`;
  return `${url.origin}${url.pathname}`;
}

/** Builds a {@link RunFile} from a decoded node of the given run. */
export function toRunFile(
  run: RunPath,
  projectInternalId: string | null,
  node: RunFileNodeData,
): RunFile {
  return {
    id: node.id,
    name: node.name,
    run,
    projectInternalId: projectInternalId === null ? null : Number(projectInternalId),
    url: node.url,
    directUrl: node.directUrl,
    md5: node.md5,
    size: node.sizeBytes ?? 0,
    mimetype: node.mimetype,
    updatedAt: node.updatedAt,
    pathUri: pathUriOf(node.directUrl),
  };
}
