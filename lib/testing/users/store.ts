/**
 * The local server's users, their API keys, and entities (a user's own and teams) with their
 * members.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";

/** A user as stored. */
export interface StoredUser {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly admin: boolean;
}

/** An entity as stored: a user's own or a team, with its members' usernames. */
export interface StoredEntity {
  readonly name: string;
  readonly isTeam: boolean;
  readonly members: ReadonlyArray<string>;
}

interface UserRecord {
  id: number;
  username: string;
  name: string;
  email: string;
  admin: number;
}

const toUser = (row: UserRecord): StoredUser => ({ ...row, admin: row.admin === 1 });

/**
 * Users, API keys and entities of the local server (reached as `server.store.users`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.users.create({ username: "dana", name: "Dana", email: "d@x.io", admin: false }, "k".repeat(40));
 * store.users.createEntity("dana", false, ["dana"]);
 * assert.ok(store.users.byKey("k".repeat(40))?.username === "dana");
 * assert.deepEqual(store.users.entity("dana")?.members, ["dana"]);
 * store.close();
 * ```
 */
export class UserStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
        email TEXT NOT NULL, admin INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS api_keys (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS entities (
        id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, is_team INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS members (
        entity_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (entity_id, user_id));
    `);
    this.statements = new Statements(db);
  }

  /** Creates a user with an API key. */
  create(user: Omit<StoredUser, "id">, apiKey: string): StoredUser {
    const result = this.statements.get(
      "INSERT INTO users (username, name, email, admin) VALUES (?, ?, ?, ?)",
    ).run(user.username, user.name, user.email, user.admin ? 1 : 0);
    const id = Number(result.lastInsertRowid);
    this.statements.get("INSERT INTO api_keys (key, user_id) VALUES (?, ?)").run(apiKey, id);
    return { id, ...user };
  }

  /** The user an API key belongs to. */
  byKey(apiKey: string): StoredUser | undefined {
    const row = this.statements.get(
      "SELECT u.* FROM users u JOIN api_keys k ON k.user_id = u.id WHERE k.key = ?",
    ).get(apiKey) as UserRecord | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  /** A user by username. */
  byName(username: string): StoredUser | undefined {
    const row = this.statements.get("SELECT * FROM users WHERE username = ?").get(username) as
      | UserRecord
      | undefined;
    return row === undefined ? undefined : toUser(row);
  }

  /** Every user, in creation order. */
  list(): Array<StoredUser> {
    return (this.statements.get("SELECT * FROM users ORDER BY id").all() as unknown as Array<
      UserRecord
    >)
      .map(toUser);
  }

  /** Creates an entity (a user's own or a team) with its members. */
  createEntity(name: string, isTeam: boolean, members: ReadonlyArray<string>): void {
    const result = this.statements.get("INSERT INTO entities (name, is_team) VALUES (?, ?)").run(
      name,
      isTeam ? 1 : 0,
    );
    for (const username of members) {
      const user = this.byName(username);
      if (user === undefined) throw new Error(`No user ${username}`);
      this.statements.get("INSERT INTO members (entity_id, user_id) VALUES (?, ?)").run(
        Number(result.lastInsertRowid),
        user.id,
      );
    }
  }

  /** An entity and its members, if it exists. */
  entity(name: string): StoredEntity | undefined {
    const row = this.statements.get("SELECT * FROM entities WHERE name = ?").get(name) as
      | { id: number; name: string; is_team: number }
      | undefined;
    if (row === undefined) return undefined;
    const members = (this.statements.get(
      "SELECT u.username FROM members m JOIN users u ON u.id = m.user_id WHERE m.entity_id = ?",
    ).all(row.id) as Array<{ username: string }>).map((m) => m.username);
    return { name: row.name, isTeam: row.is_team === 1, members };
  }

  /** The entities a user belongs to (own entity and teams), by name. */
  entitiesOf(username: string): Array<{ name: string; isTeam: boolean }> {
    return (this.statements.get(
      `SELECT e.name, e.is_team FROM entities e JOIN members m ON m.entity_id = e.id
       JOIN users u ON u.id = m.user_id WHERE u.username = ? ORDER BY e.id`,
    ).all(username) as Array<{ name: string; is_team: number }>).map((e) => ({
      name: e.name,
      isTeam: e.is_team === 1,
    }));
  }
}
