/**
 * The local server's run histories: stored rows (kept quoted, as a \`history\` answer carries
 * them), the count of each key's value types (what \`historyKeys\` reports) and system-metrics
 * rows (\`events\`); or, for a run with a generated history, rows computed on demand.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { parseWandbJson, printWandbJson } from "../../core/wandb_json.ts";
import { inTransaction, Statements } from "../sqlite.ts";
import type { RunStore, StoredRun } from "../runs/store.ts";
import { generatedEvent, generatedRow } from "./generate.ts";

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

/**
 * Histories of the local server's runs (reached as \`server.store.history\`).
 *
 * @example
 * \`\`\`ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.users.create({ username: "u", name: "U", email: "u@x", admin: false }, "k".repeat(40));
 * store.users.createEntity("u", false, ["u"]);
 * store.projects.create("u", "p");
 * const run = store.runs.insert("u", "p", { name: "r1" });
 * store.history.set(run, [{ _step: 0, loss: 1 }, { _step: 1, loss: 0.5 }]);
 * assert.ok(store.history.lastStep(run) === 1);
 * store.close();
 * \`\`\`
 */
export class HistoryStore {
  private readonly statements: Statements;

  constructor(private readonly db: DatabaseSync, private readonly runs: RunStore) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS history_rows (
        run_seq INTEGER NOT NULL, step INTEGER NOT NULL, quoted TEXT NOT NULL,
        PRIMARY KEY (run_seq, step)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS history_keys (
        run_seq INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (run_seq, key, type));
      CREATE TABLE IF NOT EXISTS history_events (
        run_seq INTEGER NOT NULL, idx INTEGER NOT NULL, row TEXT NOT NULL,
        PRIMARY KEY (run_seq, idx)) WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS history_of_deleted_run AFTER DELETE ON runs BEGIN
        DELETE FROM history_rows WHERE run_seq = OLD.seq;
        DELETE FROM history_keys WHERE run_seq = OLD.seq;
        DELETE FROM history_events WHERE run_seq = OLD.seq;
      END;
    `);
    // Files written before history rows were stored quoted hold them as plain JSON text.
    const columns = db.prepare("PRAGMA table_info(history_rows)").all() as Array<{ name: string }>;
    if (columns.some((c) => c.name === "row")) {
      db.exec(`
        ALTER TABLE history_rows RENAME COLUMN row TO quoted;
        UPDATE history_rows SET quoted = json_quote(quoted);
      `);
    }
    this.statements = new Statements(db);
  }

  /**
   * Stores explicit history rows for a run (each must have a numeric `_step`), replacing any
   * it had, and the count of each key's value types (what `historyKeys` reports). A row is
   * stored as a JSON string holding its JSON text, the form a `history` answer carries it in:
   * pages are then served without escaping a row per request.
   */
  set(run: StoredRun, rows: Iterable<HistoryRow>): void {
    inTransaction(this.db, () => {
      this.statements.get("DELETE FROM history_rows WHERE run_seq = ?").run(run.seq);
      this.statements.get("DELETE FROM history_keys WHERE run_seq = ?").run(run.seq);
      this.append(run, rows);
    });
  }

  /**
   * Adds rows to a run's stored history, as a live run logs them (a step logged again replaces
   * its row), and counts their keys' value types with those already counted.
   */
  append(run: StoredRun, rows: Iterable<HistoryRow>): void {
    inTransaction(this.db, () => {
      const insert = this.statements.get(
        "INSERT OR REPLACE INTO history_rows (run_seq, step, quoted) VALUES (?, ?, ?)",
      );
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
      const addKey = this.statements.get(
        `INSERT INTO history_keys (run_seq, key, type, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (run_seq, key, type) DO UPDATE SET count = count + excluded.count`,
      );
      for (const [key, perType] of counts) {
        for (const [type, count] of perType) addKey.run(run.seq, key, type, count);
      }
    });
  }

  /** Stores explicit system-metrics rows (`events`) for a run, replacing any it had. */
  setEvents(run: StoredRun, rows: Iterable<HistoryRow>): void {
    inTransaction(this.db, () => {
      this.statements.get("DELETE FROM history_events WHERE run_seq = ?").run(run.seq);
      const insert = this.statements.get(
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
  materialize(run: StoredRun): StoredRun {
    const spec = run.history;
    if (spec === null) return run;
    return inTransaction(this.db, () => {
      this.set(run, this.rows(run, 0, spec.steps));
      this.setEvents(run, this.events(run));
      return this.runs.clearGeneratedHistory(run);
    });
  }

  /** The `(key, type, count)` of every key in a run's stored history. */
  keyCounts(
    run: StoredRun,
  ): Array<{ readonly key: string; readonly type: string; readonly count: number }> {
    return this.statements.get(
      "SELECT key, type, count FROM history_keys WHERE run_seq = ? ORDER BY rowid",
    ).all(run.seq) as Array<{ key: string; type: string; count: number }>;
  }

  /** The last step of a run's history, or -1 when it has none. */
  lastStep(run: StoredRun): number {
    if (run.history !== null) return run.history.steps - 1;
    const row = this.statements.get("SELECT MAX(step) AS last FROM history_rows WHERE run_seq = ?")
      .get(run.seq) as { last: number | null };
    return row.last ?? -1;
  }

  /** The history rows of a run with `minStep <= _step < maxStep`, in step order. */
  *rows(run: StoredRun, minStep: number, maxStep: number): Generator<HistoryRow> {
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
  list(run: StoredRun, minStep: number, maxStep: number, samples: number): string {
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
    const page = this.statements.get(
      `SELECT COUNT(*) AS n, '[' || COALESCE(group_concat(quoted, ','), '') || ']' AS list FROM (
         SELECT quoted FROM history_rows WHERE run_seq = ? AND step >= ? AND step < ?
         ORDER BY step LIMIT ?)`,
    ).get(run.seq, minStep, maxStep, samples + 1) as { n: number; list: string };
    if (page.n <= samples) return page.list;
    const quoted = (this.statements.get(
      "SELECT quoted FROM history_rows WHERE run_seq = ? AND step >= ? AND step < ? ORDER BY step",
    ).all(run.seq, minStep, maxStep) as Array<{ quoted: string }>).map((r) => r.quoted);
    return `[${sampleEvenly(quoted, samples).join(",")}]`;
  }

  /** Number of history rows of a run. */
  count(run: StoredRun): number {
    if (run.history !== null) return run.history.steps;
    // Every stored row has a `_step`: its count is kept with the keys' counts, where reading it
    // costs one lookup instead of a pass over the run's rows.
    return (this.statements.get(
      "SELECT COALESCE(SUM(count), 0) AS n FROM history_keys WHERE run_seq = ? AND key = '_step'",
    ).get(run.seq) as { n: number }).n;
  }

  /** The system-metrics rows of a run. */
  events(run: StoredRun): Array<HistoryRow> {
    if (run.history !== null) {
      return Array.from({ length: run.history.events }, (_, i) => generatedEvent(run.history!, i));
    }
    const rows = this.statements.get(
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
