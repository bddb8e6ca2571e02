/**
 * The local server's runs: each a project's, with its config, summary and system metrics as
 * the JSON text W&B stores, and either stored history rows or a generated history.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { printWandbJson } from "../../core/wandb_json.ts";
import { Statements } from "../sqlite.ts";
import type { UserStore } from "../users/store.ts";
import type { ProjectStore } from "../projects/store.ts";
import type { GeneratedHistorySpec } from "../history/generate.ts";

/** A run as stored: JSON fields as the strings the server sends. */
export interface StoredRun {
  /** Creation order across the server. */
  readonly seq: number;
  /** W&B storage id: base64 of `Run:v1:<name>:<project>:<entity>`. */
  readonly storageId: string;
  readonly entity: string;
  readonly project: string;
  readonly projectInternalId: number;
  readonly name: string;
  readonly displayName: string;
  readonly state: string;
  /** The config JSON string, `{key: {value, desc}}` form. */
  readonly configJson: string;
  readonly summaryJson: string;
  readonly systemMetricsJson: string;
  readonly tags: ReadonlyArray<string>;
  readonly group: string | null;
  readonly jobType: string | null;
  readonly sweepName: string | null;
  readonly host: string | null;
  readonly commit: string | null;
  readonly notes: string | null;
  readonly description: string | null;
  readonly createdAt: string;
  readonly heartbeatAt: string | null;
  readonly username: string | null;
  /** The generated history, or `null` when rows are stored explicitly. */
  readonly history: GeneratedHistorySpec | null;
}

/** What {@link RunStore.insert} takes; everything but the name has a default. */
export interface NewRun {
  /** Run id (8 characters by default, random). */
  readonly name?: string | undefined;
  readonly displayName?: string | undefined;
  /** @default {"running"} */
  readonly state?: string | undefined;
  /** Plain config values; stored wrapped as `{ value, desc: null }`. */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  /** The stored config string itself (overrides `config`), e.g. to store a broken one. */
  readonly configJson?: string | undefined;
  readonly summary?: Readonly<Record<string, unknown>> | undefined;
  readonly tags?: ReadonlyArray<string> | undefined;
  readonly group?: string | undefined;
  readonly jobType?: string | undefined;
  readonly sweepName?: string | undefined;
  readonly notes?: string | undefined;
  /** @default {now} */
  readonly createdAt?: string | undefined;
  readonly username?: string | undefined;
  /** A generated history (otherwise rows come from `server.store.history.set`). */
  readonly history?: GeneratedHistorySpec | undefined;
}

/** Base64 of W&B-style storage ids. */
const storageId = (kind: string, ...parts: ReadonlyArray<string>) =>
  btoa(`${kind}:v1:${parts.join(":")}`);

interface RunRecord {
  seq: number;
  entity: string;
  project: string;
  project_id: number;
  name: string;
  display_name: string;
  state: string;
  config: string;
  summary: string;
  system_metrics: string;
  tags: string;
  grp: string | null;
  job_type: string | null;
  sweep_name: string | null;
  host: string | null;
  commit_hash: string | null;
  notes: string | null;
  description: string | null;
  created_at: string;
  heartbeat_at: string | null;
  username: string | null;
  history_spec: string | null;
}

const toRun = (r: RunRecord): StoredRun => ({
  seq: r.seq,
  storageId: storageId("Run", r.name, r.project, r.entity),
  entity: r.entity,
  project: r.project,
  projectInternalId: r.project_id,
  name: r.name,
  displayName: r.display_name,
  state: r.state,
  configJson: r.config,
  summaryJson: r.summary,
  systemMetricsJson: r.system_metrics,
  tags: JSON.parse(r.tags),
  group: r.grp,
  jobType: r.job_type,
  sweepName: r.sweep_name,
  host: r.host,
  commit: r.commit_hash,
  notes: r.notes,
  description: r.description,
  createdAt: r.created_at,
  heartbeatAt: r.heartbeat_at,
  username: r.username,
  history: r.history_spec === null ? null : JSON.parse(r.history_spec),
});

const runSelect = `
  SELECT r.*, p.name AS project, e.name AS entity, u.username AS username
  FROM runs r JOIN projects p ON p.id = r.project_id JOIN entities e ON e.id = p.entity_id
  LEFT JOIN users u ON u.id = r.user_id`;

/**
 * Runs of the local server (reached as `server.store.runs`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.users.create({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * store.users.createEntity("u", false, ["u"]);
 * store.projects.create("u", "p");
 * store.runs.insert("u", "p", { name: "r1", config: { lr: 0.1 } });
 * assert.ok(store.runs.list("u", "p").length === 1);
 * store.close();
 * ```
 */
export class RunStore {
  private readonly statements: Statements;

  constructor(
    db: DatabaseSync,
    private readonly projects: ProjectStore,
    private readonly users: UserStore,
  ) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, name TEXT NOT NULL,
        display_name TEXT NOT NULL, state TEXT NOT NULL, config TEXT NOT NULL,
        summary TEXT NOT NULL, system_metrics TEXT NOT NULL, tags TEXT NOT NULL, grp TEXT,
        job_type TEXT, sweep_name TEXT, host TEXT, commit_hash TEXT, notes TEXT,
        description TEXT, created_at TEXT NOT NULL, heartbeat_at TEXT, user_id INTEGER,
        history_spec TEXT, UNIQUE (project_id, name));
      CREATE TABLE IF NOT EXISTS run_stops (run_seq INTEGER PRIMARY KEY);
      CREATE TRIGGER IF NOT EXISTS stop_of_deleted_run AFTER DELETE ON runs BEGIN
        DELETE FROM run_stops WHERE run_seq = OLD.seq;
      END;
    `);
    this.statements = new Statements(db);
  }

  /** Inserts a run (the project must exist) and returns it as stored. */
  insert(entity: string, project: string, run: NewRun): StoredRun {
    const config = run.configJson ?? printWandbJson(
      Object.fromEntries(
        Object.entries(run.config ?? {}).map(([k, v]) => [k, { value: v, desc: null }]),
      ),
      "token",
    );
    return this.insertRecord(entity, project, {
      name: run.name ?? crypto.randomUUID().replaceAll("-", "").slice(0, 8),
      displayName: run.displayName ?? run.name ?? "run",
      state: run.state ?? "running",
      configJson: config,
      summaryJson: printWandbJson(run.summary ?? {}, "token"),
      systemMetricsJson: "{}",
      tags: run.tags ?? [],
      group: run.group ?? null,
      jobType: run.jobType ?? null,
      sweepName: run.sweepName ?? null,
      host: null,
      commit: null,
      notes: run.notes ?? null,
      createdAt: run.createdAt ?? new Date().toISOString(),
      heartbeatAt: null,
      username: run.username ?? null,
      history: run.history ?? null,
    });
  }

  /** Inserts a run given every stored column (how seeded runs are written). */
  insertRecord(
    entity: string,
    project: string,
    run: Omit<
      StoredRun,
      "seq" | "storageId" | "entity" | "project" | "projectInternalId" | "description"
    >,
  ): StoredRun {
    const p = this.projects.get(entity, project);
    if (p === undefined) throw new Error(`No project ${entity}/${project}`);
    const user = run.username === null ? undefined : this.users.byName(run.username);
    this.statements.get(
      `INSERT INTO runs (project_id, name, display_name, state, config, summary, system_metrics,
         tags, grp, job_type, sweep_name, host, commit_hash, notes, description, created_at,
         heartbeat_at, user_id, history_spec)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`,
    ).run(
      p.internalId,
      run.name,
      run.displayName,
      run.state,
      run.configJson,
      run.summaryJson,
      run.systemMetricsJson,
      JSON.stringify(run.tags),
      run.group,
      run.jobType,
      run.sweepName,
      run.host,
      run.commit,
      run.notes,
      run.createdAt,
      run.heartbeatAt,
      user?.id ?? null,
      run.history === null ? null : JSON.stringify(run.history),
    );
    return this.get(entity, project, run.name)!;
  }

  /** A run by path, if it exists. */
  get(entity: string, project: string, name: string): StoredRun | undefined {
    const row = this.statements.get(`${runSelect} WHERE e.name = ? AND p.name = ? AND r.name = ?`)
      .get(entity, project, name) as RunRecord | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** A run by storage id, if it exists. */
  byStorageId(id: string): StoredRun | undefined {
    let decoded: string;
    try {
      decoded = atob(id);
    } catch {
      return undefined;
    }
    const [kind, , name, project, entity] = decoded.split(":");
    if (kind !== "Run" || name === undefined || project === undefined || entity === undefined) {
      return undefined;
    }
    return this.get(entity, project, name);
  }

  /** A project's runs, in creation order. */
  list(entity: string, project: string): Array<StoredRun> {
    return (this.statements.get(`${runSelect} WHERE e.name = ? AND p.name = ? ORDER BY r.seq`)
      .all(entity, project) as unknown as Array<RunRecord>).map(toRun);
  }

  /** Updates the given columns of a run (the `upsertBucket` mutation's write path). */
  update(
    run: StoredRun,
    changes: Partial<
      Pick<
        StoredRun,
        | "displayName"
        | "state"
        | "configJson"
        | "summaryJson"
        | "tags"
        | "group"
        | "jobType"
        | "notes"
        | "description"
        | "heartbeatAt"
      >
    >,
  ): StoredRun {
    const columns: Record<string, string> = {
      displayName: "display_name",
      state: "state",
      configJson: "config",
      summaryJson: "summary",
      tags: "tags",
      group: "grp",
      jobType: "job_type",
      notes: "notes",
      description: "description",
      heartbeatAt: "heartbeat_at",
    };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      this.statements.get(`UPDATE runs SET ${columns[key]} = ? WHERE seq = ?`).run(
        key === "tags" ? JSON.stringify(value) : value as string | null,
        run.seq,
      );
    }
    return this.get(run.entity, run.project, run.name)!;
  }

  /** A run by its creation number, if it exists. */
  bySeq(seq: number): StoredRun | undefined {
    const row = this.statements.get(`${runSelect} WHERE r.seq = ?`).get(seq) as
      | RunRecord
      | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /**
   * Deletes a run. What other stores keep of it (files, history) goes with it: each of them
   * deletes its own rows in a trigger on \`runs\`.
   */
  delete(run: StoredRun): void {
    this.statements.get("DELETE FROM runs WHERE seq = ?").run(run.seq);
  }

  /** Flags a run to stop (`stopRun`); flagging it again changes nothing. */
  requestStop(run: StoredRun): void {
    this.statements.get("INSERT OR IGNORE INTO run_stops (run_seq) VALUES (?)").run(run.seq);
  }

  /** Whether a run was flagged to stop. */
  stopRequested(run: StoredRun): boolean {
    return this.statements.get("SELECT 1 FROM run_stops WHERE run_seq = ?").get(run.seq) !==
      undefined;
  }

  /** Forgets a run's generated history spec: its rows are stored from now on. */
  clearGeneratedHistory(run: StoredRun): StoredRun {
    this.statements.get("UPDATE runs SET history_spec = NULL WHERE seq = ?").run(run.seq);
    return this.get(run.entity, run.project, run.name)!;
  }
}
