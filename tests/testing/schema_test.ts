import assert from "node:assert/strict";
import {
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  validateSchema,
} from "graphql";
import { buildWandbSchema, validateOperation } from "../../lib/testing/schema/mod.ts";

const fixture = (name: string) =>
  Deno.readTextFile(new URL(`../fixtures/${name}`, import.meta.url));

interface Captured {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

const operationName = (query: string) => {
  const op = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as
    | OperationDefinitionNode
    | undefined;
  return op?.name?.value ?? "(anonymous)";
};

Deno.test("the W&B SDL builds into a valid schema", () => {
  assert.deepEqual(validateSchema(buildWandbSchema()).map((e) => e.message), []);
});

Deno.test("every operation the official client v0.26.1 sent validates against our SDL", async (t) => {
  const schema = buildWandbSchema();
  const captured: Array<Captured> = (await fixture("captured-requests-v0.26.1.jsonl"))
    .trim().split("\n").map((line) => JSON.parse(line))
    .filter((r) => r.json?.query !== undefined)
    .map((r) => ({ query: r.json.query, variables: r.json.variables ?? {} }));
  assert.ok(captured.length >= 69, `only ${captured.length} captured requests`);
  const byName = new Map<string, Array<Captured>>();
  for (const c of captured) {
    const name = operationName(c.query);
    byName.set(name, [...(byName.get(name) ?? []), c]);
  }
  assert.ok(byName.size >= 40, `only ${byName.size} distinct operations`);
  for (const [name, requests] of byName) {
    await t.step(name, () => {
      for (const { query, variables } of requests) {
        assert.deepEqual(validateOperation(schema, query).map((e) => e.message), []);
        // The variables the client sent must coerce to the declared types, except where the
        // client itself sends null for a non-null variable (GetRunQueueItem's projectName,
        // which the real server rejects too).
        const op = parse(query).definitions.find((d) =>
          d.kind === Kind.OPERATION_DEFINITION
        ) as OperationDefinitionNode;
        const coerced = getVariableValues(schema, op.variableDefinitions ?? [], variables);
        const problems = (coerced.errors ?? []).map((e) => e.message)
          .filter((m) => !(name === "GetRunQueueItem" && m.includes("$projectName")));
        assert.deepEqual(problems, []);
      }
    });
  }
});

Deno.test("every operation the official client v0.17.9 sent validates against our SDL", async (t) => {
  const schema = buildWandbSchema();
  const text = await fixture("captured-v0.17.9.txt");
  // Each request: a "#### POST" header line, the document, a blank line, then "variables: …".
  const blocks = text.split(/^#### /m).slice(1).filter((b) => !b.startsWith("(repeat)"));
  const queries = blocks.map((b) =>
    b.split("\n").slice(1).join("\n").split(/^variables:/m)[0]!.trim()
  )
    .filter((q) => q.length > 0);
  assert.ok(queries.length >= 10, `only ${queries.length} queries parsed`);
  for (const query of queries) {
    await t.step(operationName(query), () => {
      assert.deepEqual(validateOperation(schema, query).map((e) => e.message), []);
    });
  }
});

/** The requests of a capture that a release's schema rejects, as `operation: message`. */
const rejectedIn = async (file: string, version: "latest" | "0.70") => {
  const schema = buildWandbSchema(version);
  const captured: Array<Captured> = (await fixture(file)).trim().split("\n")
    .map((line) => JSON.parse(line))
    .filter((r) => r.json?.query !== undefined)
    .map((r) => ({ query: r.json.query, variables: r.json.variables ?? {} }));
  const rejected = new Set<string>();
  const names = new Set<string>();
  for (const { query, variables } of captured) {
    const name = operationName(query);
    names.add(name);
    const op = parse(query).definitions.find((d) =>
      d.kind === Kind.OPERATION_DEFINITION
    ) as OperationDefinitionNode;
    const problems = [
      ...validateOperation(schema, query).map((e) => e.message),
      ...(getVariableValues(schema, op.variableDefinitions ?? [], variables).errors ?? [])
        .map((e) => e.message),
    ];
    for (const problem of problems) rejected.add(`${name}: ${problem}`);
  }
  return { requests: captured.length, operations: names, rejected: [...rejected] };
};

Deno.test("every operation the official client v0.30.0 sent (classic and newest surfaces) validates against our SDL", async () => {
  const { requests, operations, rejected } = await rejectedIn(
    "captured-requests-v0.30.0.jsonl",
    "latest",
  );
  assert.ok(requests >= 140, `only ${requests} captured requests`);
  for (
    const surface of [
      "FetchRegistries",
      "UpsertRegistry",
      "GetEntityAutomations",
      "GetAutomationsLegacy",
      "CreateAutomation",
      "UpdateAutomation",
      "DeleteAutomation",
      "IntegrationsByEntity",
      "FetchOrganization",
      "RunConsoleLogPage",
      "StopRun",
    ]
  ) {
    assert.ok(operations.has(surface), `${surface} is not in the capture`);
  }
  assert.deepEqual(rejected, []);
});

Deno.test("wandb 0.30.0 against W&B Server 0.70: only its own probes of what 0.70 lacks are rejected", async () => {
  const { operations, rejected } = await rejectedIn(
    "captured-requests-v0.30.0-server-0.70.jsonl",
    "0.70",
  );
  // The client asks for the features list (0.70 has none, which it reads as "no features") and
  // for a console log page from the start (0.77), whose refusal it turns into its own error.
  // Everything else it sends is what 0.70 accepts: the project walk for automations, no
  // registry queries, no fields of later features.
  assert.ok(operations.has("GetEntityAutomationsLegacy"));
  assert.ok(!operations.has("FetchRegistries"));
  assert.deepEqual(
    [...new Set(rejected.map((r) => r.split(":")[0]))].sort(),
    ["RunConsoleLogPage", "ServerFeaturesQuery"],
  );
});
