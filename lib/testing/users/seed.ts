/**
 * The seeded users and entities: three users, each with a deterministic API key, and two
 * teams with an admin each.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** A user of the seeded server. */
export interface SeedUser {
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly admin: boolean;
  /** The user's API key (40 hex characters). */
  readonly apiKey: string;
}

/** An entity: a user's own, or a team. */
export interface SeedEntity {
  readonly name: string;
  readonly isTeam: boolean;
  /** Usernames that may read and write it. */
  readonly members: ReadonlyArray<string>;
  /** The members who administer it (a team's). */
  readonly admins?: ReadonlyArray<string> | undefined;
}

/** A deterministic API key for a user: 40 hex characters. */
export function seedApiKey(username: string, seed: number): string {
  return createHash("sha1").update(`effect-wandb:${seed}:${username}`).digest("hex");
}

/** The seeded users (alice, bob, carol), their keys made from `seed`. */
export function seedUsers(seed: number): Array<SeedUser> {
  return [
    { username: "alice", name: "Alice Archer", email: "alice@example.com", admin: true },
    { username: "bob", name: "Bob Baker", email: "bob@example.com", admin: false },
    { username: "carol", name: "Carol Chen", email: "carol@example.com", admin: false },
  ].map((u) => ({ ...u, apiKey: seedApiKey(u.username, seed) }));
}

/** The seeded entities: each user's own, and the teams acme (alice, bob) and globex (bob, carol). */
export const seedEntities: ReadonlyArray<SeedEntity> = [
  { name: "alice", isTeam: false, members: ["alice"] },
  { name: "bob", isTeam: false, members: ["bob"] },
  { name: "carol", isTeam: false, members: ["carol"] },
  { name: "acme", isTeam: true, members: ["alice", "bob"], admins: ["alice"] },
  { name: "globex", isTeam: true, members: ["bob", "carol"], admins: ["bob"] },
];
