// The facade's one tracing rule, checked member by member: every method of the Api (and its
// Effect members) runs inside a span named `Api.<member>`. The table (`_calls.ts`) names a call for
// every member; a member the table lacks fails the test, so a method added without a span (or
// without a call here) cannot go unnoticed. Each call runs against the local server; its
// result does not matter here (many are refused on purpose), only its span.
import assert from "node:assert/strict";
import { Effect, Exit, Tracer } from "effect";
import { Api } from "../../mod.ts";
import { withServer } from "./_harness.ts";
import { calls, fixtures as buildFixtures, runCall } from "./_calls.ts";

Deno.test("every member of the Api runs in a span named Api.<member>, by one rule", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { members, missing } = await withServer(
      Effect.gen(function* () {
        const api = yield* Api;
        const fixtures = yield* buildFixtures(dir);
        const members = Object.keys(api).filter((name) => name !== "config" && name !== "client");
        const missing: Array<string> = [];
        for (const name of members) {
          const call = calls[name as keyof typeof calls];
          if (call === undefined) {
            missing.push(`${name}: no call in the table`);
            continue;
          }
          const spans: Array<string> = [];
          const tracer = Tracer.make({
            span: (options) => {
              spans.push(options.name);
              return new Tracer.NativeSpan(options);
            },
          });
          yield* Effect.exit(runCall(call, api, fixtures)).pipe(Effect.withTracer(tracer));
          if (!spans.includes(`Api.${name}`)) missing.push(`${name}: spans ${spans.join(", ")}`);
        }
        return { members, missing };
      }),
    );
    assert.deepEqual(missing, []);
    assert.deepEqual(members.sort(), Object.keys(calls).sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an Effect member traced by the rule still answers: the viewer", async () => {
  const exit = await withServer(Effect.exit(Effect.gen(function* () {
    return yield* (yield* Api).viewer;
  })));
  assert.ok(Exit.isSuccess(exit) && exit.value.username === "alice");
});
