/**
 * The local server's organizations: each with its org entity (where its registries live) and
 * the teams that belong to it. A user belongs to an organization by being a member of its org
 * entity.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";

/** An organization as stored. */
export interface StoredOrganization {
  readonly id: number;
  readonly name: string;
  /** The entity its registries belong to. */
  readonly orgEntity: string;
  /** The team entities that belong to it. */
  readonly teams: ReadonlyArray<string>;
}

/**
 * Organizations of the local server (reached as `server.store.organizations`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.organizations.create("initech", "initech-org", ["initech-ml"]);
 * assert.ok(store.organizations.ofTeam("initech-ml")?.name === "initech");
 * store.close();
 * ```
 */
export class OrganizationStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS organizations (
        id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, org_entity TEXT UNIQUE NOT NULL);
      CREATE TABLE IF NOT EXISTS organization_teams (
        org_id INTEGER NOT NULL, entity TEXT NOT NULL, PRIMARY KEY (org_id, entity));
    `);
    this.statements = new Statements(db);
  }

  /** Creates an organization with its org entity's name and its teams. */
  create(name: string, orgEntity: string, teams: ReadonlyArray<string>): StoredOrganization {
    const id = Number(
      this.statements.get("INSERT INTO organizations (name, org_entity) VALUES (?, ?)")
        .run(name, orgEntity).lastInsertRowid,
    );
    for (const team of teams) {
      this.statements.get("INSERT INTO organization_teams (org_id, entity) VALUES (?, ?)")
        .run(id, team);
    }
    return this.byName(name)!;
  }

  private read(row: { id: number; name: string; org_entity: string } | undefined) {
    if (row === undefined) return undefined;
    const teams = (this.statements.get(
      "SELECT entity FROM organization_teams WHERE org_id = ? ORDER BY entity",
    ).all(row.id) as Array<{ entity: string }>).map((t) => t.entity);
    return { id: row.id, name: row.name, orgEntity: row.org_entity, teams };
  }

  /** An organization by name. */
  byName(name: string): StoredOrganization | undefined {
    return this.read(
      this.statements.get("SELECT * FROM organizations WHERE name = ?").get(name) as
        | { id: number; name: string; org_entity: string }
        | undefined,
    );
  }

  /** The organization of an org entity or of one of its teams. */
  ofTeam(entity: string): StoredOrganization | undefined {
    return this.read(
      this.statements.get(
        `SELECT o.* FROM organizations o LEFT JOIN organization_teams t ON t.org_id = o.id
         WHERE o.org_entity = ? OR t.entity = ? LIMIT 1`,
      ).get(entity, entity) as { id: number; name: string; org_entity: string } | undefined,
    );
  }

  /** Every organization, in creation order. */
  list(): Array<StoredOrganization> {
    return (this.statements.get("SELECT * FROM organizations ORDER BY id").all() as Array<
      { id: number; name: string; org_entity: string }
    >).map((row) => this.read(row)!);
  }
}
