// A listing that selects what it needs: `fields` asks W&B for the light fields and only those
// chosen, each run decoded with exactly those.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api } from "../../mod.ts";
import { runsQuery } from "../../lib/runs/queries.ts";
import { printDocument } from "../../lib/core/graphql.ts";
import { buildWandbSchema, validateOperation } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const project = { entity: "acme", project: "mnist" };
const documentOf = (
  fields?: ReadonlyArray<"config" | "summary" | "systemMetrics" | "historyKeys">,
  full = false,
) =>
  printDocument(
    runsQuery({
      project,
      filters: "{}",
      order: "+created_at",
      perPage: 50,
      cursor: null,
      full,
      fields,
    })
      .document,
  );

Deno.test("fields: only the chosen fields are asked, in a document the server accepts", () => {
  const chosen = documentOf(["summary", "config"]);
  assert.match(chosen, /fragment RunFieldsFragment on Run/);
  assert.match(chosen, /\bconfig\b/);
  assert.match(chosen, /\bsummaryMetrics\b/);
  assert.doesNotMatch(chosen, /systemMetrics|historyKeys/);
  assert.deepEqual(validateOperation(buildWandbSchema(), chosen).map((e) => e.message), []);
  // All four is the official client's RunFragment; none its LightweightRunFragment.
  assert.match(
    documentOf(["config", "summary", "systemMetrics", "historyKeys"]),
    /\.\.\.RunFragment/,
  );
  assert.match(documentOf([]), /\.\.\.LightweightRunFragment/);
  assert.match(documentOf(undefined, true), /\.\.\.RunFragment/);
});

Deno.test("fields: runs carry exactly what was chosen, decoded as a full listing decodes it", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const collect = (options: Parameters<typeof api.runs>[1]) =>
        Effect.map(Stream.runCollect(api.runs("acme/mnist", options)), (c) => Array.from(c));
      return {
        chosen: yield* collect({ fields: ["config", "summary"] }),
        full: yield* collect({ full: true }),
        keysOnly: yield* collect({ fields: ["historyKeys"] }),
      };
    }),
  );
  assert.ok(r.chosen.length > 5);
  assert.deepEqual(r.chosen.map((run) => run.id), r.full.map((run) => run.id));
  for (const [i, run] of r.chosen.entries()) {
    assert.deepEqual(run.config, r.full[i]!.config);
    assert.deepEqual(run.summary, r.full[i]!.summary);
    assert.deepEqual(run.rawConfig, r.full[i]!.rawConfig);
    assert.equal(run.systemMetrics, undefined);
    assert.equal(run.historyKeys, undefined);
  }
  assert.ok(r.full.some((run) => Object.keys(run.summary ?? {}).length > 0));
  for (const [i, run] of r.keysOnly.entries()) {
    assert.deepEqual(run.historyKeys, r.full[i]!.historyKeys);
    assert.equal(run.config, undefined);
  }
});
