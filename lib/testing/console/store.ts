/**
 * The local server's console logs: what each run's process wrote to stdout and stderr, line by
 * line, numbered from 0 as W&B numbers them.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { inTransaction, Statements } from "../sqlite.ts";

/** A captured console line as stored. */
export interface StoredLogLine {
  /** Its position in the run's log, from 0. */
  readonly number: number;
  /** When it was captured (ISO 8601), if known. */
  readonly timestamp: string | null;
  /** `"error"` for a line written to stderr, empty otherwise. */
  readonly level: string;
  /** The writing process's label in a shared run, empty otherwise. */
  readonly label: string;
  readonly line: string;
}

/** A line to append: everything but its number, which follows the run's last. */
export type NewLogLine = Omit<StoredLogLine, "number">;

/**
 * Console logs of the local server's runs (reached as `server.store.console`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmulatorStore } from "@effect-wandb/api/testing";
 * const store = EmulatorStore.open();
 * store.console.append(7, [{ timestamp: null, level: "", label: "", line: "epoch 1" }]);
 * assert.deepEqual(store.console.lines(7, { first: 10 }).map((l) => l.line), ["epoch 1"]);
 * store.close();
 * ```
 */
export class ConsoleLogStore {
  private readonly statements: Statements;

  constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS console_lines (
        run_seq INTEGER NOT NULL, number INTEGER NOT NULL, timestamp TEXT, level TEXT NOT NULL,
        label TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (run_seq, number)) WITHOUT ROWID;
      CREATE TRIGGER IF NOT EXISTS console_of_deleted_run AFTER DELETE ON runs BEGIN
        DELETE FROM console_lines WHERE run_seq = OLD.seq;
      END;
    `);
    this.statements = new Statements(db);
  }

  /** Appends lines to a run's log, numbered after its last. */
  append(runSeq: number, lines: Iterable<NewLogLine>): void {
    inTransaction(this.db, () => {
      let next = this.count(runSeq);
      const insert = this.statements.get(
        "INSERT INTO console_lines (run_seq, number, timestamp, level, label, line) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const l of lines) insert.run(runSeq, next++, l.timestamp, l.level, l.label, l.line);
    });
  }

  /** How many lines a run's log holds. */
  count(runSeq: number): number {
    return (this.statements.get("SELECT COUNT(*) AS n FROM console_lines WHERE run_seq = ?")
      .get(runSeq) as { n: number }).n;
  }

  /**
   * A run's lines in order: the `first` from line `from` on, or the `last` of them.
   */
  lines(
    runSeq: number,
    window: { readonly first: number; readonly from?: number } | { readonly last: number },
  ): Array<StoredLogLine> {
    if ("last" in window) {
      return (this.statements.get(
        `SELECT * FROM (SELECT number, timestamp, level, label, line FROM console_lines
         WHERE run_seq = ? ORDER BY number DESC LIMIT ?) ORDER BY number`,
      ).all(runSeq, window.last) as unknown as Array<StoredLogLine>);
    }
    return this.statements.get(
      `SELECT number, timestamp, level, label, line FROM console_lines
       WHERE run_seq = ? AND number >= ? ORDER BY number LIMIT ?`,
    ).all(runSeq, window.from ?? 0, window.first) as unknown as Array<StoredLogLine>;
  }
}
