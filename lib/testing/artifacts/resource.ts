/**
 * The artifacts resource of the local server: types, collections, versions, their files and
 * manifests in storage, lineage, and the seeded artifacts of acme/mnist.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { mimetypeOf } from "../files/store.ts";
import { artifactsSdl } from "./sdl.ts";
import { ArtifactStore } from "./store.ts";
import {
  artifactQueries,
  manifestJson,
  projectArtifactFields,
  runArtifactFields,
} from "./resolvers.ts";
import { artifactMutations } from "./mutations.ts";
import { type SeedArtifact, seedArtifacts } from "./seed.ts";

/**
 * The artifacts resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { artifactsResource } from "@effect-wandb/api/testing";
 * assert.ok(artifactsResource.rootFields?.linkArtifact !== undefined);
 * ```
 */
export const artifactsResource: ServerResource<ArtifactStore, SeedArtifact> = {
  open: (db) => new ArtifactStore(db),
  sdl: artifactsSdl,
  gated: {
    // The official client sends `filters` and `order` to `ArtifactType.artifactCollections` on
    // every release, and omits them from `Project.artifactCollections` without the feature.
    ARTIFACT_COLLECTIONS_FILTERING_SORTING: [
      "Project.artifactCollections(filters:)",
      "Project.artifactCollections(order:)",
    ],
    ARTIFACT_DIGEST_ALGORITHM: ["Artifact.digestAlgorithm"],
    ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE: ["LinkArtifactPayload.artifactMembership"],
  },
  rootFields: { ...artifactQueries, ...artifactMutations },
  projectFields: projectArtifactFields,
  runFields: runArtifactFields,
  seed: seedArtifacts,
  load: (store, _core, versions) => {
    for (const a of versions) {
      const project = store.projects.get(a.entity, a.project)!;
      const run = (name: string) => store.runs.get(a.entity, a.project, name)!.seq;
      const version = store.artifacts.createVersion(
        store.artifacts.type(project.internalId, a.type, true)!,
        a.collection,
        a.entries.map((e) => ({
          path: e.path,
          ref: e.ref,
          content: e.ref !== undefined
            ? undefined
            : e.text !== undefined
            ? { bytes: new TextEncoder().encode(e.text) }
            : { seed: e.seed ?? 0, size: e.size ?? 0 },
        })),
        {
          description: a.description,
          metadata: a.metadata,
          aliases: a.aliases,
          tags: a.tags,
          loggedBy: run(a.loggedBy),
        },
      );
      const collection = store.artifacts.collection(project.internalId, a.collection)!;
      if (a.collectionTags !== undefined) {
        store.artifacts.setCollectionTags(collection.id, a.collectionTags, []);
      }
      for (const user of a.usedBy) store.artifacts.addRun(run(user), version.id, "input");
      for (const link of a.links) {
        const type = store.artifacts.typeById(collection.typeId)!;
        const portfolio = store.artifacts.collection(project.internalId, link.portfolio) ??
          store.artifacts.createCollection(type, link.portfolio, "portfolio");
        store.artifacts.link(portfolio, version.id, link.aliases);
      }
    }
  },
  storageObjects: {
    manifest: (store, [id]) =>
      store.artifacts.artifact(Number(id)) === undefined ? undefined : {
        content: { bytes: new TextEncoder().encode(manifestJson(store.artifacts, Number(id))) },
        contentType: "application/json",
      },
    "artifact-file": (store, [id, ...rest]) => {
      const path = decodeURIComponent(rest.join("/"));
      const content = store.artifacts.entryContent(Number(id), path);
      return content === undefined ? undefined : { content, contentType: mimetypeOf(path) };
    },
  },
};
