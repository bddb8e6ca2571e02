/**
 * The local server's sweeps: each a project's, with its config stored as the YAML text W&B
 * keeps, and its runs found by their `sweep_name`.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** A sweep as stored. */
export interface StoredSweep {
  readonly id: number;
  readonly projectId: number;
  readonly name: string;
  readonly displayName: string | null;
  readonly method: string;
  readonly state: string;
  readonly description: string | null;
  /** The config as W&B stores it: YAML text. */
  readonly config: string;
  readonly runCountExpected: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface SweepRecord {
  id: number;
  project_id: number;
  name: string;
  display_name: string | null;
  method: string;
  state: string;
  description: string | null;
  config: string;
  run_count_expected: number | null;
  created_at: string;
  updated_at: string;
}

const toSweep = (r: SweepRecord): StoredSweep => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  displayName: r.display_name,
  method: r.method,
  state: r.state,
  description: r.description,
  config: r.config,
  runCountExpected: r.run_count_expected,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Sweeps of the local server (reached as `server.store.sweeps`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.sweeps.create(1, { name: "s1", method: "grid", config: "method: grid\n" });
 * assert.ok(store.sweeps.get(1, "s1")?.method === "grid");
 * store.close();
 * ```
 */
export class SweepStore {
  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sweeps (
        id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, name TEXT NOT NULL,
        display_name TEXT, method TEXT NOT NULL, state TEXT NOT NULL, description TEXT,
        config TEXT NOT NULL, run_count_expected INTEGER, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, UNIQUE (project_id, name));
    `);
  }

  /** Creates a sweep of a project. */
  create(
    projectId: number,
    sweep: {
      readonly name: string;
      readonly method: string;
      readonly config: string;
      readonly displayName?: string | undefined;
      readonly state?: string | undefined;
      readonly description?: string | undefined;
      readonly runCountExpected?: number | undefined;
      readonly createdAt?: string | undefined;
    },
  ): StoredSweep {
    const at = sweep.createdAt ?? new Date().toISOString();
    this.db.prepare(
      `INSERT INTO sweeps (project_id, name, display_name, method, state, description, config,
         run_count_expected, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      projectId,
      sweep.name,
      sweep.displayName ?? null,
      sweep.method,
      sweep.state ?? "RUNNING",
      sweep.description ?? null,
      sweep.config,
      sweep.runCountExpected ?? null,
      at,
      at,
    );
    return this.get(projectId, sweep.name)!;
  }

  /** A project's sweep by name. */
  get(projectId: number, name: string): StoredSweep | undefined {
    const row = this.db.prepare("SELECT * FROM sweeps WHERE project_id = ? AND name = ?").get(
      projectId,
      name,
    ) as SweepRecord | undefined;
    return row === undefined ? undefined : toSweep(row);
  }

  /** A project's sweeps, in creation order. */
  list(projectId: number): Array<StoredSweep> {
    return (this.db.prepare("SELECT * FROM sweeps WHERE project_id = ? ORDER BY id").all(
      projectId,
    ) as unknown as Array<SweepRecord>).map(toSweep);
  }
}
