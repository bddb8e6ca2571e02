// Reports over real HTTP: listed lazily, specs decoded, sections as data.
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api, NotFoundError } from "../../mod.ts";
import { LocalServer, testApiLayer } from "../../lib/testing/mod.ts";
import { countOperation } from "../api/_harness.ts";

Deno.test("reports() lists a project's reports with their specs and sections decoded", async () => {
  const r = await Effect.runPromise(Effect.scoped(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      server.resetRequests();
      const all = yield* Stream.runCollect(api.reports("acme/mnist", { perPage: 1 }));
      const pages = countOperation(server, "ProjectViews");
      const named = yield* Stream.runCollect(api.reports("acme/mnist", { name: "report-2" }));
      const none = yield* Stream.runCollect(api.reports("acme/cifar10"));
      const missing = yield* Effect.flip(Stream.runCollect(api.reports("acme/nope")));
      return { seed: server.seed.reports, all, pages, named, none, missing, base: server.url };
    }).pipe(Effect.provide(testApiLayer())),
  ));
  assert.deepEqual(r.all.map((x) => x.displayName), r.seed.map((x) => x.displayName));
  assert.equal(r.pages, 2);
  const [first] = r.all;
  assert.deepEqual(first!.spec, JSON.parse(r.seed[0]!.spec));
  assert.deepEqual(first!.sections.map((s) => [s.name, s.panels.length, s.runSets.length]), [
    ["Losses", 2, 1],
    ["Accuracy", 1, 0],
  ]);
  assert.equal((first!.sections[0]!.runSets[0] as { name: string }).name, "Sweep runs");
  assert.equal(first!.user?.username, "alice");
  assert.ok(first!.url.startsWith(`${r.base}/acme/mnist/reports/Loss-curves-of-the-lr-sweep--`));
  assert.deepEqual(r.named.map((x) => x.name), ["report-2"]);
  assert.deepEqual(r.named[0]!.sections, []);
  assert.deepEqual(r.none, []);
  assert.ok(r.missing instanceof NotFoundError);
});
