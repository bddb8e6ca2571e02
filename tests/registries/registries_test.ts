// Registries against the local server as W&B serves them: an organization's registries, listed,
// searched and changed; a restricted one seen by its members only; older releases refuse with
// the feature named.
import assert from "node:assert/strict";
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, type ApiShape } from "../../mod.ts";
import { LocalServer, seedApiKey } from "../../lib/testing/mod.ts";
import { withServer } from "../api/_harness.ts";

const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => Array.from(chunk));

/** Runs `body` with alice's Api (acme's default entity) and bob's, on one server. */
const withAliceAndBob = <A, E>(
  body: (alice: ApiShape, bob: ApiShape) => Effect.Effect<A, E>,
) =>
  withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const alice = yield* Api;
      const bob = yield* Effect.provide(
        Effect.gen(function* () {
          return yield* Api;
        }),
        Api.layer({ apiKey: seedApiKey("bob", 42), baseUrl: server.url, entity: "bob" }).pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.orDie,
        ),
      );
      return yield* body(alice, bob);
    }),
    { api: { entity: "acme" } },
  );

Deno.test("registries: listed for the default entity's organization, filtered, read by name", async () => {
  const r = await withAliceAndBob((alice, bob) =>
    Effect.gen(function* () {
      return {
        all: yield* collect(alice.registries()),
        named: yield* collect(alice.registries({ filter: { name: "model" } })),
        described: yield* collect(
          alice.registries({ filter: { description: { $regex: "Curated" } } }),
        ),
        model: yield* alice.registry("model"),
        // Bob is in acme-corp but not in the restricted golden-data.
        bobSees: yield* collect(bob.registries({ organization: "acme-corp" })),
        bobReads: yield* Effect.flip(bob.registry("golden-data", "acme-corp")),
        missing: yield* Effect.flip(alice.registry("no-such-registry")),
        noOrg: yield* Effect.flip(Stream.runCollect(alice.registries({ organization: "nope" }))),
      };
    })
  );
  assert.deepEqual(r.all.map((x) => x.name).sort(), ["golden-data", "model"]);
  assert.deepEqual(r.named.map((x) => x.name), ["model"]);
  assert.deepEqual(r.described.map((x) => x.name), ["golden-data"]);
  assert.equal(r.model.fullName, "wandb-registry-model");
  assert.equal(r.model.organization, "acme-corp");
  assert.equal(r.model.entity, "acme-corp-org");
  assert.equal(r.model.visibility, "organization");
  assert.equal(r.model.description, "Models cleared for production");
  assert.equal(r.model.allowAllArtifactTypes, false);
  assert.deepEqual(r.model.artifactTypes, ["model"]);
  assert.deepEqual(r.bobSees.map((x) => x.name), ["model"]);
  assert.equal(r.bobReads._tag, "NotFoundError");
  assert.equal(r.missing._tag, "NotFoundError");
  assert.equal(r.noOrg._tag, "NotFoundError");
});

Deno.test("registries: collections and versions searched across them, by alias", async () => {
  const r = await withAliceAndBob((alice, bob) =>
    Effect.gen(function* () {
      return {
        collections: yield* collect(alice.registryCollections()),
        inModel: yield* collect(alice.registryCollections({ registry: "model" })),
        versions: yield* collect(alice.registryVersions({ registry: "model" })),
        production: yield* collect(alice.registryVersions({ filter: { alias: "production" } })),
        bobVersions: yield* collect(bob.registryVersions({ organization: "acme-corp" })),
      };
    })
  );
  assert.deepEqual(r.collections.map((c) => c.name).sort(), ["curated-mnist", "mnist-classifier"]);
  assert.deepEqual(r.inModel.map((c) => c.name), ["mnist-classifier"]);
  assert.deepEqual(
    r.versions.map((v) => [v.name, v.registry, v.aliases.join()]).sort(),
    [["mnist-classifier:v0", "model", "production"], [
      "mnist-classifier:v1",
      "model",
      "latest,staging",
    ]],
  );
  for (const v of r.versions) assert.equal(v.artifact.type, "model");
  assert.deepEqual(r.production.map((v) => v.name), ["mnist-classifier:v0"]);
  assert.equal(r.production[0]!.artifact.collection, "mnist-cnn");
  // The restricted registry's version is not among bob's.
  assert.deepEqual(r.bobVersions.map((v) => v.registry).sort(), ["model", "model"]);
});

Deno.test("registries: created, saved, renamed, shared with a member, and deleted", async () => {
  const r = await withAliceAndBob((alice, bob) =>
    Effect.gen(function* () {
      const created = yield* alice.createRegistry({
        name: "datasets",
        visibility: "restricted",
        description: "Raw data",
        artifactTypes: ["dataset"],
      });
      const again = yield* Effect.flip(
        alice.createRegistry({ name: "datasets", visibility: "organization" }),
      );
      const badName = yield* Effect.flip(
        alice.createRegistry({ name: "no spaces", visibility: "organization" }),
      );
      const badTypes = yield* Effect.flip(
        alice.saveRegistry(created, { allowAllArtifactTypes: true, addArtifactTypes: ["code"] }),
      );
      const saved = yield* alice.saveRegistry(created, {
        description: "Raw and curated data",
        addArtifactTypes: ["raw_data"],
        name: "data",
      });
      const membersBefore = yield* alice.registryMembers(saved);
      const bobBefore = yield* Effect.flip(bob.registry("data", "acme-corp"));
      const bobUser = yield* alice.user("bob");
      yield* alice.addRegistryMembers(saved, [{ user: { id: bobUser.id } }]);
      yield* alice.updateRegistryMember(saved, { user: { id: bobUser.id } }, "viewer");
      const badRole = yield* Effect.flip(
        alice.updateRegistryMember(saved, { user: { id: bobUser.id } }, "Root!"),
      );
      const bobAfter = yield* bob.registry("data", "acme-corp");
      const membersAfter = yield* alice.registryMembers(saved);
      yield* alice.removeRegistryMembers(saved, [{ user: { id: bobUser.id } }]);
      const bobRemoved = yield* Effect.flip(bob.registry("data", "acme-corp"));
      yield* alice.deleteRegistry(saved);
      const gone = yield* Effect.flip(alice.registry("data"));
      return {
        created,
        again,
        badName,
        badTypes,
        saved,
        membersBefore,
        bobBefore,
        badRole,
        bobAfter,
        membersAfter,
        bobRemoved,
        gone,
      };
    })
  );
  assert.equal(r.created.fullName, "wandb-registry-datasets");
  assert.equal(r.created.visibility, "restricted");
  assert.deepEqual(r.created.artifactTypes, ["dataset"]);
  assert.equal(r.again._tag, "InvalidArgumentError");
  assert.equal(r.badName._tag, "InvalidArgumentError");
  assert.equal(r.badTypes._tag, "InvalidArgumentError");
  assert.equal(r.saved.name, "data");
  assert.equal(r.saved.description, "Raw and curated data");
  assert.deepEqual([...r.saved.artifactTypes].sort(), ["dataset", "raw_data"]);
  assert.deepEqual(
    r.membersBefore.map((m) => m._tag === "UserMember" ? [m.username, m.role] : []),
    [
      ["alice", "admin"],
    ],
  );
  assert.equal(r.bobBefore._tag, "NotFoundError");
  assert.equal(r.badRole._tag, "InvalidArgumentError");
  assert.equal(r.bobAfter.name, "data");
  assert.deepEqual(
    r.membersAfter.map((m) => m._tag === "UserMember" ? [m.username, m.role] : []),
    [["alice", "admin"], ["bob", "viewer"]],
  );
  assert.equal(r.bobRemoved._tag, "NotFoundError");
  assert.equal(r.gone._tag, "NotFoundError");
});

Deno.test("registries on W&B Server 0.70: refused as unsupported, naming the feature, before any search", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const refused = yield* Effect.flip(Stream.runCollect(api.registries()));
      return { refused, asked: server.requests.map((q) => q.operationName) };
    }),
    { api: { entity: "acme" }, server: { serverVersion: "0.70" } },
  );
  assert.equal(r.refused._tag, "UnsupportedByServerError");
  assert.match(r.refused.message, /ARTIFACT_REGISTRY_SEARCH/);
  assert.ok(!r.asked.includes("FetchRegistries"), r.asked.join());
});
