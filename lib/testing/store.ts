/**
 * The local server's storage: SQLite (`node:sqlite`), in memory by default or in a file.
 *
 * The GraphQL resolvers and the test-facing methods go through the same functions, so what a
 * test writes is exactly what the server serves.
 *
 * @module
 */
import { parseWandbJson, printWandbJson } from "../core/wandb_json.ts";
import { RunFileStore } from "./files/store.ts";
import { ArtifactStore } from "./artifacts/store.ts";
import { SweepStore } from "./sweeps/store.ts";
import { TeamStore } from "./teams/store.ts";
import { ReportStore } from "./reports/store.ts";
import { LaunchStore } from "./launch/store.ts";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { generatedEvent, type GeneratedHistorySpec, generatedRow, type SeedData } from "./seed.ts";

/**
 * Picks at most `n` items spread evenly over `items`, always keeping the first and the last.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleEvenly } from "@effect-wandb/api/testing";
 * assert.ok(sampleEvenly([0, 1, 2, 3, 4], 3).join() === "0,2,4");
 * ```
 */
export function sampleEvenly<A>(items: ReadonlyArray<A>, n: number): Array<A> {
  if (items.length <= n) return [...items];
  if (n <= 0) return [];
  if (n === 1) return [items[0]!];
  const out: Array<A> = [];
  let previous = -1;
  for (let i = 0; i < n; i++) {
    const index = Math.round((i * (items.length - 1)) / (n - 1));
    if (index !== previous) out.push(items[index]!);
    previous = index;
  }
  return out;
}

/** A history row: `_step` plus metrics. */
export type HistoryRow = Readonly<Record<string, unknown>>;

/** A user as stored. */
export interface StoredUser {
  readonly id: number;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly admin: boolean;
}

/** A project as stored. */
export interface StoredProject {
  /** Numeric id (W&B's `internalId`). */
  readonly internalId: number;
  readonly entity: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly username: string | null;
}

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

/** What {@link EmulatorStore.insertRun} takes; everything but the name has a default. */
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
  /** A generated history (otherwise rows come from {@link EmulatorStore.setHistory}). */
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
 * Storage of the local server. Tests reach it as `server.store`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.createUser({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * store.createEntity("u", false, ["u"]);
 * store.createProject("u", "p");
 * store.insertRun("u", "p", { name: "r1", config: { lr: 0.1 } });
 * assert.ok(store.listRuns("u", "p").length === 1);
 * store.close();
 * ```
 */
export class EmulatorStore {
  /** The runs' files. */
  readonly files: RunFileStore;
  /** The projects' artifacts. */
  readonly artifacts: ArtifactStore;
  /** The projects' sweeps. */
  readonly sweeps: SweepStore;
  /** Team roles, service accounts and generated API keys. */
  readonly teams: TeamStore;
  /** The projects' reports. */
  readonly reports: ReportStore;
  /** Launch run queues and their items. */
  readonly launch: LaunchStore;

  private constructor(private readonly db: DatabaseSync) {
    this.files = new RunFileStore(db);
    this.artifacts = new ArtifactStore(db);
    this.sweeps = new SweepStore(db);
    this.teams = new TeamStore(db);
    this.reports = new ReportStore(db);
    this.launch = new LaunchStore(db);
  }

  // Preparing a statement costs more than running it: every request of the server runs a few.
  private readonly statements = new Map<string, StatementSync>();

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Opens a store: in memory, or in the SQLite file at `path`. */
  static open(path?: string): EmulatorStore {
    const db = new DatabaseSync(path ?? ":memory:");
    db.exec(`
      PRAGMA journal_mode = MEMORY;
      CREATE TABLE IF NOT EXISTS users (
        id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
        email TEXT NOT NULL, admin INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS api_keys (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS entities (
        id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, is_team INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS members (
        entity_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY (entity_id, user_id));
      CREATE TABLE IF NOT EXISTS projects (
        id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL, name TEXT NOT NULL,
        description TEXT, created_at TEXT NOT NULL, user_id INTEGER,
        UNIQUE (entity_id, name));
      CREATE TABLE IF NOT EXISTS runs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL, name TEXT NOT NULL,
        display_name TEXT NOT NULL, state TEXT NOT NULL, config TEXT NOT NULL,
        summary TEXT NOT NULL, system_metrics TEXT NOT NULL, tags TEXT NOT NULL, grp TEXT,
        job_type TEXT, sweep_name TEXT, host TEXT, commit_hash TEXT, notes TEXT,
        description TEXT, created_at TEXT NOT NULL, heartbeat_at TEXT, user_id INTEGER,
        history_spec TEXT, UNIQUE (project_id, name));
      CREATE TABLE IF NOT EXISTS history_rows (
        run_seq INTEGER NOT NULL, step INTEGER NOT NULL, quoted TEXT NOT NULL,
        PRIMARY KEY (run_seq, step)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS history_keys (
        run_seq INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (run_seq, key, type));
      CREATE TABLE IF NOT EXISTS history_events (
        run_seq INTEGER NOT NULL, idx INTEGER NOT NULL, row TEXT NOT NULL,
        PRIMARY KEY (run_seq, idx)) WITHOUT ROWID;
    `);
    // Files written before history rows were stored quoted hold them as plain JSON text.
    const columns = db.prepare("PRAGMA table_info(history_rows)").all() as Array<{ name: string }>;
    if (columns.some((c) => c.name === "row")) {
      db.exec(`
        ALTER TABLE history_rows RENAME COLUMN row TO quoted;
        UPDATE history_rows SET quoted = json_quote(quoted);
      `);
    }
    return new EmulatorStore(db);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }

  /** Loads seed data (users, entities, projects, runs, artifacts) in one transaction. */
  load(seed: SeedData): void {
    this.transaction(() => {
      this.loadRuns(seed);
      this.loadArtifacts(seed);
      for (const q of seed.runQueues) {
        this.createProject(q.entity, "model-registry");
        const config = this.launch.createResourceConfig(
          q.entity,
          q.resource,
          q.config,
          q.templateVariables,
        );
        const queue = this.launch.createQueue({
          entity: q.entity,
          name: q.name,
          access: "PROJECT",
          prioritizationMode: q.prioritizationMode,
          defaultResourceConfigId: config.id,
        });
        for (const item of q.items) this.launch.addItem(queue.id, item.state, item.runId);
      }
      for (const r of seed.reports) {
        const project = this.project(r.entity, r.project);
        if (project !== undefined) this.reports.create(project.internalId, r);
      }
      for (const s of seed.sweeps) {
        const project = this.project(s.entity, s.project);
        if (project !== undefined) this.sweeps.create(project.internalId, s);
      }
    });
  }

  /** Creates the seed's artifacts: versions, aliases, tags, links and lineage. */
  private loadArtifacts(seed: SeedData): void {
    for (const a of seed.artifacts) {
      const project = this.project(a.entity, a.project)!;
      const run = (name: string) => this.getRun(a.entity, a.project, name)!.seq;
      const version = this.artifacts.createVersion(
        this.artifacts.type(project.internalId, a.type, true)!,
        a.collection,
        a.entries.map((e) => ({
          path: e.path,
          ref: e.ref,
          content: e.ref !== undefined
            ? undefined
            : e.text !== undefined
            ? { bytes: new TextEncoder().encode(e.text) }
            : { seed: e.seed ?? 0, size: e.size ?? 0 },
        })),
        {
          description: a.description,
          metadata: a.metadata,
          aliases: a.aliases,
          tags: a.tags,
          loggedBy: run(a.loggedBy),
        },
      );
      for (const user of a.usedBy) this.artifacts.addRun(run(user), version.id, "input");
      for (const link of a.links) {
        const type = this.artifacts.typeById(
          this.artifacts.collection(project.internalId, a.collection)!.typeId,
        )!;
        const portfolio = this.artifacts.collection(project.internalId, link.portfolio) ??
          this.artifacts.createCollection(type, link.portfolio, "portfolio");
        this.artifacts.link(portfolio, version.id, link.aliases);
      }
    }
    for (const [path, tags] of Object.entries(seed.collectionTags)) {
      const [entity, projectName, collection] = path.split("/");
      const project = this.project(entity!, projectName!);
      const c = project === undefined
        ? undefined
        : this.artifacts.collection(project.internalId, collection!);
      if (c !== undefined) this.artifacts.setCollectionTags(c.id, tags, []);
    }
  }

  private loadRuns(seed: SeedData): void {
    {
      for (const u of seed.users) this.createUser(u, u.apiKey);
      for (const e of seed.entities) {
        this.createEntity(e.name, e.isTeam, e.members);
        for (const admin of e.admins ?? []) {
          this.teams.setRole(e.name, this.userByName(admin)!.id, true);
        }
      }
      for (const p of seed.projects) {
        this.createProject(p.entity, p.name, {
          description: p.description,
          createdAt: p.createdAt,
          username: p.username,
        });
      }
      for (const r of seed.runs) {
        this.insertRunRecord(r.entity, r.project, {
          name: r.name,
          displayName: r.displayName,
          state: r.state,
          configJson: printWandbJson(r.config, "token"),
          summaryJson: printWandbJson(r.summary, "token"),
          systemMetricsJson: printWandbJson(r.systemMetrics, "token"),
          tags: r.tags,
          group: r.group,
          jobType: r.jobType,
          sweepName: r.sweepName,
          host: r.host,
          commit: r.commit,
          notes: r.notes,
          createdAt: r.createdAt,
          heartbeatAt: r.heartbeatAt,
          username: r.username,
          history: r.history,
        });
        const seq = this.getRun(r.entity, r.project, r.name)!.seq;
        for (const f of r.files) {
          this.files.put(
            seq,
            f.name,
            f.text !== undefined
              ? { bytes: new TextEncoder().encode(f.text) }
              : { seed: f.seed ?? 0, size: f.size ?? 0 },
            { updatedAt: r.heartbeatAt },
          );
        }
      }
    }
  }

  /** Creates a user with an API key. */
  createUser(user: Omit<StoredUser, "id">, apiKey: string): StoredUser {
    const result = this.statement(
      "INSERT INTO users (username, name, email, admin) VALUES (?, ?, ?, ?)",
    ).run(user.username, user.name, user.email, user.admin ? 1 : 0);
    const id = Number(result.lastInsertRowid);
    this.statement("INSERT INTO api_keys (key, user_id) VALUES (?, ?)").run(apiKey, id);
    return { id, ...user };
  }

  /** The user an API key belongs to. */
  userByKey(apiKey: string): StoredUser | undefined {
    const row = this.statement(
      "SELECT u.* FROM users u JOIN api_keys k ON k.user_id = u.id WHERE k.key = ?",
    ).get(apiKey) as
      | { id: number; username: string; name: string; email: string; admin: number }
      | undefined;
    return row === undefined ? undefined : { ...row, admin: row.admin === 1 };
  }

  /** A user by username. */
  userByName(username: string): StoredUser | undefined {
    const row = this.statement("SELECT * FROM users WHERE username = ?").get(username) as
      | { id: number; username: string; name: string; email: string; admin: number }
      | undefined;
    return row === undefined ? undefined : { ...row, admin: row.admin === 1 };
  }

  /** Every user, in creation order. */
  users(): Array<StoredUser> {
    return (this.statement("SELECT * FROM users ORDER BY id").all() as Array<
      { id: number; username: string; name: string; email: string; admin: number }
    >).map((row) => ({ ...row, admin: row.admin === 1 }));
  }

  /** Creates an entity (a user's own or a team) with its members. */
  createEntity(name: string, isTeam: boolean, members: ReadonlyArray<string>): void {
    const result = this.statement("INSERT INTO entities (name, is_team) VALUES (?, ?)").run(
      name,
      isTeam ? 1 : 0,
    );
    for (const username of members) {
      const user = this.userByName(username);
      if (user === undefined) throw new Error(`No user ${username}`);
      this.statement("INSERT INTO members (entity_id, user_id) VALUES (?, ?)").run(
        Number(result.lastInsertRowid),
        user.id,
      );
    }
  }

  /** An entity and its members, if it exists. */
  entity(name: string): { name: string; isTeam: boolean; members: Array<string> } | undefined {
    const row = this.statement("SELECT * FROM entities WHERE name = ?").get(name) as
      | { id: number; name: string; is_team: number }
      | undefined;
    if (row === undefined) return undefined;
    const members = (this.statement(
      "SELECT u.username FROM members m JOIN users u ON u.id = m.user_id WHERE m.entity_id = ?",
    ).all(row.id) as Array<{ username: string }>).map((m) => m.username);
    return { name: row.name, isTeam: row.is_team === 1, members };
  }

  /** The entities a user belongs to (own entity and teams), by name. */
  entitiesOf(username: string): Array<{ name: string; isTeam: boolean }> {
    return (this.statement(
      `SELECT e.name, e.is_team FROM entities e JOIN members m ON m.entity_id = e.id
       JOIN users u ON u.id = m.user_id WHERE u.username = ? ORDER BY e.id`,
    ).all(username) as Array<{ name: string; is_team: number }>).map((e) => ({
      name: e.name,
      isTeam: e.is_team === 1,
    }));
  }

  /** Creates a project (or returns the existing one) and says whether it was inserted. */
  createProject(
    entity: string,
    name: string,
    options?: { description?: string; createdAt?: string; username?: string },
  ): { project: StoredProject; inserted: boolean } {
    const existing = this.project(entity, name);
    if (existing !== undefined) return { project: existing, inserted: false };
    const entityRow = this.statement("SELECT id FROM entities WHERE name = ?").get(entity) as
      | { id: number }
      | undefined;
    if (entityRow === undefined) throw new Error(`No entity ${entity}`);
    const user = options?.username === undefined ? undefined : this.userByName(options.username);
    this.statement(
      "INSERT INTO projects (entity_id, name, description, created_at, user_id) VALUES (?, ?, ?, ?, ?)",
    ).run(
      entityRow.id,
      name,
      options?.description ?? null,
      options?.createdAt ?? new Date().toISOString(),
      user?.id ?? null,
    );
    return { project: this.project(entity, name)!, inserted: true };
  }

  /** A project by its numeric id, if it exists. */
  projectById(id: number): StoredProject | undefined {
    const row = this.statement(
      "SELECT p.name, e.name AS entity FROM projects p JOIN entities e ON e.id = p.entity_id WHERE p.id = ?",
    ).get(id) as { name: string; entity: string } | undefined;
    return row === undefined ? undefined : this.project(row.entity, row.name);
  }

  /** A project, if it exists. */
  project(entity: string, name: string): StoredProject | undefined {
    const row = this.statement(
      `SELECT p.id, p.name, p.description, p.created_at, e.name AS entity, u.username
       FROM projects p JOIN entities e ON e.id = p.entity_id LEFT JOIN users u ON u.id = p.user_id
       WHERE e.name = ? AND p.name = ?`,
    ).get(entity, name) as
      | {
        id: number;
        name: string;
        description: string | null;
        created_at: string;
        entity: string;
        username: string | null;
      }
      | undefined;
    return row === undefined ? undefined : {
      internalId: row.id,
      entity: row.entity,
      name: row.name,
      description: row.description,
      createdAt: row.created_at,
      username: row.username,
    };
  }

  /** An entity's projects, in creation order. */
  projects(entity: string): Array<StoredProject> {
    const names = this.statement(
      "SELECT p.name FROM projects p JOIN entities e ON e.id = p.entity_id WHERE e.name = ? ORDER BY p.id",
    ).all(entity) as Array<{ name: string }>;
    return names.map((n) => this.project(entity, n.name)!);
  }

  /** Inserts a run (the project must exist) and returns it as stored. */
  insertRun(entity: string, project: string, run: NewRun): StoredRun {
    const config = run.configJson ?? printWandbJson(
      Object.fromEntries(
        Object.entries(run.config ?? {}).map(([k, v]) => [k, { value: v, desc: null }]),
      ),
      "token",
    );
    return this.insertRunRecord(entity, project, {
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

  private insertRunRecord(
    entity: string,
    project: string,
    run: Omit<
      StoredRun,
      "seq" | "storageId" | "entity" | "project" | "projectInternalId" | "description"
    >,
  ): StoredRun {
    const p = this.project(entity, project);
    if (p === undefined) throw new Error(`No project ${entity}/${project}`);
    const user = run.username === null ? undefined : this.userByName(run.username);
    this.statement(
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
    return this.getRun(entity, project, run.name)!;
  }

  /** A run by path, if it exists. */
  getRun(entity: string, project: string, name: string): StoredRun | undefined {
    const row = this.statement(`${runSelect} WHERE e.name = ? AND p.name = ? AND r.name = ?`)
      .get(entity, project, name) as RunRecord | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** A run by storage id, if it exists. */
  getRunByStorageId(id: string): StoredRun | undefined {
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
    return this.getRun(entity, project, name);
  }

  /** A project's runs, in creation order. */
  listRuns(entity: string, project: string): Array<StoredRun> {
    return (this.statement(`${runSelect} WHERE e.name = ? AND p.name = ? ORDER BY r.seq`)
      .all(entity, project) as unknown as Array<RunRecord>).map(toRun);
  }

  /** Updates the given columns of a run (the `upsertBucket` mutation's write path). */
  updateRun(
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
      this.statement(`UPDATE runs SET ${columns[key]} = ? WHERE seq = ?`).run(
        key === "tags" ? JSON.stringify(value) : value as string | null,
        run.seq,
      );
    }
    return this.getRun(run.entity, run.project, run.name)!;
  }

  /** A run by its creation number, if it exists. */
  runBySeq(seq: number): StoredRun | undefined {
    const row = this.statement(`${runSelect} WHERE r.seq = ?`).get(seq) as RunRecord | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  /** Deletes a run, its stored history and its files. */
  deleteRun(run: StoredRun): void {
    this.files.deleteRun(run.seq);
    for (const table of ["history_rows", "history_keys", "history_events"]) {
      this.statement(`DELETE FROM ${table} WHERE run_seq = ?`).run(run.seq);
    }
    this.statement("DELETE FROM runs WHERE seq = ?").run(run.seq);
  }

  /**
   * Stores explicit history rows for a run (each must have a numeric `_step`), replacing any
   * it had, and the count of each key's value types (what `historyKeys` reports). A row is
   * stored as a JSON string holding its JSON text, the form a `history` answer carries it in:
   * pages are then served without escaping a row per request.
   */
  setHistory(run: StoredRun, rows: Iterable<HistoryRow>): void {
    this.transaction(() => {
      const insert = this.statement(
        "INSERT OR REPLACE INTO history_rows (run_seq, step, quoted) VALUES (?, ?, ?)",
      );
      this.statement("DELETE FROM history_rows WHERE run_seq = ?").run(run.seq);
      this.statement("DELETE FROM history_keys WHERE run_seq = ?").run(run.seq);
      const counts = new Map<string, Map<string, number>>();
      for (const row of rows) {
        // W&B's JSON, as wandb-core writes it: NaN and ±Infinity as bare tokens.
        insert.run(
          run.seq,
          row["_step"] as number,
          JSON.stringify(printWandbJson(row, "token")),
        );
        for (const key in row) {
          const type = historyValueType(row[key]);
          let perType = counts.get(key);
          if (perType === undefined) counts.set(key, perType = new Map());
          perType.set(type, (perType.get(type) ?? 0) + 1);
        }
      }
      const insertKey = this.statement(
        "INSERT INTO history_keys (run_seq, key, type, count) VALUES (?, ?, ?, ?)",
      );
      for (const [key, perType] of counts) {
        for (const [type, count] of perType) insertKey.run(run.seq, key, type, count);
      }
    });
  }

  /** Stores explicit system-metrics rows (`events`) for a run, replacing any it had. */
  setEvents(run: StoredRun, rows: Iterable<HistoryRow>): void {
    this.transaction(() => {
      this.statement("DELETE FROM history_events WHERE run_seq = ?").run(run.seq);
      const insert = this.statement(
        "INSERT INTO history_events (run_seq, idx, row) VALUES (?, ?, ?)",
      );
      let index = 0;
      for (const row of rows) insert.run(run.seq, index++, printWandbJson(row, "token"));
    });
  }

  /**
   * Turns a run's generated history into stored rows (and stored system metrics): the server
   * then serves the rows as stored JSON text, as W&B does, instead of computing them per
   * request. Benchmarks do this before timing; it takes seconds per million rows.
   */
  materializeHistory(run: StoredRun): StoredRun {
    const spec = run.history;
    if (spec === null) return run;
    this.transaction(() => {
      this.setHistory(run, this.historyRows(run, 0, spec.steps));
      this.setEvents(run, this.events(run));
      this.statement("UPDATE runs SET history_spec = NULL WHERE seq = ?").run(run.seq);
    });
    return this.getRun(run.entity, run.project, run.name)!;
  }

  /** The `(key, type, count)` of every key in a run's stored history. */
  historyKeyCounts(
    run: StoredRun,
  ): Array<{ readonly key: string; readonly type: string; readonly count: number }> {
    return this.statement(
      "SELECT key, type, count FROM history_keys WHERE run_seq = ? ORDER BY rowid",
    ).all(run.seq) as Array<{ key: string; type: string; count: number }>;
  }

  /** Runs `body` in one transaction, or inside the transaction already open. */
  private transaction(body: () => void): void {
    if (this.db.isTransaction) return body();
    this.db.exec("BEGIN");
    try {
      body();
      this.db.exec("COMMIT");
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  /** The last step of a run's history, or -1 when it has none. */
  lastStep(run: StoredRun): number {
    if (run.history !== null) return run.history.steps - 1;
    const row = this.statement("SELECT MAX(step) AS last FROM history_rows WHERE run_seq = ?")
      .get(run.seq) as { last: number | null };
    return row.last ?? -1;
  }

  /** The history rows of a run with `minStep <= _step < maxStep`, in step order. */
  *historyRows(run: StoredRun, minStep: number, maxStep: number): Generator<HistoryRow> {
    if (run.history !== null) {
      const last = Math.min(maxStep, run.history.steps);
      for (let step = Math.max(0, minStep); step < last; step++) {
        yield generatedRow(run.history, step);
      }
      return;
    }
    const rows = this.db.prepare(
      "SELECT quoted ->> '$' AS row FROM history_rows WHERE run_seq = ? AND step >= ? AND step < ? ORDER BY step",
    ).iterate(run.seq, minStep, maxStep) as Iterable<{ row: string }>;
    for (const r of rows) yield parseWandbJson(r.row);
  }

  /**
   * The history rows of a run with `minStep <= _step < maxStep`, in step order, at most
   * `samples` of them spread evenly, as the JSON text of a list of JSON strings
   * (`["{\"_step\":0,…}",…]`): the `history` list of a GraphQL answer. Stored rows are kept
   * quoted, so a whole page is one SQLite read, without a string or an escape per row.
   */
  historyList(run: StoredRun, minStep: number, maxStep: number, samples: number): string {
    if (run.history !== null) {
      const spec = run.history;
      const steps: Array<number> = [];
      for (let s = Math.max(0, minStep); s < Math.min(maxStep, spec.steps); s++) steps.push(s);
      return JSON.stringify(
        sampleEvenly(steps, samples).map((s) => printWandbJson(generatedRow(spec, s), "token")),
      );
    }
    // One read when the window holds no more than `samples` rows (a page always does): the
    // rows are counted as they are joined, up to one past `samples`.
    const page = this.statement(
      `SELECT COUNT(*) AS n, '[' || COALESCE(group_concat(quoted, ','), '') || ']' AS list FROM (
         SELECT quoted FROM history_rows WHERE run_seq = ? AND step >= ? AND step < ?
         ORDER BY step LIMIT ?)`,
    ).get(run.seq, minStep, maxStep, samples + 1) as { n: number; list: string };
    if (page.n <= samples) return page.list;
    const quoted = (this.statement(
      "SELECT quoted FROM history_rows WHERE run_seq = ? AND step >= ? AND step < ? ORDER BY step",
    ).all(run.seq, minStep, maxStep) as Array<{ quoted: string }>).map((r) => r.quoted);
    return `[${sampleEvenly(quoted, samples).join(",")}]`;
  }

  /** Number of history rows of a run. */
  historyCount(run: StoredRun): number {
    if (run.history !== null) return run.history.steps;
    // Every stored row has a `_step`: its count is kept with the keys' counts, where reading it
    // costs one lookup instead of a pass over the run's rows.
    return (this.statement(
      "SELECT COALESCE(SUM(count), 0) AS n FROM history_keys WHERE run_seq = ? AND key = '_step'",
    ).get(run.seq) as { n: number }).n;
  }

  /** The system-metrics rows of a run. */
  events(run: StoredRun): Array<HistoryRow> {
    if (run.history !== null) {
      return Array.from({ length: run.history.events }, (_, i) => generatedEvent(run.history!, i));
    }
    const rows = this.statement(
      "SELECT row FROM history_events WHERE run_seq = ? ORDER BY idx",
    ).all(run.seq) as Array<{ row: string }>;
    return rows.map((r) => parseWandbJson(r.row));
  }
}

/**
 * The type W&B's `historyKeys` reports for a value: `number`, `string`, `boolean`, `list`,
 * `map`, `nil`, or a media object's `_type` (`histogram`, `image-file`, …).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { historyValueType } from "@effect-wandb/api/testing";
 * assert.ok(historyValueType({ _type: "histogram", bins: [] }) === "histogram");
 * ```
 */
export function historyValueType(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object" && value !== null) {
    const t = (value as { _type?: unknown })._type;
    return typeof t === "string" ? t : "map";
  }
  return "nil";
}
