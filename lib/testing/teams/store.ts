/**
 * The local server's teams and users beyond the basics the core store keeps (users, entities,
 * members, API keys): each member's role in a team, service accounts, and API keys a user
 * generates and deletes. Kept in tables of their own beside the core ones.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";

/** An API key of a user, as the owner (or an admin) sees it. */
export interface StoredApiKey {
  readonly id: number;
  readonly key: string;
  readonly description: string | null;
}

/**
 * Roles, account types and API keys of the local server (reached as `server.store.teams`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * const user = store.users.create({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * const key = store.teams.generateApiKey(user.id, "ci");
 * assert.ok(store.teams.apiKeys(user.id).some((k) => k.id === key.id));
 * store.close();
 * ```
 */
export class TeamStore {
  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS member_roles (
        entity_id INTEGER NOT NULL, user_id INTEGER NOT NULL, admin INTEGER NOT NULL,
        PRIMARY KEY (entity_id, user_id));
      CREATE TABLE IF NOT EXISTS account_types (user_id INTEGER PRIMARY KEY, type TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS api_key_descriptions (key TEXT PRIMARY KEY, description TEXT);
    `);
  }

  private entityId(entity: string): number | undefined {
    return (this.db.prepare("SELECT id FROM entities WHERE name = ?").get(entity) as
      | { id: number }
      | undefined)?.id;
  }

  /** Whether a user administers a team (its creator, or one made admin by an invite). */
  isTeamAdmin(entity: string, userId: number): boolean {
    const row = this.db.prepare(
      "SELECT r.admin FROM member_roles r JOIN entities e ON e.id = r.entity_id WHERE e.name = ? AND r.user_id = ?",
    ).get(entity, userId) as { admin: number } | undefined;
    return row?.admin === 1;
  }

  /** Sets a member's role. */
  setRole(entity: string, userId: number, admin: boolean): void {
    const id = this.entityId(entity);
    if (id === undefined) return;
    this.db.prepare(
      `INSERT INTO member_roles VALUES (?, ?, ?)
       ON CONFLICT (entity_id, user_id) DO UPDATE SET admin = excluded.admin`,
    ).run(id, userId, admin ? 1 : 0);
  }

  /** Adds a user to a team with a role; `false` when they belong to it already. */
  addMember(entity: string, userId: number, admin: boolean): boolean {
    const id = this.entityId(entity);
    if (id === undefined) return false;
    const exists = this.db.prepare("SELECT 1 FROM members WHERE entity_id = ? AND user_id = ?")
      .get(id, userId);
    if (exists !== undefined) return false;
    this.db.prepare("INSERT INTO members (entity_id, user_id) VALUES (?, ?)").run(id, userId);
    this.setRole(entity, userId, admin);
    return true;
  }

  /** Removes a user from a team; `false` when they were not in it. */
  removeMember(entity: string, userId: number): boolean {
    const id = this.entityId(entity);
    if (id === undefined) return false;
    this.db.prepare("DELETE FROM member_roles WHERE entity_id = ? AND user_id = ?").run(id, userId);
    return Number(
      this.db.prepare("DELETE FROM members WHERE entity_id = ? AND user_id = ?").run(id, userId)
        .changes,
    ) > 0;
  }

  /** A user's account type: `USER`, or `SERVICE` for a team's service account. */
  accountType(userId: number): string {
    return (this.db.prepare("SELECT type FROM account_types WHERE user_id = ?").get(userId) as
      | { type: string }
      | undefined)?.type ?? "USER";
  }

  /** Marks a user as a service account. */
  setAccountType(userId: number, type: string): void {
    this.db.prepare(
      "INSERT INTO account_types VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET type = excluded.type",
    ).run(userId, type);
  }

  /** A user's API keys. */
  apiKeys(userId: number): Array<StoredApiKey> {
    return (this.db.prepare(
      `SELECT k.rowid AS id, k.key, d.description FROM api_keys k
       LEFT JOIN api_key_descriptions d ON d.key = k.key WHERE k.user_id = ? ORDER BY k.rowid`,
    ).all(userId) as Array<{ id: number; key: string; description: string | null }>);
  }

  /** A new API key for a user. */
  generateApiKey(userId: number, description: string | null): StoredApiKey {
    const key = randomBytes(20).toString("hex");
    const id = Number(
      this.db.prepare("INSERT INTO api_keys (key, user_id) VALUES (?, ?)").run(key, userId)
        .lastInsertRowid,
    );
    this.db.prepare("INSERT INTO api_key_descriptions VALUES (?, ?)").run(key, description);
    return { id, key, description };
  }

  /** Deletes a user's API key by id; `false` when the user has no such key. */
  deleteApiKey(userId: number, id: number): boolean {
    return Number(
      this.db.prepare("DELETE FROM api_keys WHERE rowid = ? AND user_id = ?").run(id, userId)
        .changes,
    ) > 0;
  }
}
