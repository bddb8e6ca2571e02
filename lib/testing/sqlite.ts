/**
 * What every store of the local server shares: one cache of prepared statements per database
 * and nested transactions.
 *
 * @module
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";

/**
 * Prepared statements of one database, each prepared once: preparing a statement costs more
 * than running it, and every request of the server runs a few.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { Statements } from "@effect-wandb/api/testing";
 * const statements = new Statements(new DatabaseSync(":memory:"));
 * assert.ok(statements.get("SELECT 1 AS one") === statements.get("SELECT 1 AS one"));
 * ```
 */
export class Statements {
  private readonly prepared = new Map<string, StatementSync>();

  constructor(private readonly db: DatabaseSync) {}

  /** The statement of `sql`, prepared on first use. */
  get(sql: string): StatementSync {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Runs `body` in one transaction, or inside the transaction already open.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { inTransaction } from "@effect-wandb/api/testing";
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (x INTEGER)");
 * assert.throws(() => inTransaction(db, () => {
 *   db.exec("INSERT INTO t VALUES (1)");
 *   throw new Error("undone");
 * }));
 * assert.ok((db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n === 0);
 * ```
 */
export function inTransaction<A>(db: DatabaseSync, body: () => A): A {
  if (db.isTransaction) return body();
  db.exec("BEGIN");
  try {
    const result = body();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
