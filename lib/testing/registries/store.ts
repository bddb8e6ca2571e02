/**
 * The local server's registries: projects of an organization's org entity named
 * `wandb-registry-<name>`, with their visibility, the artifact types they take, and their members
 * (users and teams, each with a role). The collections and versions in them are artifacts'.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";

/** W&B's prefix of a registry's project name. */
export const registryPrefix = "wandb-registry-";

/** What a registry holds beyond its project. */
export interface StoredRegistry {
  readonly projectId: number;
  /** `PRIVATE` (visible to the organization) or `RESTRICTED` (to its members). */
  readonly access: string;
  readonly allowAllArtifactTypes: boolean;
  readonly artifactTypes: ReadonlyArray<string>;
}

/** A member of a registry: a user or a team, with a role (`admin`, `member`, `viewer`, …). */
export type StoredRegistryMember =
  | { readonly kind: "user"; readonly userId: number; readonly role: string }
  | { readonly kind: "team"; readonly entity: string; readonly role: string };

/**
 * Registries of the local server (reached as `server.store.registries`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.registries.set(7, { access: "RESTRICTED", allowAllArtifactTypes: false, artifactTypes: ["model"] });
 * store.registries.addMember(7, { kind: "user", userId: 1, role: "admin" });
 * assert.ok(store.registries.get(7)?.access === "RESTRICTED");
 * assert.ok(store.registries.members(7).length === 1);
 * store.close();
 * ```
 */
export class RegistryStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS registries (
        project_id INTEGER PRIMARY KEY, access TEXT NOT NULL, allow_all INTEGER NOT NULL,
        types TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS registry_members (
        project_id INTEGER NOT NULL, user_id INTEGER, entity TEXT, role TEXT NOT NULL,
        UNIQUE (project_id, user_id, entity));
    `);
    this.statements = new Statements(db);
  }

  /** Sets (or replaces) what a registry's project holds as a registry. */
  set(projectId: number, registry: Omit<StoredRegistry, "projectId">): StoredRegistry {
    this.statements.get(
      `INSERT INTO registries (project_id, access, allow_all, types) VALUES (?, ?, ?, ?)
       ON CONFLICT (project_id) DO UPDATE SET access = excluded.access,
         allow_all = excluded.allow_all, types = excluded.types`,
    ).run(
      projectId,
      registry.access,
      registry.allowAllArtifactTypes ? 1 : 0,
      JSON.stringify(registry.artifactTypes),
    );
    return this.get(projectId)!;
  }

  /** A registry by its project's id, if that project is one. */
  get(projectId: number): StoredRegistry | undefined {
    const row = this.statements.get("SELECT * FROM registries WHERE project_id = ?").get(
      projectId,
    ) as { project_id: number; access: string; allow_all: number; types: string } | undefined;
    return row === undefined ? undefined : {
      projectId: row.project_id,
      access: row.access,
      allowAllArtifactTypes: row.allow_all === 1,
      artifactTypes: JSON.parse(row.types),
    };
  }

  /** Forgets a registry (its project is deleted by its own store). */
  delete(projectId: number): void {
    this.statements.get("DELETE FROM registries WHERE project_id = ?").run(projectId);
    this.statements.get("DELETE FROM registry_members WHERE project_id = ?").run(projectId);
  }

  /** A registry's members, users first. */
  members(projectId: number): Array<StoredRegistryMember> {
    return (this.statements.get(
      "SELECT * FROM registry_members WHERE project_id = ? ORDER BY entity IS NOT NULL, rowid",
    ).all(projectId) as Array<{ user_id: number | null; entity: string | null; role: string }>)
      .map((r): StoredRegistryMember =>
        r.user_id !== null
          ? { kind: "user", userId: r.user_id, role: r.role }
          : { kind: "team", entity: r.entity!, role: r.role }
      );
  }

  /** Adds a member (or changes the role of one). */
  addMember(projectId: number, member: StoredRegistryMember): void {
    this.removeMember(projectId, member);
    this.statements.get(
      "INSERT INTO registry_members (project_id, user_id, entity, role) VALUES (?, ?, ?, ?)",
    ).run(
      projectId,
      member.kind === "user" ? member.userId : null,
      member.kind === "team" ? member.entity : null,
      member.role,
    );
  }

  /** Removes a member; says whether it was one. */
  removeMember(
    projectId: number,
    member: { readonly kind: "user"; readonly userId: number } | {
      readonly kind: "team";
      readonly entity: string;
    },
  ): boolean {
    const result = member.kind === "user"
      ? this.statements.get("DELETE FROM registry_members WHERE project_id = ? AND user_id = ?")
        .run(projectId, member.userId)
      : this.statements.get("DELETE FROM registry_members WHERE project_id = ? AND entity = ?")
        .run(projectId, member.entity);
    return Number(result.changes) > 0;
  }
}
