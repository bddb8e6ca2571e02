// Older W&B Server releases, as the local server acts them: every member of the Api either works
// (through the official client's fallback where the release lacks a feature) or fails with an
// UnsupportedByServerError naming the feature, and never sends a query shape the release would
// reject (a GraphQL validation error).
import assert from "node:assert/strict";
import { Cause, Effect, Exit } from "effect";
import { Api } from "../../mod.ts";
import { LocalServer, type ServerVersion } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "./_harness.ts";
import { calls, fixtures as buildFixtures, runCall } from "./_calls.ts";

const schemaRejection = /Cannot query field|Unknown argument|Unknown type|is not defined by type/;

// What each release lacks, by the feature the calls need: structured console logs
// before 0.77 and registry search before 0.74, creating registries with types (what saving one
// sends) before 0.80.
const unsupportedOn = {
  "0.70": [
    "consoleLogs",
    "registries",
    "registry",
    "createRegistry",
    "saveRegistry",
    "registryCollections",
    "registryVersions",
  ],
  "0.77": ["createRegistry", "saveRegistry"],
  "0.81": [],
};

for (const version of ["0.70", "0.77", "0.81"] as const satisfies ReadonlyArray<ServerVersion>) {
  Deno.test(`W&B Server ${version}: every Api call works or is refused as unsupported, never with a schema error`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const outcome = await withServer(
        Effect.gen(function* () {
          const api = yield* Api;
          const fixtures = yield* buildFixtures(dir);
          const rejected: Array<string> = [];
          const unsupported: Array<string> = [];
          for (const [name, call] of Object.entries(calls)) {
            const exit = yield* Effect.exit(runCall(call, api, fixtures));
            if (Exit.isSuccess(exit)) continue;
            const error = Cause.squash(exit.cause) as { _tag?: string; message?: string };
            if (error._tag === "UnsupportedByServerError") unsupported.push(name);
            if (error._tag === "GraphqlError" && schemaRejection.test(error.message ?? "")) {
              rejected.push(`${name}: ${error.message}`);
            }
          }
          const link = yield* api.linkArtifact(fixtures.artifact, "acme/mnist/old-server-links", {
            aliases: ["kept"],
          });
          return { rejected, unsupported, link };
        }),
        { server: { serverVersion: version } },
      );
      assert.deepEqual(outcome.rejected, []);
      assert.deepEqual(outcome.unsupported, unsupportedOn[version]);
      // Linking works on every release: without the membership in the answer, it is read back.
      assert.equal(outcome.link.portfolio, "acme/mnist/old-server-links");
      assert.equal(outcome.link.version, "v0");
      assert.ok(outcome.link.aliases.includes("kept"), outcome.link.aliases.join());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("the server's features are asked once, by the first of many concurrent callers", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const [first, second] = yield* Effect.all(
        [api.client.capabilities, api.client.capabilities],
        {
          concurrency: "unbounded",
        },
      );
      const later = yield* api.client.capabilities;
      return {
        first,
        same: first === second && first === later,
        asked: countOperation(server, "ServerFeaturesQuery"),
      };
    }),
    { server: { serverVersion: "0.77" } },
  );
  assert.equal(r.asked, 1);
  assert.ok(r.same);
  assert.equal(r.first.version, "0.77.0");
  assert.ok(r.first.features.has("STRUCTURED_CONSOLE_LOGS"));
  assert.ok(!r.first.features.has("SWEEPS_QUERY_FILTERING"));
});

Deno.test("a release without serverInfo.features has none of them; SaaS states no version", async () => {
  const [old, saas] = await Promise.all(
    (["0.70", "latest"] as const).map((serverVersion) =>
      withServer(Effect.flatMap(Api, (api) => api.client.capabilities), {
        server: { serverVersion },
      })
    ),
  );
  assert.equal(old!.features.size, 0);
  assert.equal(old!.version, "0.70.0");
  assert.ok(saas!.features.has("ARTIFACT_MEMBERSHIP_IN_LINK_ARTIFACT_RESPONSE"));
  assert.equal(saas!.version, undefined);
});

Deno.test("a failed first ask is not kept: the next caller asks again", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      server.injectFaults({ operationName: "ServerFeaturesQuery", status: 400 });
      const failed = yield* Effect.flip(api.client.capabilities);
      const learned = yield* api.client.capabilities;
      return { failed: failed._tag, features: learned.features.size };
    }),
  );
  assert.equal(r.failed, "ServerError");
  assert.ok(r.features > 0);
});
