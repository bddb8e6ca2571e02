/**
 * The local server's artifact fields and mutations, in the shapes the official client reads:
 * types, collections, versions (by `name:alias` and `name:vN`), manifests and files under
 * signed URLs, aliases, tags, links into portfolios, lineage, and the mutations that change
 * them. Every read and write checks that the viewer belongs to the artifact's entity.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { ResolverContext } from "../resource.ts";
import type { StoredProject } from "../projects/store.ts";
import type { StoredRun } from "../runs/store.ts";
import { offsetPage } from "../pages.ts";
import { mimetypeOf } from "../files/store.ts";
import type {
  ArtifactStore,
  StoredArtifact,
  StoredArtifactType,
  StoredCollection,
  StoredEntry,
} from "./store.ts";

/** W&B node ids: base64 of `<Type>:<id>`. */
export const nodeId = (type: string, id: number | string): string => btoa(`${type}:${id}`);

/** The numeric id in a node id of one of `types`, or `undefined`. */
export function idOf(id: string, ...types: ReadonlyArray<string>): number | undefined {
  try {
    const [type, value] = atob(id).split(":");
    return types.includes(type!) && /^\d+$/.test(value ?? "") ? Number(value) : undefined;
  } catch {
    return undefined;
  }
}

/** The storage key of an artifact's manifest. */
export const manifestKey = (artifactId: number): string => `manifest/${artifactId}`;

/** The storage key of an artifact entry's bytes. */
export const entryKey = (artifactId: number, path: string): string =>
  `artifact-file/${artifactId}/${encodeURIComponent(path)}`;

/** The manifest JSON of an artifact, as W&B's storage serves it. */
export function manifestJson(artifacts: ArtifactStore, artifactId: number): string {
  const contents: Record<string, unknown> = {};
  for (const e of artifacts.entries(artifactId)) {
    contents[e.path] = {
      digest: e.digest,
      size: e.size,
      birthArtifactID: nodeId("Artifact", e.birthArtifactId),
      ...(e.ref === null ? {} : { ref: e.ref }),
    };
  }
  return JSON.stringify({
    version: 1,
    storagePolicy: "wandb-storage-policy-v1",
    storagePolicyConfig: { storageLayout: "V2" },
    contents,
  });
}

const connection = <A>(
  items: ReadonlyArray<A>,
  args: { after?: string | null; first?: number | null },
  view: (item: A) => unknown,
  extra?: (item: A) => Record<string, unknown>,
) => {
  const page = offsetPage(items, args.after, args.first, 50);
  return {
    totalCount: items.length,
    pageInfo: page.pageInfo,
    edges: page.edges.map(({ node, cursor }) => ({ node: view(node), cursor, ...extra?.(node) })),
  };
};

export const projectOf = (ctx: ResolverContext, projectId: number): StoredProject => {
  const project = ctx.store.projects.byId(projectId);
  if (project === undefined) throw new GraphQLError(`project ${projectId} does not exist`);
  return project;
};

/** The `ArtifactType` view. */
export function typeView(ctx: ResolverContext, type: StoredArtifactType): Record<string, unknown> {
  const artifacts = ctx.store.artifacts;
  return {
    id: nodeId("ArtifactType", type.id),
    name: type.name,
    description: type.description,
    createdAt: type.createdAt,
    project: () => ctx.projectView(projectOf(ctx, type.projectId)),
    artifactCollections: (args: { after?: string | null; first?: number | null }) =>
      connection(artifacts.collections(type.id), args, (c) => collectionView(ctx, c)),
    artifactCollection: ({ name }: { name: string }) => {
      const c = artifacts.collection(type.projectId, name);
      return c === undefined || c.typeId !== type.id ? null : collectionView(ctx, c);
    },
    artifact: ({ name }: { name: string }) => {
      const found = resolveName(artifacts, type.projectId, name);
      return found === undefined || found.collection.typeId !== type.id
        ? null
        : artifactView(ctx, found.artifact);
    },
  };
}

/** The project's artifact named `collection[:alias|:vN]`, and its collection. */
export function resolveName(
  artifacts: ArtifactStore,
  projectId: number,
  name: string,
): { artifact: StoredArtifact; collection: StoredCollection } | undefined {
  const colon = name.lastIndexOf(":");
  const collectionName = colon < 0 ? name : name.slice(0, colon);
  const version = colon < 0 ? undefined : name.slice(colon + 1);
  const collection = artifacts.collection(projectId, collectionName);
  if (collection === undefined) return undefined;
  const member = artifacts.resolve(collection, version);
  return member === undefined ? undefined : { artifact: member.artifact, collection };
}

export const tagView = (name: string) => ({ id: nodeId("Tag", name), name, tagCategoryName: null });

/** The `ArtifactCollection` view (an `ArtifactSequence` or an `ArtifactPortfolio`). */
export function collectionView(ctx: ResolverContext, c: StoredCollection): Record<string, unknown> {
  const artifacts = ctx.store.artifacts;
  const typename = c.kind === "sequence" ? "ArtifactSequence" : "ArtifactPortfolio";
  return {
    __typename: typename,
    id: nodeId(typename, c.id),
    name: c.name,
    description: c.description,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    state: c.deleted ? "DELETED" : "READY",
    project: () => ctx.projectView(projectOf(ctx, c.projectId)),
    defaultArtifactType: () => typeView(ctx, artifacts.typeById(c.typeId)!),
    tags: () => ({
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: artifacts.collectionTags(c.id).map((t) => ({ node: tagView(t), cursor: t })),
    }),
    aliases: (args: { after?: string | null; first?: number | null }) =>
      connection(
        artifacts.collectionAliases(c.id),
        args,
        (a) => ({ id: nodeId("ArtifactAlias", a.id), alias: a.alias, artifactCollection: null }),
      ),
    artifacts: (
      args: { after?: string | null; first?: number | null; filters?: string | null },
    ) => {
      let members = artifacts.members(c.id);
      const filters = args.filters ? JSON.parse(args.filters) as { state?: string } : {};
      if (typeof filters.state === "string") {
        members = members.filter((m) => m.artifact.state === filters.state);
      }
      return connection(
        members,
        args,
        (m) => artifactView(ctx, m.artifact),
        (m) => ({ version: `v${m.versionIndex}` }),
      );
    },
    latestArtifact: () => {
      const latest = artifacts.resolve(c, "latest");
      return latest === undefined ? null : artifactView(ctx, latest.artifact);
    },
    artifactMembership: ({ aliasName }: { aliasName: string }) => {
      const member = artifacts.resolve(c, aliasName);
      return member === undefined ? null : membershipView(ctx, member.artifact, {
        collection: c,
        versionIndex: member.versionIndex,
      });
    },
  };
}

/** A manifest entry as a `File`. */
function entryView(ctx: ResolverContext, a: StoredArtifact, e: StoredEntry) {
  return {
    id: nodeId("File", `a${a.id}:${e.path}`),
    name: e.path,
    displayName: e.path,
    url: e.ref ?? ctx.storage.signedUrl(entryKey(a.id, e.path)),
    directUrl: e.ref ?? ctx.storage.signedUrl(entryKey(a.id, e.path)),
    sizeBytes: e.size,
    mimetype: mimetypeOf(e.path),
    updatedAt: a.updatedAt,
    digest: e.digest,
    md5: e.digest,
    storagePath: `wandb_artifacts/${a.id}/${e.path}`,
  };
}

/** The `Artifact` view. */
export function artifactView(ctx: ResolverContext, a: StoredArtifact): Record<string, unknown> {
  const artifacts = ctx.store.artifacts;
  const entries = () => artifacts.entries(a.id);
  const sequence = () => artifacts.collectionById(a.sequenceId)!;
  return {
    __typename: "Artifact",
    id: nodeId("Artifact", a.id),
    artifactSequence: () => collectionView(ctx, sequence()),
    versionIndex: a.versionIndex,
    artifactType: () => typeView(ctx, artifacts.typeById(sequence().typeId)!),
    description: a.description,
    metadata: a.metadata,
    ttlDurationSeconds: a.ttl,
    ttlIsInherited: false,
    tags: () => artifacts.tags(a.id).map(tagView),
    historyStep: a.historyStep,
    state: a.state,
    size: () => entries().reduce((n, e) => n + e.size, 0),
    digest: a.digest,
    digestAlgorithm: "MANIFEST_MD5",
    commitHash: a.commitHash,
    fileCount: () => entries().length,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    aliases: () =>
      artifacts.aliases(a.id).map((alias) => ({
        id: nodeId("ArtifactAlias", alias.id),
        alias: alias.alias,
        artifactCollection: collectionView(ctx, artifacts.collectionById(alias.collectionId)!),
      })),
    currentManifest: () => ({
      id: nodeId("ArtifactManifest", a.id),
      file: {
        id: nodeId("File", `m${a.id}`),
        name: "wandb_manifest.json",
        displayName: "wandb_manifest.json",
        directUrl: ctx.storage.signedUrl(manifestKey(a.id)),
        url: ctx.storage.signedUrl(manifestKey(a.id)),
        mimetype: "application/json",
      },
    }),
    files: (
      args: { names?: ReadonlyArray<string> | null; after?: string | null; first?: number | null },
    ) => {
      const wanted = args.names === null || args.names === undefined || args.names.length === 0
        ? undefined
        : new Set(args.names);
      return connection(
        entries().filter((e) => wanted === undefined || wanted.has(e.path)),
        args,
        (e) => entryView(ctx, a, e),
      );
    },
    usedBy: (args: { after?: string | null; first?: number | null }) =>
      connection(
        artifacts.artifactRuns(a.id, "input").map((seq) => ctx.store.runs.bySeq(seq)!).filter(
          Boolean,
        ),
        args,
        ctx.runView,
      ),
    createdBy: () => {
      const seq = artifacts.artifactRuns(a.id, "output")[0];
      const run = seq === undefined ? undefined : ctx.store.runs.bySeq(seq);
      return run === undefined ? null : { __typename: "Run", ...(ctx.runView(run) as object) };
    },
    artifactMemberships: (args: { after?: string | null; first?: number | null }) =>
      connection(artifacts.memberships(a.id), args, (m) => membershipView(ctx, a, m)),
  };
}

export function membershipView(
  ctx: ResolverContext,
  a: StoredArtifact,
  m: { collection: StoredCollection; versionIndex: number },
) {
  const artifact = artifactView(ctx, a);
  return {
    id: nodeId("ArtifactCollectionMembership", `${m.collection.id}:${a.id}`),
    versionIndex: m.versionIndex,
    // The store keeps no time per membership: a version joins its own sequence when created.
    createdAt: a.createdAt,
    aliases: ctx.store.artifacts.aliases(a.id).filter((x) => x.collectionId === m.collection.id)
      .map((x) => ({
        id: nodeId("ArtifactAlias", x.id),
        alias: x.alias,
        artifactCollection: null,
      })),
    artifactCollection: collectionView(ctx, m.collection),
    artifact,
    // The version's files, as its own Artifact.files answers them.
    files: artifact.files,
  };
}

/** The `Project` fields about artifacts. */
export function projectArtifactFields(
  ctx: ResolverContext,
  project: StoredProject,
): Record<string, unknown> {
  const artifacts = ctx.store.artifacts;
  return {
    artifactType: ({ name }: { name: string }) => {
      const type = artifacts.type(project.internalId, name);
      return type === undefined ? null : typeView(ctx, type);
    },
    artifactTypes: (args: { after?: string | null; first?: number | null }) =>
      connection(artifacts.types(project.internalId), args, (t) => typeView(ctx, t)),
    artifact: ({ name, enableTracking }: { name: string; enableTracking?: boolean | null }) => {
      const found = resolveName(artifacts, project.internalId, name);
      void enableTracking;
      return found === undefined ? null : artifactView(ctx, found.artifact);
    },
    artifactCollection: ({ name }: { name: string }) => {
      const c = artifacts.collection(project.internalId, name);
      return c === undefined ? null : collectionView(ctx, c);
    },
    artifactCollectionMembership: ({ name }: { name: string }) => {
      const found = resolveName(artifacts, project.internalId, name);
      if (found === undefined) return null;
      const member = artifacts.memberships(found.artifact.id).find((m) =>
        m.collection.id === found.collection.id
      );
      return member === undefined ? null : membershipView(ctx, found.artifact, member);
    },
  };
}

/** The `Run` fields about artifacts: what it logged and what it used. */
export function runArtifactFields(ctx: ResolverContext, run: StoredRun): Record<string, unknown> {
  const list =
    (role: "input" | "output") => (args: { after?: string | null; first?: number | null }) =>
      connection(
        ctx.store.artifacts.runArtifacts(run.seq, role),
        args,
        (a) => artifactView(ctx, a),
      );
  return { outputArtifacts: list("output"), inputArtifacts: list("input") };
}

/** The artifact of a node id, its viewer's access checked; a GraphQL error when there is none. */
export function artifactById(ctx: ResolverContext, id: string): StoredArtifact {
  const artifact = ctx.store.artifacts.artifact(idOf(id, "Artifact") ?? -1);
  if (artifact === undefined || artifact.state === "DELETED") {
    throw new GraphQLError(`artifact ${id} does not exist`);
  }
  checkArtifact(ctx, artifact);
  return artifact;
}

function checkArtifact(ctx: ResolverContext, artifact: StoredArtifact): StoredCollection {
  const sequence = ctx.store.artifacts.collectionById(artifact.sequenceId)!;
  ctx.checkEntity(projectOf(ctx, sequence.projectId).entity);
  return sequence;
}

export function collectionById(ctx: ResolverContext, id: string): StoredCollection {
  const c = ctx.store.artifacts.collectionById(
    idOf(id, "ArtifactSequence", "ArtifactPortfolio", "ArtifactCollection") ?? -1,
  );
  if (c === undefined || c.deleted) {
    throw new GraphQLError(`artifact collection ${id} does not exist`);
  }
  ctx.checkEntity(projectOf(ctx, c.projectId).entity);
  return c;
}

export function projectFor(ctx: ResolverContext, entity: string, project: string): StoredProject {
  ctx.checkEntity(entity);
  const found = ctx.store.projects.get(entity, project);
  if (found === undefined) throw new GraphQLError(`project ${entity}/${project} does not exist`);
  return found;
}

export const tagNames = (tags: ReadonlyArray<{ tagName: string }> | null | undefined) =>
  (tags ?? []).map((t) => {
    if (!/^[-\w]+([ ]+[-\w]+)*$/.test(t.tagName)) {
      throw new GraphQLError(`invalid tag ${t.tagName}`);
    }
    return t.tagName;
  });

export interface AliasInput {
  readonly alias: string;
  readonly artifactCollectionName: string;
  readonly entityName: string;
  readonly projectName: string;
}

/** Query root fields about artifacts. */
export const artifactQueries = {
  artifact: ({ id }: { id: string }, ctx: ResolverContext) => {
    const artifact = ctx.store.artifacts.artifact(idOf(id, "Artifact") ?? -1);
    if (artifact === undefined || artifact.state === "DELETED") return null;
    checkArtifact(ctx, artifact);
    return artifactView(ctx, artifact);
  },
  artifactCollection: ({ id }: { id: string }, ctx: ResolverContext) =>
    collectionView(ctx, collectionById(ctx, id)),
  artifactSequence: ({ id }: { id: string }, ctx: ResolverContext) =>
    collectionView(ctx, collectionById(ctx, id)),
};
