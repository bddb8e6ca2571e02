/**
 * The local server's automations (W&B's "triggers"): an event in a scope (a project, an artifact
 * collection, a team or org entity) that fires an action (a Slack notification, a webhook, …).
 * What the event and the action are is kept as W&B keeps it: the event's filter as the JSON
 * string the client sent, the action's configuration as its input.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { Statements } from "../sqlite.ts";

/** What an automation watches: a project, an artifact collection, or an entity. */
export type StoredScope =
  | { readonly type: "PROJECT"; readonly projectId: number }
  | { readonly type: "ARTIFACT_COLLECTION"; readonly collectionId: number }
  | { readonly type: "ENTITY"; readonly entity: string };

/** An automation as stored. */
export interface StoredAutomation {
  readonly id: number;
  /** The entity that owns it (its scope's): who may see and change it. */
  readonly entity: string;
  readonly name: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string | null;
  readonly createdBy: number;
  readonly scope: StoredScope;
  /** `EventTriggeringConditionType`: `RUN_METRIC`, `CREATE_ARTIFACT`, … */
  readonly eventType: string;
  /** The event's filter, the JSON string as sent. */
  readonly eventFilter: string;
  /** `TriggeredActionType`: `NOTIFICATION`, `GENERIC_WEBHOOK`, `NO_OP`, … */
  readonly actionType: string;
  /** The action's input (`notificationActionInput`'s value, …). */
  readonly action: Readonly<Record<string, unknown>>;
}

/** A new automation: all but what the store assigns. */
export type NewAutomation = Omit<StoredAutomation, "id" | "createdAt" | "updatedAt">;

interface AutomationRecord {
  id: number;
  entity: string;
  name: string;
  description: string | null;
  enabled: number;
  created_at: string;
  updated_at: string | null;
  created_by: number;
  scope_type: string;
  scope: string;
  event_type: string;
  event_filter: string;
  action_type: string;
  action: string;
}

const scopeKey = (scope: StoredScope) =>
  scope.type === "PROJECT"
    ? String(scope.projectId)
    : scope.type === "ARTIFACT_COLLECTION"
    ? String(scope.collectionId)
    : scope.entity;

const scopeOf = (type: string, key: string): StoredScope =>
  type === "PROJECT"
    ? { type, projectId: Number(key) }
    : type === "ARTIFACT_COLLECTION"
    ? { type, collectionId: Number(key) }
    : { type: "ENTITY", entity: key };

const toAutomation = (r: AutomationRecord): StoredAutomation => ({
  id: r.id,
  entity: r.entity,
  name: r.name,
  description: r.description,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  createdBy: r.created_by,
  scope: scopeOf(r.scope_type, r.scope),
  eventType: r.event_type,
  eventFilter: r.event_filter,
  actionType: r.action_type,
  action: JSON.parse(r.action) as Record<string, unknown>,
});

/**
 * Automations of the local server (reached as `server.store.automations`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * const made = store.automations.create({
 *   entity: "acme",
 *   name: "failed-runs",
 *   description: null,
 *   enabled: true,
 *   createdBy: 1,
 *   scope: { type: "ENTITY", entity: "acme" },
 *   eventType: "RUN_STATE",
 *   eventFilter: '{"run_filter":"{\\"$and\\":[]}","run_state_filter":{"states":["FAILED"]}}',
 *   actionType: "NO_OP",
 *   action: { noOp: true },
 * });
 * assert.ok(store.automations.named("acme", "failed-runs")?.id === made.id);
 * store.close();
 * ```
 */
export class AutomationStore {
  private readonly statements: Statements;

  constructor(db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS automations (
        id INTEGER PRIMARY KEY, entity TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
        enabled INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT,
        created_by INTEGER NOT NULL, scope_type TEXT NOT NULL, scope TEXT NOT NULL,
        event_type TEXT NOT NULL, event_filter TEXT NOT NULL, action_type TEXT NOT NULL,
        action TEXT NOT NULL, UNIQUE (entity, name));
    `);
    this.statements = new Statements(db);
  }

  /** Saves a new automation; its name is unique in its entity (the caller checks). */
  create(automation: NewAutomation): StoredAutomation {
    const result = this.statements.get(
      `INSERT INTO automations (entity, name, description, enabled, created_at, created_by,
         scope_type, scope, event_type, event_filter, action_type, action)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      automation.entity,
      automation.name,
      automation.description,
      automation.enabled ? 1 : 0,
      new Date().toISOString(),
      automation.createdBy,
      automation.scope.type,
      scopeKey(automation.scope),
      automation.eventType,
      automation.eventFilter,
      automation.actionType,
      JSON.stringify(automation.action),
    );
    return this.get(Number(result.lastInsertRowid))!;
  }

  /** Replaces what an automation is (all but its id, creator and creation time). */
  update(id: number, automation: NewAutomation): StoredAutomation {
    this.statements.get(
      `UPDATE automations SET entity = ?, name = ?, description = ?, enabled = ?, updated_at = ?,
         scope_type = ?, scope = ?, event_type = ?, event_filter = ?, action_type = ?, action = ?
       WHERE id = ?`,
    ).run(
      automation.entity,
      automation.name,
      automation.description,
      automation.enabled ? 1 : 0,
      new Date().toISOString(),
      automation.scope.type,
      scopeKey(automation.scope),
      automation.eventType,
      automation.eventFilter,
      automation.actionType,
      JSON.stringify(automation.action),
      id,
    );
    return this.get(id)!;
  }

  /** Deletes an automation; whether there was one. */
  delete(id: number): boolean {
    return this.statements.get("DELETE FROM automations WHERE id = ?").run(id).changes > 0;
  }

  /** An automation by id. */
  get(id: number): StoredAutomation | undefined {
    const row = this.statements.get("SELECT * FROM automations WHERE id = ?").get(id) as
      | AutomationRecord
      | undefined;
    return row === undefined ? undefined : toAutomation(row);
  }

  /** An entity's automation by name. */
  named(entity: string, name: string): StoredAutomation | undefined {
    const row = this.statements.get("SELECT * FROM automations WHERE entity = ? AND name = ?")
      .get(entity, name) as AutomationRecord | undefined;
    return row === undefined ? undefined : toAutomation(row);
  }

  /** An entity's automations, oldest first. */
  list(entity: string): Array<StoredAutomation> {
    return (this.statements.get("SELECT * FROM automations WHERE entity = ? ORDER BY id")
      .all(entity) as unknown as Array<AutomationRecord>).map(toAutomation);
  }

  /** The automations scoped to a project or to one of the given collections, oldest first. */
  inProject(projectId: number, collectionIds: ReadonlyArray<number>): Array<StoredAutomation> {
    const collections = new Set(collectionIds.map(String));
    return (this.statements.get(
      "SELECT * FROM automations WHERE scope_type IN ('PROJECT', 'ARTIFACT_COLLECTION') ORDER BY id",
    ).all() as unknown as Array<AutomationRecord>)
      .filter((r) =>
        r.scope_type === "PROJECT" ? r.scope === String(projectId) : collections.has(r.scope)
      )
      .map(toAutomation);
  }
}
