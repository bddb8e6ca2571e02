/**
 * Decoders of artifacts: the official client's `ArtifactFragment`, `ArtifactCollectionFragment`,
 * `ArtifactTypeFragment`, `FileFragment` and the manifest JSON, and the values the API hands
 * out (Python's `Artifact`, `ArtifactCollection`, `ArtifactType`, `ArtifactManifestEntry`).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import type { ProjectPath } from "../core/paths.ts";
import { fromWandbJsonString } from "../core/wandb_json.ts";

const ProjectInfo = Schema.Struct({
  name: Schema.String,
  entity: Schema.Struct({ name: Schema.String }),
});

/** A project as fragments select it. */
export interface ProjectInfoData {
  readonly name: string;
  readonly entity: { readonly name: string };
}

/** `ArtifactTypeFragment`. */
export interface ArtifactTypeNodeData {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string | null;
}

/** Decodes `ArtifactTypeFragment`. */
export const ArtifactTypeNode: Schema.Decoder<ArtifactTypeNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  createdAt: Schema.NullOr(Schema.String),
});

/** `ArtifactCollectionFragment`. */
export interface ArtifactCollectionNodeData {
  readonly __typename: string;
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt?: string | null | undefined;
  readonly project: ProjectInfoData;
  readonly type: { readonly name: string };
  readonly tags: {
    readonly edges: ReadonlyArray<{ readonly node: { readonly name: string } }>;
  };
}

/** Decodes `ArtifactCollectionFragment`. */
export const ArtifactCollectionNode: Schema.Decoder<ArtifactCollectionNodeData> = Schema.Struct({
  __typename: Schema.String,
  id: Schema.String,
  name: Schema.String,
  description: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
  updatedAt: Schema.optional(Schema.NullOr(Schema.String)),
  project: ProjectInfo,
  type: Schema.Struct({ name: Schema.String }),
  tags: Schema.Struct({
    edges: Schema.Array(Schema.Struct({ node: Schema.Struct({ name: Schema.String }) })),
  }),
});

/** `ArtifactFragment`. */
export interface ArtifactNodeData {
  readonly id: string;
  readonly artifactSequence: { readonly name: string; readonly project: ProjectInfoData };
  readonly versionIndex: number | null;
  readonly artifactType: { readonly name: string };
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly ttlDurationSeconds: number | null;
  readonly ttlIsInherited: boolean | null;
  readonly tags: ReadonlyArray<{ readonly name: string }>;
  readonly historyStep: number | null;
  readonly state: string;
  readonly size: number;
  readonly digest: string;
  readonly commitHash: string | null;
  readonly fileCount: number;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly aliases?:
    | ReadonlyArray<{
      readonly alias: string;
      readonly artifactCollection:
        | { readonly name: string; readonly project: ProjectInfoData }
        | null;
    }>
    | undefined;
}

/** Decodes `ArtifactFragment` (its `metadata` JSON string with W&B's JSON rules). */
export const ArtifactNode: Schema.Decoder<ArtifactNodeData> = Schema.Struct({
  id: Schema.String,
  artifactSequence: Schema.Struct({ name: Schema.String, project: ProjectInfo }),
  versionIndex: Schema.NullOr(Schema.Number),
  artifactType: Schema.Struct({ name: Schema.String }),
  description: Schema.NullOr(Schema.String),
  metadata: Schema.NullOr(fromWandbJsonString(Schema.Record(Schema.String, Schema.Unknown))),
  ttlDurationSeconds: Schema.NullOr(Schema.Number),
  ttlIsInherited: Schema.NullOr(Schema.Boolean),
  tags: Schema.Array(Schema.Struct({ name: Schema.String })),
  historyStep: Schema.NullOr(Schema.Number),
  state: Schema.String,
  size: Schema.Number,
  digest: Schema.String,
  commitHash: Schema.NullOr(Schema.String),
  fileCount: Schema.Number,
  createdAt: Schema.String,
  updatedAt: Schema.NullOr(Schema.String),
  aliases: Schema.optional(Schema.Array(Schema.Struct({
    alias: Schema.String,
    artifactCollection: Schema.NullOr(Schema.Struct({ name: Schema.String, project: ProjectInfo })),
  }))),
});

/** An artifact type of a project (Python's `ArtifactType`). */
export interface ArtifactType {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string | null;
  readonly project: ProjectPath;
}

/** A collection of artifact versions (Python's `ArtifactCollection`). */
export interface ArtifactCollection {
  readonly id: string;
  readonly name: string;
  /** `entity/project/name`. */
  readonly path: string;
  readonly project: ProjectPath;
  /** The artifact type of its versions. */
  readonly type: string;
  readonly description: string | null;
  readonly tags: ReadonlyArray<string>;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  /** `sequence`: the versions logged under this name; `portfolio`: versions linked into it. */
  readonly kind: "sequence" | "portfolio";
}

/** A version of an artifact (Python's `Artifact`, as `api.artifact(…)` returns it). */
export interface Artifact {
  /** The server's node id. */
  readonly id: string;
  /**
   * Python's `name`: `collection:alias` as it was asked for (`api.artifact("…/mnist-raw:latest")`
   * is `mnist-raw:latest`), `collection:vN` when listed.
   */
  readonly name: string;
  /** `entity/project/<name>`. */
  readonly qualifiedName: string;
  readonly entity: string;
  readonly project: string;
  /** The sequence it was logged to. */
  readonly collection: string;
  /** `vN`. */
  readonly version: string;
  readonly versionIndex: number;
  /** Its aliases in its sequence (`latest`, `best`, …). */
  readonly aliases: ReadonlyArray<string>;
  readonly tags: ReadonlyArray<string>;
  readonly type: string;
  readonly description: string | null;
  /** Decoded with W&B's JSON rules (NaN, big integers). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The manifest digest (hex MD5 of its entries). */
  readonly digest: string;
  /** Total size of its files, in bytes. */
  readonly size: number;
  readonly fileCount: number;
  /** `COMMITTED`, `PENDING` or `DELETED`. */
  readonly state: string;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  /** Time to live in seconds, or `null` without one (W&B sends -2 for "none"). */
  readonly ttl: number | null;
  readonly ttlIsInherited: boolean;
  readonly historyStep: number | null;
  readonly commitHash: string | null;
}

/** Builds an {@link Artifact} from a decoded `ArtifactFragment`. */
export function toArtifact(node: ArtifactNodeData): Artifact {
  const entity = node.artifactSequence.project.entity.name;
  const project = node.artifactSequence.project.name;
  const collection = node.artifactSequence.name;
  const versionIndex = node.versionIndex ?? 0;
  const name = `${collection}:v${versionIndex}`;
  return {
    id: node.id,
    name,
    qualifiedName: `${entity}/${project}/${name}`,
    entity,
    project,
    collection,
    version: `v${versionIndex}`,
    versionIndex,
    // As Python does: only the aliases of the sequence it was logged to.
    aliases: (node.aliases ?? []).filter((a) =>
      a.artifactCollection === null ||
      (a.artifactCollection.name === collection &&
        a.artifactCollection.project.name === project &&
        a.artifactCollection.project.entity.name === entity)
    ).map((a) => a.alias),
    tags: node.tags.map((t) => t.name),
    type: node.artifactType.name,
    description: node.description,
    metadata: node.metadata ?? {},
    digest: node.digest,
    size: node.size,
    fileCount: node.fileCount,
    state: node.state,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    ttl: node.ttlDurationSeconds === null || node.ttlDurationSeconds <= 0
      ? null
      : node.ttlDurationSeconds,
    ttlIsInherited: node.ttlIsInherited ?? false,
    historyStep: node.historyStep,
    commitHash: node.commitHash,
  };
}

/** Builds an {@link ArtifactCollection} from a decoded fragment. */
export function toArtifactCollection(node: ArtifactCollectionNodeData): ArtifactCollection {
  const project = { entity: node.project.entity.name, project: node.project.name };
  return {
    id: node.id,
    name: node.name,
    path: `${project.entity}/${project.project}/${node.name}`,
    project,
    type: node.type.name,
    description: node.description,
    tags: node.tags.edges.map((e) => e.node.name),
    createdAt: node.createdAt,
    updatedAt: node.updatedAt ?? null,
    kind: node.__typename === "ArtifactPortfolio" ? "portfolio" : "sequence",
  };
}

/** An entry of an artifact's manifest (Python's `ArtifactManifestEntry`). */
export interface ArtifactManifestEntry {
  /** Its path in the artifact. */
  readonly path: string;
  /** MD5 of its bytes, base64 (a reference's own digest for references). */
  readonly digest: string;
  readonly size: number | null;
  /** The URI of a reference entry (`s3://…`, `https://…`), whose bytes live elsewhere. */
  readonly ref: string | null;
  /** The artifact that first logged these bytes. */
  readonly birthArtifactId: string | null;
  readonly extra: Readonly<Record<string, unknown>>;
}

/** An artifact's manifest (`wandb_manifest.json`). */
export interface ArtifactManifest {
  readonly version: number;
  readonly storagePolicy: string;
  readonly storagePolicyConfig: Readonly<Record<string, unknown>>;
  /** The entries, in path order. */
  readonly entries: ReadonlyArray<ArtifactManifestEntry>;
}

/** An entry of the manifest's JSON `contents`. */
export interface ManifestEntryJsonData {
  readonly digest: string;
  readonly size?: number | null | undefined;
  readonly ref?: string | null | undefined;
  readonly birthArtifactID?: string | null | undefined;
  readonly extra?: Readonly<Record<string, unknown>> | null | undefined;
}

const ManifestEntryJson: Schema.Decoder<ManifestEntryJsonData> = Schema.Struct({
  digest: Schema.String,
  size: Schema.optional(Schema.NullOr(Schema.Number)),
  ref: Schema.optional(Schema.NullOr(Schema.String)),
  birthArtifactID: Schema.optional(Schema.NullOr(Schema.String)),
  extra: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown))),
});

/** The manifest's JSON, as storage serves it. */
export interface ArtifactManifestJson {
  readonly version: number;
  readonly storagePolicy: string;
  readonly storagePolicyConfig?: Readonly<Record<string, unknown>> | undefined;
  readonly contents: Readonly<Record<string, ManifestEntryJsonData>>;
}

/** Decodes a manifest's JSON text (W&B's JSON rules). */
export const ArtifactManifestText: Schema.Decoder<ArtifactManifestJson> = fromWandbJsonString(
  Schema.Struct({
    version: Schema.Number,
    storagePolicy: Schema.String,
    storagePolicyConfig: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
    contents: Schema.Record(Schema.String, ManifestEntryJson),
  }),
);

/** Builds an {@link ArtifactManifest} from its decoded JSON. */
export function toManifest(json: ArtifactManifestJson): ArtifactManifest {
  return {
    version: json.version,
    storagePolicy: json.storagePolicy,
    storagePolicyConfig: json.storagePolicyConfig ?? {},
    entries: Object.entries(json.contents)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, e]) => ({
        path,
        digest: e.digest,
        size: e.size ?? null,
        ref: e.ref ?? null,
        birthArtifactId: e.birthArtifactID ?? null,
        extra: e.extra ?? {},
      })),
  };
}

/** `FileFragment` of an artifact's files. */
export interface ArtifactFileNodeData {
  readonly id: string;
  readonly name: string;
  readonly url: string | null;
  readonly sizeBytes: number | null;
  readonly storagePath: string | null;
  readonly mimetype: string | null;
  readonly updatedAt: string | null;
  readonly digest: string | null;
  readonly md5: string | null;
  readonly directUrl: string | null;
}

/** Decodes an artifact's `FileFragment`. */
export const ArtifactFileNode: Schema.Decoder<ArtifactFileNodeData> = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  url: Schema.NullOr(Schema.String),
  sizeBytes: Schema.NullOr(Schema.Number),
  storagePath: Schema.NullOr(Schema.String),
  mimetype: Schema.NullOr(Schema.String),
  updatedAt: Schema.NullOr(Schema.String),
  digest: Schema.NullOr(Schema.String),
  md5: Schema.NullOr(Schema.String),
  directUrl: Schema.NullOr(Schema.String),
});

/** A file of an artifact as the server lists it (Python's `artifact.files()` items). */
export interface ArtifactFile {
  readonly id: string;
  /** Its path in the artifact. */
  readonly name: string;
  readonly size: number;
  readonly md5: string | null;
  readonly digest: string | null;
  readonly mimetype: string | null;
  readonly updatedAt: string | null;
  /** The signed storage URL (read without credentials; it expires). */
  readonly directUrl: string | null;
  readonly storagePath: string | null;
}

/** Builds an {@link ArtifactFile}. */
export const toArtifactFile = (node: ArtifactFileNodeData): ArtifactFile => ({
  id: node.id,
  name: node.name,
  size: node.sizeBytes ?? 0,
  md5: node.md5,
  digest: node.digest,
  mimetype: node.mimetype,
  updatedAt: node.updatedAt,
  directUrl: node.directUrl,
  storagePath: node.storagePath,
});
