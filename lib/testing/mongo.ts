/**
 * W&B's `filters` arguments on the local server: a Mongo-style document, sent as a JSON string,
 * over the fields of what is listed (projects, sweeps, registries' collections, automations),
 * run with mingo. Runs have their own (`runs/query.ts`): their times, config and summary need
 * more than this.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import { Query } from "mingo";

/**
 * A predicate over documents from a `filters` string (`null`, `""` and `"{}"`: everything); a
 * filter that is not a Mongo-style JSON object is the GraphQL error W&B answers, naming `what`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { documentFilter } from "@effect-wandb/api/testing";
 * const keep = documentFilter("sweep", '{"state": {"$in": ["RUNNING"]}}');
 * assert.ok(keep({ state: "RUNNING" }) && !keep({ state: "FINISHED" }));
 * ```
 */
export function documentFilter(
  what: string,
  filters: string | null | undefined,
): (document: Record<string, unknown>) => boolean {
  if (filters === null || filters === undefined || filters === "" || filters === "{}") {
    return () => true;
  }
  let query: Query;
  try {
    query = new Query(JSON.parse(filters));
  } catch (error) {
    throw new GraphQLError(`invalid ${what} filters: ${(error as Error).message}`);
  }
  return (document) => query.test(document);
}
