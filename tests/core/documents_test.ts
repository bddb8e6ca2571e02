import assert from "node:assert/strict";
import {
  defaultEntityQuery,
  type GraphqlRequest,
  historyPageQuery,
  parquetHistoryQuery,
  printDocument,
  projectQuery,
  projectsQuery,
  runCountQuery,
  runEventsQuery,
  runFullHistoryQuery,
  runHistoryKeysQuery,
  runQuery,
  runSampledHistoryQuery,
  runsQuery,
  sampledHistoryPageQuery,
  viewerQuery,
} from "../../mod.ts";
import { buildWandbSchema, validateOperation } from "../../lib/testing/schema/mod.ts";

const project = { entity: "acme", project: "mnist" };

/** Every document the client's query builders can produce. */
const requests: ReadonlyArray<GraphqlRequest<unknown>> = [
  viewerQuery(),
  defaultEntityQuery(),
  projectsQuery("acme", null, 50),
  projectQuery(project),
  runsQuery({
    project,
    filters: "{}",
    order: "+created_at",
    perPage: 50,
    cursor: null,
    full: false,
  }),
  runsQuery({ project, filters: "{}", order: "+created_at", perPage: 50, cursor: "c", full: true }),
  runQuery({ ...project, runId: "abc" }),
  runCountQuery(project, "{}"),
  runHistoryKeysQuery({ ...project, runId: "abc" }),
  historyPageQuery({ ...project, runId: "abc" }, 0, 1000, 1000),
  sampledHistoryPageQuery({ ...project, runId: "abc" }, { keys: ["loss"], samples: 10 }),
  runFullHistoryQuery({ ...project, runId: "abc" }, 500),
  runEventsQuery({ ...project, runId: "abc" }, 500),
  runSampledHistoryQuery({ ...project, runId: "abc" }, [{ keys: ["_step", "loss"], samples: 5 }]),
  parquetHistoryQuery({ ...project, runId: "abc" }),
];

Deno.test("every document the query builders produce validates against our W&B SDL", async (t) => {
  const schema = buildWandbSchema();
  for (const request of requests) {
    await t.step(`${request.operation}`, () => {
      const errors = validateOperation(schema, printDocument(request.document));
      assert.deepEqual(errors.map((e) => e.message), []);
    });
  }
});
