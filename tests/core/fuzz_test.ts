// Fuzzing with effect/Arbitrary: 10,000 generated cases for each input the library parses —
// paths, filters and orders, W&B's JSON, history rows and the decoders of real server answers
// made malformed. Each must end in a value or a typed error: never a defect, never a hang.
import assert from "node:assert/strict";
import { Arbitrary, Cause, Effect, Exit, Schema } from "effect";
import {
  encodeFilters,
  encodeOrder,
  parseWandbJson,
  type RunFilter,
  WandbJsonError,
} from "../../mod.ts";
import {
  artifactByNameQuery,
  type GraphqlRequest,
  historyPageQuery,
  printDocument,
  projectsQuery,
  runFilesQuery,
  runQuery,
  type RunsData,
  runsQuery,
  sweepsQuery,
  viewerQuery,
} from "../../lib/graphql.ts";
import { parseHistoryRows } from "../../lib/history/mod.ts";
import { classifyPath, parseProjectPath, parseRunPath } from "../../lib/runs/mod.ts";
import { decodeGraphqlResponse } from "../../lib/core/_graphql_execution.ts";
import { toRun } from "../../lib/runs/decoders.ts";
import { startEmulator } from "../../lib/testing/mod.ts";
import { postGraphql } from "../api/_harness.ts";

const runs = 10_000;

/** Checks `property` on 10,000 generated values; a falsified case fails with its shrunk input. */
async function check<A>(arbitrary: Arbitrary.Arbitrary<A>, property: (value: A) => boolean) {
  const result = await Effect.runPromise(
    Arbitrary.checkEffect(arbitrary, property, { runs, seed: 20261124 }),
  );
  assert.equal(Arbitrary.formatCheckFailure(result), undefined);
  assert.equal(result._tag === "Passed" && result.runs, runs);
}

/** An Effect's outcome is a value or one of the typed errors `tags`, never a defect. */
function typedOutcome(
  effect: Effect.Effect<unknown, { readonly _tag: string }>,
  tags: ReadonlyArray<string>,
) {
  const exit = Effect.runSyncExit(effect);
  if (Exit.isSuccess(exit)) return true;
  const error = Cause.findErrorOption(exit.cause);
  return error._tag === "Some" && tags.includes(error.value._tag);
}

type Json = null | boolean | number | string | ReadonlyArray<Json> | {
  readonly [key: string]: Json;
};

/** Text W&B's servers do send inside JSON strings, and text that only looks like it. */
const trickyText = Schema.Literals([
  "NaN",
  "Infinity",
  "-Infinity",
  "1e999",
  "-0",
  "9007199254740993",
  '{"a":NaN}',
  '{"a":Infinity,"b":[-Infinity]}',
  "{",
  "[",
  "",
  "null",
  '"',
  "\u0000",
  '{"_step":1e400}',
  "[".repeat(2000),
  '{"a":'.repeat(500) + "1" + "}".repeat(500),
]);

const json: Schema.Codec<Json> = Schema.Union([
  Schema.Null,
  Schema.Boolean,
  Schema.Number,
  Schema.String,
  trickyText,
  Schema.Array(Schema.suspend((): Schema.Codec<Json> => json)),
  Schema.Record(Schema.String, Schema.suspend((): Schema.Codec<Json> => json)),
]);
const jsonArbitrary = Arbitrary.schema(json);
const text = Arbitrary.schema(Schema.Union([Schema.String, trickyText]));

Deno.test("fuzz: path parsing ends in a path or an InvalidArgumentError", async () => {
  const pieces = Arbitrary.schema(
    Schema.Literals(["a", "b-1", "/", ":", ".", "..", " ", "\u0000", "é", "v0", "", "C:\\"]),
  );
  const pathText = Arbitrary.flatMap(
    Arbitrary.schema(Schema.Boolean),
    (free) => free ? text : Arbitrary.map(Arbitrary.array(pieces), (parts) => parts.join("")),
  );
  await check(pathText, (path) =>
    typedOutcome(parseRunPath(path), ["InvalidArgumentError"]) &&
    typedOutcome(parseProjectPath(path), ["InvalidArgumentError"]) &&
    typedOutcome(classifyPath(path), ["InvalidArgumentError"]));
});

Deno.test("fuzz: filter and order encoding end in JSON text or an InvalidArgumentError", async () => {
  await check(Arbitrary.all({ filter: jsonArbitrary, order: text }), ({ filter, order }) => {
    const exit = Effect.runSyncExit(encodeFilters(filter as unknown as RunFilter));
    const filterOk = Exit.isSuccess(exit)
      ? typeof JSON.parse(exit.value) === "object"
      : typedOutcome(Effect.failCause(exit.cause), ["InvalidArgumentError"]);
    return filterOk && typedOutcome(encodeOrder(order), ["InvalidArgumentError"]);
  });
});

Deno.test("fuzz: W&B's JSON parser returns a value or throws WandbJsonError", async () => {
  await check(text, (source) => {
    try {
      parseWandbJson(source);
      return true;
    } catch (e) {
      return e instanceof WandbJsonError;
    }
  });
});

Deno.test("fuzz: history rows become rows or a DecodeError", async () => {
  const rows = Arbitrary.array(Arbitrary.schema(Schema.Union([json, trickyText])), {
    maxLength: 8,
  });
  await check(
    rows,
    (history) => typedOutcome(parseHistoryRows("HistoryPage", "history", history), ["DecodeError"]),
  );
});

/** Every node of a JSON tree, as the path of keys leading to it. */
function nodePaths(value: unknown, at: ReadonlyArray<string> = []): Array<ReadonlyArray<string>> {
  const out: Array<ReadonlyArray<string>> = [at];
  if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) out.push(...nodePaths(child, [...at, key]));
  }
  return out;
}

/**
 * A copy of `answer` with one node changed: replaced by `junk`, removed, or, for a string (W&B's
 * JSON-in-JSON), cut short.
 */
function mutate(answer: unknown, pick: number, junk: unknown, how: number): unknown {
  const copy = structuredClone(answer);
  const paths = nodePaths(copy);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) return junk;
  type Tree = Record<string, unknown>;
  const parent = path.slice(0, -1).reduce((node: Tree, key) => node[key] as Tree, copy as Tree);
  const key = path[path.length - 1]!;
  const current = parent[key];
  if (how % 3 === 0) parent[key] = junk;
  else if (how % 3 === 1) delete parent[key];
  else {parent[key] = typeof current === "string"
      ? current.slice(0, pick % (current.length + 1))
      : junk;}
  return copy;
}

Deno.test("fuzz: decoders fed malformed server answers end in data or a typed error", async (t) => {
  const server = await startEmulator();
  try {
    const run = server.seed.runs.find((r) => r.project === "mnist" && r.files.length > 0)!;
    const project = { entity: "acme", project: "mnist" };
    const runPath = { ...project, runId: run.name };
    const requests: ReadonlyArray<GraphqlRequest<unknown>> = [
      viewerQuery(),
      projectsQuery("acme", null, 10),
      runsQuery({
        project,
        filters: "{}",
        order: "+created_at",
        perPage: 5,
        cursor: null,
        full: true,
      }),
      runQuery(runPath),
      historyPageQuery(runPath, 0, 1_000_000, 20),
      runFilesQuery(runPath, { names: [], pattern: null, perPage: 10, cursor: null }),
      artifactByNameQuery(project, "mnist-raw:v0", false),
      sweepsQuery(project, 10, null),
    ] as never;
    for (const request of requests) {
      const { body: answer } = await postGraphql(
        server.url,
        server.apiKey,
        printDocument(request.document),
        request.variables,
      );
      await t.step(request.operation, async () => {
        // The answer as sent decodes: the fuzzing starts from what the server really says.
        assert.ok(Exit.isSuccess(Effect.runSyncExit(decodeGraphqlResponse(request, answer))));
        const cases = Arbitrary.all({
          pick: Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1e6 }))),
          how: Arbitrary.schema(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 2 }))),
          junk: jsonArbitrary,
        });
        await check(cases, ({ pick, how, junk }) => {
          const exit = Effect.runSyncExit(
            decodeGraphqlResponse(request, mutate(answer, pick, junk, how)),
          );
          if (Exit.isFailure(exit)) {
            const error = Cause.findErrorOption(exit.cause);
            return error._tag === "Some" &&
              ["DecodeError", "GraphqlError"].includes(error.value._tag);
          }
          // What decodes must also build the objects users see without throwing.
          if (request.operation === "Runs") {
            const edges = (exit.value as RunsData).project?.runs.edges ?? [];
            for (const edge of edges) toRun(project, edge.node);
          }
          return true;
        });
      });
    }
  } finally {
    await server.close();
  }
});
