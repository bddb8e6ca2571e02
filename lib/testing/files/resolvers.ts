/**
 * The local server's run-file fields: `Run.files` and `Run.fileCount`, `createRunFiles` (upload
 * URLs) and `deleteFiles`, with the shapes the official client reads.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { ResolverContext } from "../resource.ts";
import type { StoredRun } from "../runs/store.ts";
import type { StoredFile } from "./store.ts";
import { offsetPage } from "../pages.ts";

/** The storage key of a run file's bytes. */
export const fileKey = (file: StoredFile): string => `file/${file.id}`;

/** The storage key a run file's upload goes to. */
export const uploadKey = (run: StoredRun, name: string): string =>
  `upload/${run.seq}/${encodeURIComponent(name)}`;

/** W&B's node id of a file. */
export const fileNodeId = (file: StoredFile): string => btoa(`File:${file.id}`);

/** The file id in a W&B node id, or `undefined`. */
export function fileIdOf(nodeId: string): number | undefined {
  try {
    const [kind, id] = atob(nodeId).split(":");
    return kind === "File" && /^\d+$/.test(id ?? "") ? Number(id) : undefined;
  } catch {
    return undefined;
  }
}

/** A file as the `File` type resolves it. */
export function fileView(
  ctx: ResolverContext,
  run: StoredRun,
  file: StoredFile,
): Record<string, unknown> {
  return {
    id: fileNodeId(file),
    name: file.name,
    displayName: file.name,
    url: ({ upload }: { upload?: boolean | null }) =>
      upload === true
        ? ctx.storage.uploadUrl(uploadKey(run, file.name))
        : `${ctx.baseUrl}/files/${run.entity}/${run.project}/${run.name}/${file.name}`,
    directUrl: () => ctx.storage.signedUrl(fileKey(file)),
    sizeBytes: file.size,
    mimetype: file.mimetype,
    updatedAt: file.updatedAt,
    md5: () => ctx.store.files.md5(file),
    digest: () => ctx.store.files.md5(file),
    storagePath: `${run.entity}/${run.project}/${run.name}/${file.name}`,
  };
}

/** `Run.files` and `Run.fileCount` of a run. */
export function runFileFields(ctx: ResolverContext, run: StoredRun): Record<string, unknown> {
  return {
    fileCount: () => ctx.store.files.count(run.seq),
    files: (args: {
      names?: ReadonlyArray<string> | null;
      after?: string | null;
      first?: number | null;
      pattern?: string | null;
    }) => {
      const all = ctx.store.files.list(run.seq, args.names, args.pattern);
      const page = offsetPage(all, args.after, args.first, 50);
      return {
        totalCount: all.length,
        pageInfo: page.pageInfo,
        edges: page.edges.map(({ node, cursor }) => ({ node: fileView(ctx, run, node), cursor })),
      };
    },
  };
}

/**
 * `createRunFiles`: a signed upload URL per file name (the bytes are `PUT` there), as W&B's
 * answers carry them.
 */
export function createRunFiles(
  ctx: ResolverContext,
  run: StoredRun,
  names: ReadonlyArray<string>,
): Record<string, unknown> {
  for (const name of names) {
    if (name.length === 0 || name.startsWith("/") || name.split("/").includes("..")) {
      throw new GraphQLError(`invalid file name ${JSON.stringify(name)}`);
    }
  }
  return {
    runID: run.storageId,
    uploadHeaders: [],
    files: names.map((name) => ({ name, uploadUrl: ctx.storage.uploadUrl(uploadKey(run, name)) })),
  };
}
