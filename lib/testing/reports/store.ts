/**
 * The local server's reports: W&B keeps them as views of a project, with their spec (sections,
 * panels, run sets) as JSON text.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** A report as stored. */
export interface StoredReport {
  readonly id: number;
  readonly projectId: number;
  readonly name: string;
  readonly displayName: string;
  readonly description: string | null;
  /** The spec as W&B stores it: JSON text. */
  readonly spec: string;
  readonly username: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Reports of the local server (reached as `server.store.reports`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.reports.create(1, { name: "r1", displayName: "Report", spec: "{}" });
 * assert.ok(store.reports.list(1).length === 1);
 * store.close();
 * ```
 */
export class ReportStore {
  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS reports (
        id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL,
        display_name TEXT NOT NULL, description TEXT, spec TEXT NOT NULL, username TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    `);
  }

  /** Creates a report of a project. */
  create(
    projectId: number,
    report: {
      readonly name: string;
      readonly displayName: string;
      readonly spec: string;
      readonly description?: string | undefined;
      readonly username?: string | undefined;
      readonly createdAt?: string | undefined;
    },
  ): StoredReport {
    const at = report.createdAt ?? new Date().toISOString();
    const id = Number(
      this.db.prepare(
        `INSERT INTO reports (project_id, name, display_name, description, spec, username, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        projectId,
        report.name,
        report.displayName,
        report.description ?? null,
        report.spec,
        report.username ?? null,
        at,
        at,
      ).lastInsertRowid,
    );
    return this.list(projectId).find((r) => r.id === id)!;
  }

  /** A project's reports, in creation order (only those named `name`, when given). */
  list(projectId: number, name?: string | null): Array<StoredReport> {
    return (this.db.prepare(
      "SELECT * FROM reports WHERE project_id = ? AND (? IS NULL OR name = ?) ORDER BY id",
    ).all(projectId, name ?? null, name ?? null) as Array<{
      id: number;
      project_id: number;
      name: string;
      display_name: string;
      description: string | null;
      spec: string;
      username: string | null;
      created_at: string;
      updated_at: string;
    }>).map((r) => ({
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      displayName: r.display_name,
      description: r.description,
      spec: r.spec,
      username: r.username,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
