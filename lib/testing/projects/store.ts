/**
 * The local server's projects: each an entity's, with an optional description and owner.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";
import type { UserStore } from "../users/store.ts";

/** A project as stored. */
export interface StoredProject {
  /** Numeric id (what the API calls `internalId`). */
  readonly internalId: number;
  readonly entity: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
  /** The user who created it, if known. */
  readonly username: string | null;
}

interface ProjectRecord {
  id: number;
  name: string;
  description: string | null;
  created_at: string;
  entity: string;
  username: string | null;
}

const projectSelect = `
  SELECT p.id, p.name, p.description, p.created_at, e.name AS entity, u.username
  FROM projects p JOIN entities e ON e.id = p.entity_id LEFT JOIN users u ON u.id = p.user_id`;

const toProject = (row: ProjectRecord): StoredProject => ({
  internalId: row.id,
  entity: row.entity,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
  username: row.username,
});

/**
 * Projects of the local server (reached as `server.store.projects`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.users.create({ username: "dana", name: "Dana", email: "d@x.io", admin: false }, "k".repeat(40));
 * store.users.createEntity("dana", false, ["dana"]);
 * const { project } = store.projects.create("dana", "demo", { description: "A demo" });
 * assert.ok(store.projects.get("dana", "demo")?.internalId === project.internalId);
 * store.close();
 * ```
 */
export class ProjectStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync, private readonly users: UserStore) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS projects (
        id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL, name TEXT NOT NULL,
        description TEXT, created_at TEXT NOT NULL, user_id INTEGER,
        UNIQUE (entity_id, name));
    `);
    this.statements = new Statements(db);
  }

  /** Creates a project (or returns the existing one) and says whether it was inserted. */
  create(
    entity: string,
    name: string,
    options?: { description?: string; createdAt?: string; username?: string },
  ): { project: StoredProject; inserted: boolean } {
    const existing = this.get(entity, name);
    if (existing !== undefined) return { project: existing, inserted: false };
    const entityRow = this.statements.get("SELECT id FROM entities WHERE name = ?").get(entity) as
      | { id: number }
      | undefined;
    if (entityRow === undefined) throw new Error(`No entity ${entity}`);
    const user = options?.username === undefined ? undefined : this.users.byName(options.username);
    this.statements.get(
      "INSERT INTO projects (entity_id, name, description, created_at, user_id) VALUES (?, ?, ?, ?, ?)",
    ).run(
      entityRow.id,
      name,
      options?.description ?? null,
      options?.createdAt ?? new Date().toISOString(),
      user?.id ?? null,
    );
    return { project: this.get(entity, name)!, inserted: true };
  }

  /** A project by its numeric id, if it exists. */
  byId(id: number): StoredProject | undefined {
    const row = this.statements.get(`${projectSelect} WHERE p.id = ?`).get(id) as
      | ProjectRecord
      | undefined;
    return row === undefined ? undefined : toProject(row);
  }

  /** A project, if it exists. */
  get(entity: string, name: string): StoredProject | undefined {
    const row = this.statements.get(`${projectSelect} WHERE e.name = ? AND p.name = ?`)
      .get(entity, name) as ProjectRecord | undefined;
    return row === undefined ? undefined : toProject(row);
  }

  /** Sets a project's description. */
  setDescription(id: number, description: string): void {
    this.statements.get("UPDATE projects SET description = ? WHERE id = ?").run(description, id);
  }

  /** Renames a project; says whether it was there (and the new name free). */
  rename(entity: string, from: string, to: string): boolean {
    const project = this.get(entity, from);
    if (project === undefined || this.get(entity, to) !== undefined) return false;
    this.statements.get("UPDATE projects SET name = ? WHERE id = ?").run(to, project.internalId);
    return true;
  }

  /** Deletes a project (its runs stay, unreachable: the local server never reuses its id). */
  delete(id: number): boolean {
    return Number(this.statements.get("DELETE FROM projects WHERE id = ?").run(id).changes) > 0;
  }

  /** An entity's projects, in creation order. */
  list(entity: string): Array<StoredProject> {
    return (this.statements.get(`${projectSelect} WHERE e.name = ? ORDER BY p.id`)
      .all(entity) as unknown as Array<ProjectRecord>).map(toProject);
  }
}
