/**
 * The run-files resource of the local server: `Run.files`, uploads and deletions, the files'
 * bytes in storage, the authenticated `GET /files/…` download, and the seeded runs' files.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { ServerResource } from "../resource.ts";
import { filesSdl } from "./sdl.ts";
import { RunFileStore } from "./store.ts";
import { createRunFiles, fileIdOf, fileKey, runFileFields } from "./resolvers.ts";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * The run-files resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filesResource } from "@effect-wandb/api/testing";
 * assert.ok(filesResource.rootFields?.createRunFiles !== undefined);
 * ```
 */
export const filesResource: ServerResource<RunFileStore> = {
  open: (db) => new RunFileStore(db),
  sdl: filesSdl,
  gated: { TOTAL_COUNT_IN_FILE_CONNECTION: ["FileConnection.totalCount"] },
  runFields: runFileFields,
  rootFields: {
    createRunFiles: (
      { input }: {
        input: { entityName: string; projectName: string; runName: string; files: Array<string> };
      },
      ctx,
    ) => {
      ctx.checkEntity(input.entityName);
      const run = ctx.store.runs.get(input.entityName, input.projectName, input.runName);
      if (run === undefined) {
        throw new GraphQLError(
          `run ${input.entityName}/${input.projectName}/${input.runName} does not exist`,
        );
      }
      return createRunFiles(ctx, run, input.files);
    },
    deleteFiles: ({ input }: { input: { files: Array<string> } }, ctx) => {
      const ids = input.files.map((nodeId) => {
        const file = ctx.store.files.get(fileIdOf(nodeId) ?? -1);
        if (file === undefined) throw new GraphQLError(`file ${nodeId} does not exist`);
        // A file of a run the viewer may not change: the whole mutation is refused.
        ctx.canRead(ctx.store.runs.bySeq(file.runSeq)!.entity);
        return file.id;
      });
      ctx.store.files.delete(ids);
      return { success: true, clientMutationId: null };
    },
  },
  load: (store, core) => {
    for (const r of core.runs) {
      const seq = store.runs.get(r.entity, r.project, r.name)!.seq;
      for (const f of r.files) {
        store.files.put(
          seq,
          f.name,
          f.text !== undefined
            ? { bytes: new TextEncoder().encode(f.text) }
            : { seed: f.seed ?? 0, size: f.size ?? 0 },
          { updatedAt: r.heartbeatAt },
        );
      }
    }
  },
  storageObjects: {
    file: (store, [id]) => {
      const file = store.files.get(Number(id));
      return file === undefined
        ? undefined
        : { content: store.files.content(file), contentType: file.mimetype };
    },
  },
  uploads: {
    upload: (store, [seq, name], bytes) => {
      const run = store.runs.bySeq(Number(seq));
      if (run === undefined || name === undefined) return false;
      store.files.put(run.seq, decodeURIComponent(name), { bytes });
      return true;
    },
  },
  /**
   * `GET /files/<entity>/<project>/<run>/<name>` with the API key: a file's `url`, which the
   * official client's `File.download` reads (clients that read `directUrl` send no key). As W&B
   * does, it redirects to the file's signed URL in storage, another origin, where the key must
   * not follow.
   */
  route: (request, server) => {
    const match = /^\/files\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/.exec(new URL(request.url).pathname);
    if (match === null || request.method !== "GET") return undefined;
    const viewer = server.viewerOf(request);
    if (viewer === undefined) return json(401, { error: "user is not logged in" });
    const [, entity, project, runName, name] = match.map((p) => decodeURIComponent(p ?? ""));
    if (!server.store.users.entity(entity!)?.members.includes(viewer.username)) {
      return json(403, { error: "permission denied" });
    }
    const run = server.store.runs.get(entity!, project!, runName!);
    const file = run === undefined ? undefined : server.store.files.byName(run.seq, name!);
    if (file === undefined) return json(404, { error: "file not found" });
    return new Response(null, {
      status: 302,
      headers: { location: server.storage.signedUrl(fileKey(file)) },
    });
  },
};
