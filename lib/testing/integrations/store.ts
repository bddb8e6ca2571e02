/**
 * The local server's integrations: what an entity connected W&B to (a Slack workspace's channel,
 * a generic webhook), for automations to notify through.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";

/** An integration as stored: a Slack channel or a generic webhook. */
export type StoredIntegration =
  | {
    readonly id: number;
    readonly entity: string;
    readonly kind: "slack";
    readonly teamName: string;
    readonly channelName: string;
  }
  | {
    readonly id: number;
    readonly entity: string;
    readonly kind: "webhook";
    readonly name: string;
    readonly urlEndpoint: string;
  };

interface IntegrationRecord {
  id: number;
  entity: string;
  kind: string;
  name: string | null;
  url_endpoint: string | null;
  team_name: string | null;
  channel_name: string | null;
}

const toIntegration = (r: IntegrationRecord): StoredIntegration =>
  r.kind === "slack"
    ? {
      id: r.id,
      entity: r.entity,
      kind: "slack",
      teamName: r.team_name ?? "",
      channelName: r.channel_name ?? "",
    }
    : {
      id: r.id,
      entity: r.entity,
      kind: "webhook",
      name: r.name ?? "",
      urlEndpoint: r.url_endpoint ?? "",
    };

/** A new integration: what it is, without its id. */
export type NewIntegration =
  | { readonly kind: "slack"; readonly teamName: string; readonly channelName: string }
  | { readonly kind: "webhook"; readonly name: string; readonly urlEndpoint: string };

/**
 * Integrations of the local server's entities (reached as `server.store.integrations`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.integrations.create("acme", { kind: "webhook", name: "hook", urlEndpoint: "http://127.0.0.1:9/" });
 * assert.ok(store.integrations.list("acme")[0]?.kind === "webhook");
 * store.close();
 * ```
 */
export class IntegrationStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS integrations (
        id INTEGER PRIMARY KEY, entity TEXT NOT NULL, kind TEXT NOT NULL, name TEXT,
        url_endpoint TEXT, team_name TEXT, channel_name TEXT);
    `);
    this.statements = new Statements(db);
  }

  /** Connects an entity to a Slack channel or a webhook. */
  create(entity: string, integration: NewIntegration): StoredIntegration {
    const result = this.statements.get(
      `INSERT INTO integrations (entity, kind, name, url_endpoint, team_name, channel_name)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      entity,
      integration.kind,
      integration.kind === "webhook" ? integration.name : null,
      integration.kind === "webhook" ? integration.urlEndpoint : null,
      integration.kind === "slack" ? integration.teamName : null,
      integration.kind === "slack" ? integration.channelName : null,
    );
    return this.get(Number(result.lastInsertRowid))!;
  }

  /** An integration by id. */
  get(id: number): StoredIntegration | undefined {
    const row = this.statements.get("SELECT * FROM integrations WHERE id = ?").get(id) as
      | IntegrationRecord
      | undefined;
    return row === undefined ? undefined : toIntegration(row);
  }

  /** An entity's integrations, oldest first. */
  list(entity: string): Array<StoredIntegration> {
    return (this.statements.get("SELECT * FROM integrations WHERE entity = ? ORDER BY id")
      .all(entity) as unknown as Array<IntegrationRecord>).map(toIntegration);
  }
}
