/**
 * The local server's artifacts: types, collections (sequences, and the portfolios versions are
 * linked into), versions with their manifests' entries, aliases, tags and lineage (the runs
 * that logged and used each version), in SQLite beside the runs. Entry bytes are stored, or
 * generated from a seed like large run files.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { generatedMd5 } from "../files/content.ts";
import type { FileContent } from "../files/store.ts";

/** An artifact type of a project. */
export interface StoredArtifactType {
  readonly id: number;
  readonly projectId: number;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
}

/** A collection: a sequence (the versions logged under a name) or a portfolio (links). */
export interface StoredCollection {
  readonly id: number;
  readonly projectId: number;
  readonly typeId: number;
  readonly name: string;
  readonly kind: "sequence" | "portfolio";
  readonly description: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly deleted: boolean;
}

/** A version of a sequence. */
export interface StoredArtifact {
  readonly id: number;
  readonly sequenceId: number;
  readonly versionIndex: number;
  readonly description: string | null;
  /** The metadata JSON text. */
  readonly metadata: string;
  /** Seconds, or -2 for "no TTL" (W&B's value). */
  readonly ttl: number;
  readonly state: "PENDING" | "COMMITTED" | "DELETED";
  readonly digest: string;
  readonly commitHash: string;
  readonly historyStep: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An entry of an artifact's manifest. */
export interface StoredEntry {
  readonly artifactId: number;
  readonly path: string;
  /** MD5 of the bytes, base64 (for a reference: the reference's own digest). */
  readonly digest: string;
  readonly size: number;
  /** A reference URI (`s3://…`, `https://…`) whose bytes live elsewhere, or `null`. */
  readonly ref: string | null;
  readonly birthArtifactId: number;
}

/** What {@link ArtifactStore.createVersion} takes for each entry. */
export interface NewEntry {
  readonly path: string;
  readonly content?: FileContent | undefined;
  /** A reference instead of bytes (with the digest and size it had). */
  readonly ref?:
    | { readonly uri: string; readonly digest: string; readonly size: number }
    | undefined;
}

/**
 * W&B's artifact digest: the MD5 (hex) of `wandb-artifact-manifest-v1\n` and a
 * `<path>:<digest>\n` line per entry, in path order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestDigest } from "@effect-wandb/api/testing";
 * const digest = manifestDigest([{ path: "a.txt", digest: "DMF1ucDxtqgxw5niaXcmYQ==" }]);
 * assert.ok(digest === "f024b674bed5a0376fd8453fc3a5bb7f");
 * ```
 */
export function manifestDigest(
  entries: ReadonlyArray<{ readonly path: string; readonly digest: string }>,
): string {
  const hash = createHash("md5").update("wandb-artifact-manifest-v1\n");
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${e.path}:${e.digest}\n`);
  }
  return hash.digest("hex");
}

interface CollectionRecord {
  id: number;
  project_id: number;
  type_id: number;
  name: string;
  kind: "sequence" | "portfolio";
  description: string | null;
  created_at: string;
  updated_at: string;
  deleted: number;
}

const toCollection = (r: CollectionRecord): StoredCollection => ({
  id: r.id,
  projectId: r.project_id,
  typeId: r.type_id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  deleted: r.deleted === 1,
});

interface ArtifactRecord {
  id: number;
  sequence_id: number;
  version_index: number;
  description: string | null;
  metadata: string;
  ttl: number;
  state: StoredArtifact["state"];
  digest: string;
  commit_hash: string;
  history_step: number | null;
  created_at: string;
  updated_at: string;
}

const toArtifact = (r: ArtifactRecord): StoredArtifact => ({
  id: r.id,
  sequenceId: r.sequence_id,
  versionIndex: r.version_index,
  description: r.description,
  metadata: r.metadata,
  ttl: r.ttl,
  state: r.state,
  digest: r.digest,
  commitHash: r.commit_hash,
  historyStep: r.history_step,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Artifacts of the local server (reached as `server.store.artifacts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * const type = store.artifacts.type(1, "dataset", true)!;
 * const v0 = store.artifacts.createVersion(type, "mnist", [
 *   { path: "a.txt", content: { bytes: new TextEncoder().encode("a") } },
 * ]);
 * assert.ok(v0.versionIndex === 0 && store.artifacts.entries(v0.id).length === 1);
 * store.close();
 * ```
 */
export class ArtifactStore {
  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS artifact_types (
        id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL,
        description TEXT, created_at TEXT NOT NULL, UNIQUE (project_id, name));
      CREATE TABLE IF NOT EXISTS artifact_collections (
        id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, type_id INTEGER NOT NULL,
        name TEXT NOT NULL, kind TEXT NOT NULL, description TEXT, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS collection_tags (
        collection_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (collection_id, name));
      CREATE TABLE IF NOT EXISTS artifacts (
        id INTEGER PRIMARY KEY, sequence_id INTEGER NOT NULL, version_index INTEGER NOT NULL,
        description TEXT, metadata TEXT NOT NULL, ttl INTEGER NOT NULL, state TEXT NOT NULL,
        digest TEXT NOT NULL, commit_hash TEXT NOT NULL, history_step INTEGER,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS artifact_tags (
        artifact_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (artifact_id, name));
      CREATE TABLE IF NOT EXISTS memberships (
        collection_id INTEGER NOT NULL, artifact_id INTEGER NOT NULL,
        version_index INTEGER NOT NULL, PRIMARY KEY (collection_id, artifact_id));
      CREATE TABLE IF NOT EXISTS aliases (
        id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL, alias TEXT NOT NULL,
        artifact_id INTEGER NOT NULL, UNIQUE (collection_id, alias));
      CREATE TABLE IF NOT EXISTS artifact_entries (
        id INTEGER PRIMARY KEY, artifact_id INTEGER NOT NULL, path TEXT NOT NULL,
        digest TEXT NOT NULL, size INTEGER NOT NULL, ref TEXT, birth_artifact_id INTEGER NOT NULL,
        generator INTEGER, content BLOB, UNIQUE (artifact_id, path));
      CREATE TABLE IF NOT EXISTS artifact_runs (
        run_seq INTEGER NOT NULL, artifact_id INTEGER NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY (run_seq, artifact_id, role));
    `);
  }

  /** A project's artifact type by name, created when `create` says so. */
  type(projectId: number, name: string, create = false): StoredArtifactType | undefined {
    const find = () =>
      this.db.prepare("SELECT * FROM artifact_types WHERE project_id = ? AND name = ?").get(
        projectId,
        name,
      ) as
        | {
          id: number;
          project_id: number;
          name: string;
          description: string | null;
          created_at: string;
        }
        | undefined;
    let row = find();
    if (row === undefined && create) {
      this.db.prepare(
        "INSERT INTO artifact_types (project_id, name, description, created_at) VALUES (?, ?, NULL, ?)",
      ).run(projectId, name, new Date().toISOString());
      row = find();
    }
    return row === undefined ? undefined : {
      id: row.id,
      projectId: row.project_id,
      name: row.name,
      description: row.description,
      createdAt: row.created_at,
    };
  }

  /** A type by id. */
  typeById(id: number): StoredArtifactType | undefined {
    const row = this.db.prepare("SELECT project_id, name FROM artifact_types WHERE id = ?").get(
      id,
    ) as
      | { project_id: number; name: string }
      | undefined;
    return row === undefined ? undefined : this.type(row.project_id, row.name);
  }

  /** A project's types, in creation order. */
  types(projectId: number): Array<StoredArtifactType> {
    return (this.db.prepare("SELECT name FROM artifact_types WHERE project_id = ? ORDER BY id")
      .all(projectId) as Array<{ name: string }>).map((r) => this.type(projectId, r.name)!);
  }

  /** A project's live collection by name (of any type). */
  collection(projectId: number, name: string): StoredCollection | undefined {
    const row = this.db.prepare(
      "SELECT * FROM artifact_collections WHERE project_id = ? AND name = ? AND deleted = 0",
    ).get(projectId, name) as CollectionRecord | undefined;
    return row === undefined ? undefined : toCollection(row);
  }

  /** A collection by id (deleted ones too). */
  collectionById(id: number): StoredCollection | undefined {
    const row = this.db.prepare("SELECT * FROM artifact_collections WHERE id = ?").get(id) as
      | CollectionRecord
      | undefined;
    return row === undefined ? undefined : toCollection(row);
  }

  /** The live collections of a type, in creation order. */
  collections(typeId: number): Array<StoredCollection> {
    return (this.db.prepare(
      "SELECT * FROM artifact_collections WHERE type_id = ? AND deleted = 0 ORDER BY id",
    ).all(typeId) as unknown as Array<CollectionRecord>).map(toCollection);
  }

  /** Creates a collection. */
  createCollection(
    type: StoredArtifactType,
    name: string,
    kind: "sequence" | "portfolio",
    description: string | null = null,
  ): StoredCollection {
    const now = new Date().toISOString();
    const id = Number(
      this.db.prepare(
        `INSERT INTO artifact_collections (project_id, type_id, name, kind, description, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(type.projectId, type.id, name, kind, description, now, now).lastInsertRowid,
    );
    return this.collectionById(id)!;
  }

  /** Changes a collection's name, description, type or state. */
  updateCollection(
    collection: StoredCollection,
    changes: {
      readonly name?: string | undefined;
      readonly description?: string | undefined;
      readonly typeId?: number | undefined;
      readonly deleted?: boolean | undefined;
    },
  ): StoredCollection {
    const c = { ...collection, ...changes };
    this.db.prepare(
      `UPDATE artifact_collections SET name = ?, description = ?, type_id = ?, deleted = ?,
         updated_at = ? WHERE id = ?`,
    ).run(c.name, c.description, c.typeId, c.deleted ? 1 : 0, new Date().toISOString(), c.id);
    return this.collectionById(c.id)!;
  }

  /** A collection's tags. */
  collectionTags(collectionId: number): Array<string> {
    return (this.db.prepare(
      "SELECT name FROM collection_tags WHERE collection_id = ? ORDER BY name",
    ).all(collectionId) as Array<{ name: string }>).map((r) => r.name);
  }

  /** Adds or removes a collection's tags. */
  setCollectionTags(
    collectionId: number,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>,
  ) {
    for (const t of add) {
      this.db.prepare("INSERT OR IGNORE INTO collection_tags VALUES (?, ?)").run(collectionId, t);
    }
    for (const t of remove) {
      this.db.prepare("DELETE FROM collection_tags WHERE collection_id = ? AND name = ?").run(
        collectionId,
        t,
      );
    }
  }

  /** An artifact version by id. */
  artifact(id: number): StoredArtifact | undefined {
    const row = this.db.prepare("SELECT * FROM artifacts WHERE id = ?").get(id) as
      | ArtifactRecord
      | undefined;
    return row === undefined ? undefined : toArtifact(row);
  }

  /**
   * The members of a collection, newest version first, with their version in it: a sequence's
   * own versions, or a portfolio's links. Deleted versions are left out.
   */
  members(collectionId: number): Array<{ artifact: StoredArtifact; versionIndex: number }> {
    return (this.db.prepare(
      `SELECT a.*, m.version_index AS member_index FROM memberships m JOIN artifacts a ON a.id = m.artifact_id
       WHERE m.collection_id = ? AND a.state != 'DELETED' ORDER BY m.version_index DESC`,
    ).all(collectionId) as unknown as Array<ArtifactRecord & { member_index: number }>).map((
      r,
    ) => ({
      artifact: toArtifact(r),
      versionIndex: r.member_index,
    }));
  }

  /** The member of a collection at `v<N>`, by alias, or the latest when `version` is absent. */
  resolve(
    collection: StoredCollection,
    version: string | undefined,
  ): { artifact: StoredArtifact; versionIndex: number } | undefined {
    const members = this.members(collection.id);
    const v = /^v(\d+)$/.exec(version ?? "latest");
    if (v !== null) return members.find((m) => m.versionIndex === Number(v[1]));
    const row = this.db.prepare(
      "SELECT artifact_id FROM aliases WHERE collection_id = ? AND alias = ?",
    )
      .get(collection.id, version ?? "latest") as { artifact_id: number } | undefined;
    return row === undefined ? undefined : members.find((m) => m.artifact.id === row.artifact_id);
  }

  /** The collections an artifact belongs to (its sequence first), with its version in each. */
  memberships(artifactId: number): Array<{ collection: StoredCollection; versionIndex: number }> {
    return (this.db.prepare(
      `SELECT c.*, m.version_index AS member_index FROM memberships m
       JOIN artifact_collections c ON c.id = m.collection_id
       WHERE m.artifact_id = ? AND c.deleted = 0 ORDER BY c.kind DESC, c.id`,
    ).all(artifactId) as unknown as Array<CollectionRecord & { member_index: number }>).map((
      r,
    ) => ({
      collection: toCollection(r),
      versionIndex: r.member_index,
    }));
  }

  /** An artifact's aliases, in every collection it belongs to. */
  aliases(artifactId: number): Array<{ id: number; alias: string; collectionId: number }> {
    return (this.db.prepare(
      "SELECT id, alias, collection_id FROM aliases WHERE artifact_id = ? ORDER BY id",
    ).all(artifactId) as Array<{ id: number; alias: string; collection_id: number }>).map((r) => ({
      id: r.id,
      alias: r.alias,
      collectionId: r.collection_id,
    }));
  }

  /** A collection's aliases. */
  collectionAliases(
    collectionId: number,
  ): Array<{ id: number; alias: string; artifactId: number }> {
    return (this.db.prepare(
      "SELECT id, alias, artifact_id FROM aliases WHERE collection_id = ? ORDER BY id",
    ).all(collectionId) as Array<{ id: number; alias: string; artifact_id: number }>).map((r) => ({
      id: r.id,
      alias: r.alias,
      artifactId: r.artifact_id,
    }));
  }

  /** Points an alias of a collection at an artifact (moving it from any other version). */
  setAlias(collectionId: number, alias: string, artifactId: number): void {
    this.db.prepare(
      `INSERT INTO aliases (collection_id, alias, artifact_id) VALUES (?, ?, ?)
       ON CONFLICT (collection_id, alias) DO UPDATE SET artifact_id = excluded.artifact_id`,
    ).run(collectionId, alias, artifactId);
  }

  /** Removes an alias of a collection from an artifact. */
  removeAlias(collectionId: number, alias: string, artifactId: number): void {
    this.db.prepare("DELETE FROM aliases WHERE collection_id = ? AND alias = ? AND artifact_id = ?")
      .run(collectionId, alias, artifactId);
  }

  /** An artifact's tags. */
  tags(artifactId: number): Array<string> {
    return (this.db.prepare("SELECT name FROM artifact_tags WHERE artifact_id = ? ORDER BY name")
      .all(artifactId) as Array<{ name: string }>).map((r) => r.name);
  }

  /** Changes an artifact's description, metadata, TTL and tags. */
  updateArtifact(
    artifact: StoredArtifact,
    changes: {
      readonly description?: string | undefined;
      readonly metadata?: string | undefined;
      readonly ttl?: number | undefined;
      readonly state?: StoredArtifact["state"] | undefined;
      readonly tagsToAdd?: ReadonlyArray<string> | undefined;
      readonly tagsToDelete?: ReadonlyArray<string> | undefined;
    },
  ): StoredArtifact {
    const a = {
      ...artifact,
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    } as StoredArtifact;
    this.db.prepare(
      "UPDATE artifacts SET description = ?, metadata = ?, ttl = ?, state = ?, updated_at = ? WHERE id = ?",
    ).run(a.description, a.metadata, a.ttl, a.state, new Date().toISOString(), a.id);
    for (const t of changes.tagsToAdd ?? []) {
      this.db.prepare("INSERT OR IGNORE INTO artifact_tags VALUES (?, ?)").run(a.id, t);
    }
    for (const t of changes.tagsToDelete ?? []) {
      this.db.prepare("DELETE FROM artifact_tags WHERE artifact_id = ? AND name = ?").run(a.id, t);
    }
    return this.artifact(a.id)!;
  }

  /** Deletes an artifact (its state becomes DELETED; its aliases go). */
  deleteArtifact(artifact: StoredArtifact): StoredArtifact {
    this.db.prepare("DELETE FROM aliases WHERE artifact_id = ?").run(artifact.id);
    return this.updateArtifact(artifact, { state: "DELETED" });
  }

  /** A manifest's entries, in path order. */
  entries(artifactId: number): Array<StoredEntry> {
    return (this.db.prepare(
      `SELECT artifact_id, path, digest, size, ref, birth_artifact_id FROM artifact_entries
       WHERE artifact_id = ? ORDER BY path`,
    ).all(artifactId) as Array<{
      artifact_id: number;
      path: string;
      digest: string;
      size: number;
      ref: string | null;
      birth_artifact_id: number;
    }>).map((r) => ({
      artifactId: r.artifact_id,
      path: r.path,
      digest: r.digest,
      size: r.size,
      ref: r.ref,
      birthArtifactId: r.birth_artifact_id,
    }));
  }

  /** The bytes of an entry (not of a reference). */
  entryContent(artifactId: number, path: string): FileContent | undefined {
    const row = this.db.prepare(
      "SELECT size, generator, content FROM artifact_entries WHERE artifact_id = ? AND path = ? AND ref IS NULL",
    ).get(artifactId, path) as
      | { size: number; generator: number | null; content: Uint8Array | null }
      | undefined;
    if (row === undefined) return undefined;
    return row.generator !== null
      ? { seed: row.generator, size: row.size }
      : { bytes: new Uint8Array(row.content ?? new Uint8Array(0)) };
  }

  /**
   * Adds a version to a collection (created, as a sequence of `type`, if need be): committed,
   * `latest` moved to it, logged by `loggedBy` when given. A version whose digest the sequence
   * holds already is that version (W&B's digest de-duplication).
   */
  createVersion(
    type: StoredArtifactType,
    collectionName: string,
    entries: ReadonlyArray<NewEntry>,
    options?: {
      readonly description?: string | undefined;
      readonly metadata?: Readonly<Record<string, unknown>> | undefined;
      readonly aliases?: ReadonlyArray<string> | undefined;
      readonly tags?: ReadonlyArray<string> | undefined;
      readonly loggedBy?: number | undefined;
      readonly createdAt?: string | undefined;
    },
  ): StoredArtifact {
    const collection = this.collection(type.projectId, collectionName) ??
      this.createCollection(type, collectionName, "sequence");
    const digests = entries.map((e) => ({
      path: e.path,
      digest: e.ref?.digest ?? contentMd5(e.content!),
      size: e.ref?.size ?? contentSize(e.content!),
    }));
    const digest = manifestDigest(digests);
    const existing = this.members(collection.id).find((m) => m.artifact.digest === digest);
    const now = options?.createdAt ?? new Date().toISOString();
    let id: number;
    if (existing !== undefined) {
      id = existing.artifact.id;
    } else {
      const versionIndex = (this.db.prepare(
        "SELECT COALESCE(MAX(version_index) + 1, 0) AS n FROM artifacts WHERE sequence_id = ?",
      ).get(collection.id) as { n: number }).n;
      id = Number(
        this.db.prepare(
          `INSERT INTO artifacts (sequence_id, version_index, description, metadata, ttl, state,
           digest, commit_hash, history_step, created_at, updated_at)
         VALUES (?, ?, ?, ?, -2, 'COMMITTED', ?, ?, NULL, ?, ?)`,
        ).run(
          collection.id,
          versionIndex,
          options?.description ?? null,
          JSON.stringify(options?.metadata ?? {}),
          digest,
          digest.slice(0, 20),
          now,
          now,
        ).lastInsertRowid,
      );
      this.db.prepare("INSERT INTO memberships VALUES (?, ?, ?)").run(
        collection.id,
        id,
        versionIndex,
      );
      const insert = this.db.prepare(
        `INSERT INTO artifact_entries (artifact_id, path, digest, size, ref, birth_artifact_id, generator, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      entries.forEach((e, i) => {
        const content = e.content;
        insert.run(
          id,
          e.path,
          digests[i]!.digest,
          digests[i]!.size,
          e.ref?.uri ?? null,
          id,
          content !== undefined && "seed" in content ? content.seed : null,
          content !== undefined && "bytes" in content ? content.bytes : null,
        );
      });
      this.setAlias(collection.id, "latest", id);
    }
    for (const alias of options?.aliases ?? []) this.setAlias(collection.id, alias, id);
    for (const t of options?.tags ?? []) {
      this.db.prepare("INSERT OR IGNORE INTO artifact_tags VALUES (?, ?)").run(id, t);
    }
    if (options?.loggedBy !== undefined) this.addRun(options.loggedBy, id, "output");
    return this.artifact(id)!;
  }

  /** Links an artifact into a portfolio (created if need be); returns its version there. */
  link(portfolio: StoredCollection, artifactId: number, aliases: ReadonlyArray<string>): number {
    const existing = this.db.prepare(
      "SELECT version_index FROM memberships WHERE collection_id = ? AND artifact_id = ?",
    ).get(portfolio.id, artifactId) as { version_index: number } | undefined;
    const versionIndex = existing?.version_index ?? (this.db.prepare(
      "SELECT COALESCE(MAX(version_index) + 1, 0) AS n FROM memberships WHERE collection_id = ?",
    ).get(portfolio.id) as { n: number }).n;
    if (existing === undefined) {
      this.db.prepare("INSERT INTO memberships VALUES (?, ?, ?)").run(
        portfolio.id,
        artifactId,
        versionIndex,
      );
      this.setAlias(portfolio.id, "latest", artifactId);
    }
    for (const alias of aliases) this.setAlias(portfolio.id, alias, artifactId);
    return versionIndex;
  }

  /** Removes an artifact from a portfolio. */
  unlink(portfolioId: number, artifactId: number): boolean {
    this.db.prepare("DELETE FROM aliases WHERE collection_id = ? AND artifact_id = ?").run(
      portfolioId,
      artifactId,
    );
    return Number(
      this.db.prepare("DELETE FROM memberships WHERE collection_id = ? AND artifact_id = ?")
        .run(portfolioId, artifactId).changes,
    ) > 0;
  }

  /** Records that a run logged (`output`) or used (`input`) an artifact. */
  addRun(runSeq: number, artifactId: number, role: "input" | "output"): void {
    this.db.prepare("INSERT OR IGNORE INTO artifact_runs VALUES (?, ?, ?)").run(
      runSeq,
      artifactId,
      role,
    );
  }

  /** The artifacts a run logged or used, in the order it did. */
  runArtifacts(runSeq: number, role: "input" | "output"): Array<StoredArtifact> {
    return (this.db.prepare(
      `SELECT a.* FROM artifact_runs r JOIN artifacts a ON a.id = r.artifact_id
       WHERE r.run_seq = ? AND r.role = ? AND a.state != 'DELETED' ORDER BY r.rowid`,
    ).all(runSeq, role) as unknown as Array<ArtifactRecord>).map(toArtifact);
  }

  /** The runs that logged or used an artifact. */
  artifactRuns(artifactId: number, role: "input" | "output"): Array<number> {
    return (this.db.prepare(
      "SELECT run_seq FROM artifact_runs WHERE artifact_id = ? AND role = ? ORDER BY rowid",
    ).all(artifactId, role) as Array<{ run_seq: number }>).map((r) => r.run_seq);
  }
}

/** The MD5 (base64) of an entry's bytes. */
export function contentMd5(content: FileContent): string {
  return "bytes" in content
    ? createHash("md5").update(content.bytes).digest("base64")
    : generatedMd5(content.seed, content.size);
}

const contentSize = (content: FileContent): number =>
  "bytes" in content ? content.bytes.length : content.size;
