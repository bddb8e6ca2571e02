/**
 * The local server's Launch: run queues of an entity, their default resource configs, and the
 * items queued on them (a run spec, a state, and the run once an agent started one).
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** A run queue as stored. */
export interface StoredRunQueue {
  readonly id: number;
  readonly entity: string;
  readonly project: string;
  readonly name: string;
  readonly access: string;
  readonly prioritizationMode: string | null;
  readonly defaultResourceConfigId: number | null;
  readonly externalLinks: string;
}

/** A default resource config as stored (its config and variables JSON text). */
export interface StoredResourceConfig {
  readonly id: number;
  readonly entity: string;
  readonly resource: string;
  readonly config: string;
  readonly templateVariables: string;
}

/** An item of a run queue. */
export interface StoredQueueItem {
  readonly id: number;
  readonly queueId: number;
  readonly state: string;
  readonly associatedRunId: string | null;
  readonly priority: number;
  readonly createdAt: string;
}

const queueOf = (r: Record<string, unknown>): StoredRunQueue => ({
  id: r.id as number,
  entity: r.entity as string,
  project: r.project as string,
  name: r.name as string,
  access: r.access as string,
  prioritizationMode: r.prioritization_mode as string | null,
  defaultResourceConfigId: r.default_resource_config_id as number | null,
  externalLinks: r.external_links as string,
});

const itemOf = (r: Record<string, unknown>): StoredQueueItem => ({
  id: r.id as number,
  queueId: r.queue_id as number,
  state: r.state as string,
  associatedRunId: r.associated_run_id as string | null,
  priority: r.priority as number,
  createdAt: r.created_at as string,
});

/**
 * Launch queues of the local server (reached as `server.store.launch`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * const q = store.launch.createQueue({ entity: "e", name: "q", access: "PROJECT" });
 * store.launch.addItem(q.id, "PENDING", null);
 * assert.ok(store.launch.items(q.id).length === 1);
 * store.close();
 * ```
 */
export class LaunchStore {
  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS run_queues (
        id INTEGER PRIMARY KEY, entity TEXT NOT NULL, project TEXT NOT NULL, name TEXT NOT NULL,
        access TEXT NOT NULL, prioritization_mode TEXT, default_resource_config_id INTEGER,
        external_links TEXT NOT NULL DEFAULT '{}', UNIQUE (entity, project, name));
      CREATE TABLE IF NOT EXISTS resource_configs (
        id INTEGER PRIMARY KEY, entity TEXT NOT NULL, resource TEXT NOT NULL, config TEXT NOT NULL,
        template_variables TEXT NOT NULL DEFAULT '{}');
      CREATE TABLE IF NOT EXISTS run_queue_items (
        id INTEGER PRIMARY KEY, queue_id INTEGER NOT NULL, state TEXT NOT NULL,
        associated_run_id TEXT, priority INTEGER NOT NULL DEFAULT 2, created_at TEXT NOT NULL);
    `);
  }

  /** Creates a default resource config. */
  createResourceConfig(
    entity: string,
    resource: string,
    config: string,
    templateVariables: string | null,
  ): StoredResourceConfig {
    const id = Number(
      this.db.prepare(
        "INSERT INTO resource_configs (entity, resource, config, template_variables) VALUES (?, ?, ?, ?)",
      ).run(entity, resource, config, templateVariables ?? "{}").lastInsertRowid,
    );
    return this.resourceConfig(id)!;
  }

  /** A default resource config by id. */
  resourceConfig(id: number): StoredResourceConfig | undefined {
    const r = this.db.prepare("SELECT * FROM resource_configs WHERE id = ?").get(id) as
      | Record<string, unknown>
      | undefined;
    return r === undefined ? undefined : {
      id: r.id as number,
      entity: r.entity as string,
      resource: r.resource as string,
      config: r.config as string,
      templateVariables: r.template_variables as string,
    };
  }

  /** Changes a resource config. */
  updateResourceConfig(
    id: number,
    resource: string,
    config: string,
    templateVariables: string | null,
  ) {
    this.db.prepare(
      "UPDATE resource_configs SET resource = ?, config = ?, template_variables = ? WHERE id = ?",
    ).run(resource, config, templateVariables ?? "{}", id);
  }

  /** Creates a queue (in the entity's `model-registry` project unless told otherwise). */
  createQueue(queue: {
    readonly entity: string;
    readonly name: string;
    readonly access: string;
    readonly project?: string | undefined;
    readonly prioritizationMode?: string | null | undefined;
    readonly defaultResourceConfigId?: number | null | undefined;
    readonly externalLinks?: string | undefined;
  }): StoredRunQueue {
    const id = Number(
      this.db.prepare(
        `INSERT INTO run_queues (entity, project, name, access, prioritization_mode,
         default_resource_config_id, external_links) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        queue.entity,
        queue.project ?? "model-registry",
        queue.name,
        queue.access,
        queue.prioritizationMode ?? null,
        queue.defaultResourceConfigId ?? null,
        queue.externalLinks ?? "{}",
      ).lastInsertRowid,
    );
    return this.queueById(id)!;
  }

  /** Changes a queue's prioritization, config and links. */
  updateQueue(
    id: number,
    changes: {
      readonly prioritizationMode?: string | null | undefined;
      readonly defaultResourceConfigId?: number | undefined;
      readonly externalLinks?: string | undefined;
    },
  ): StoredRunQueue {
    const q = this.queueById(id)!;
    this.db.prepare(
      "UPDATE run_queues SET prioritization_mode = ?, default_resource_config_id = ?, external_links = ? WHERE id = ?",
    ).run(
      changes.prioritizationMode === undefined ? q.prioritizationMode : changes.prioritizationMode,
      changes.defaultResourceConfigId ?? q.defaultResourceConfigId,
      changes.externalLinks ?? q.externalLinks,
      id,
    );
    return this.queueById(id)!;
  }

  /** A queue by entity, project and name. */
  queue(entity: string, project: string, name: string): StoredRunQueue | undefined {
    const r = this.db.prepare(
      "SELECT * FROM run_queues WHERE entity = ? AND project = ? AND name = ?",
    ).get(entity, project, name) as Record<string, unknown> | undefined;
    return r === undefined ? undefined : queueOf(r);
  }

  /** A queue by id. */
  queueById(id: number): StoredRunQueue | undefined {
    const r = this.db.prepare("SELECT * FROM run_queues WHERE id = ?").get(id) as
      | Record<string, unknown>
      | undefined;
    return r === undefined ? undefined : queueOf(r);
  }

  /** Deletes a queue and its items. */
  deleteQueue(id: number): boolean {
    this.db.prepare("DELETE FROM run_queue_items WHERE queue_id = ?").run(id);
    return Number(this.db.prepare("DELETE FROM run_queues WHERE id = ?").run(id).changes) > 0;
  }

  /** Queues an item. */
  addItem(queueId: number, state: string, associatedRunId: string | null): StoredQueueItem {
    const id = Number(
      this.db.prepare(
        "INSERT INTO run_queue_items (queue_id, state, associated_run_id, created_at) VALUES (?, ?, ?, ?)",
      ).run(queueId, state, associatedRunId, new Date().toISOString()).lastInsertRowid,
    );
    return this.item(queueId, id)!;
  }

  /** An item of a queue. */
  item(queueId: number, id: number): StoredQueueItem | undefined {
    const r = this.db.prepare("SELECT * FROM run_queue_items WHERE queue_id = ? AND id = ?").get(
      queueId,
      id,
    ) as Record<string, unknown> | undefined;
    return r === undefined ? undefined : itemOf(r);
  }

  /** A queue's items, oldest first. */
  items(queueId: number): Array<StoredQueueItem> {
    return (this.db.prepare("SELECT * FROM run_queue_items WHERE queue_id = ? ORDER BY id").all(
      queueId,
    ) as Array<Record<string, unknown>>).map(itemOf);
  }

  /** Moves an item on (an agent claimed it and started a run, the run ended, …). */
  setItem(queueId: number, id: number, state: string, associatedRunId: string | null): void {
    this.db.prepare(
      "UPDATE run_queue_items SET state = ?, associated_run_id = ? WHERE queue_id = ? AND id = ?",
    ).run(state, associatedRunId, queueId, id);
  }

  /** Removes an item from its queue. */
  deleteItem(queueId: number, id: number): boolean {
    return Number(
      this.db.prepare("DELETE FROM run_queue_items WHERE queue_id = ? AND id = ?").run(queueId, id)
        .changes,
    ) > 0;
  }
}
