// Users, teams and API keys over real HTTP, each call as a permitted and as a refused user.
import assert from "node:assert/strict";
import { Effect, Layer, Redacted } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, type ApiShape, InvalidArgumentError, NotFoundError } from "../../mod.ts";
import { type Emulator, LocalServer, seedApiKey, testApiLayer } from "../../lib/testing/mod.ts";

/** Runs `body` with alice's Api (an instance admin) and a maker of Apis for other keys. */
const withUsers = <A, E>(
  body: (as: (key: string) => Layer.Layer<Api, never>) => Effect.Effect<A, E, Api | Emulator>,
) =>
  Effect.runPromise(Effect.scoped(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const as = (key: string) =>
        Api.layer({ apiKey: key, baseUrl: server.url }).pipe(
          Layer.provide(FetchHttpClient.layer),
          Layer.orDie,
        );
      return yield* body(as);
    }).pipe(Effect.provide(testApiLayer())),
  ));

const bob = seedApiKey("bob", 42);
const carol = seedApiKey("carol", 42);
const asUser = <A, E>(layer: Layer.Layer<Api, never>, f: (api: ApiShape) => Effect.Effect<A, E>) =>
  Effect.provide(
    Effect.gen(function* () {
      return yield* f(yield* Api);
    }),
    layer,
  );

Deno.test("teams: members with roles; create, invite, service accounts and removal by team admins only", async () => {
  const r = await withUsers((as) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const acme = yield* api.team("acme");
      const missing = yield* Effect.flip(api.team("nope"));
      const bobApi = as(bob);
      const research = yield* asUser(bobApi, (b) => b.createTeam("research"));
      const badName = yield* Effect.flip(asUser(bobApi, (b) => b.createTeam("bad name")));
      const invited = yield* asUser(bobApi, (b) => b.inviteToTeam("globex", "alice@example.com"));
      const refused = yield* Effect.flip(asUser(bobApi, (b) => b.inviteToTeam("acme", "carol")));
      const acmeAfter = server.store.users.entity("acme")!.members;
      const bot = yield* asUser(bobApi, (b) => b.createServiceAccount("globex", "nightly export"));
      const carolMember = invited.members.find((m) => m.username === "carol")!;
      const byCarol = yield* Effect.flip(
        asUser(as(carol), (c) =>
          c.removeTeamMember("globex", invited.members.find((m) => m.username === "bob")!)),
      );
      const removed = yield* asUser(bobApi, (b) =>
        b.removeTeamMember("globex", carolMember));
      return {
        acme,
        missing,
        research,
        badName,
        invited,
        refused,
        acmeAfter,
        bot,
        byCarol,
        removed,
      };
    })
  );
  assert.deepEqual(
    r.acme.members.map((m) => [m.username, m.role, m.accountType]),
    [["alice", "admin", "USER"], ["bob", "member", "USER"]],
  );
  assert.ok(r.missing instanceof NotFoundError && r.missing.resource === "team");
  assert.deepEqual(r.research.members.map((m) => [m.username, m.role]), [["bob", "admin"]]);
  assert.ok(r.badName instanceof InvalidArgumentError);
  assert.ok(r.invited.members.some((m) => m.username === "alice" && m.role === "member"));
  assert.equal(r.refused._tag, "PermissionError");
  assert.deepEqual(r.acmeAfter, ["alice", "bob"]);
  assert.equal(r.bot.accountType, "SERVICE");
  assert.equal(r.bot.name, "nightly export");
  assert.equal(r.byCarol._tag, "PermissionError");
  assert.ok(!r.removed.members.some((m) => m.username === "carol"));
  assert.ok(r.removed.members.some((m) => m.username === "bob"));
});

Deno.test("users: search and create for admins only, refused changing nothing for others", async () => {
  const r = await withUsers((as) =>
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      const found = yield* api.users("bob");
      const bobUser = yield* api.user("bob@example.com");
      const nobody = yield* Effect.flip(api.user("nobody@example.com"));
      const empty = yield* Effect.flip(api.users(" "));
      const dan = yield* api.createUser("dan@example.com");
      const badEmail = yield* Effect.flip(api.createUser("not-an-email"));
      const bobApi = as(bob);
      const searchRefused = yield* Effect.flip(asUser(bobApi, (b) => b.users("alice")));
      const createRefused = yield* Effect.flip(
        asUser(bobApi, (b) => b.createUser("eve@example.com")),
      );
      const eve = server.store.users.list().find((u) => u.email === "eve@example.com");
      return { found, bobUser, nobody, empty, dan, badEmail, searchRefused, createRefused, eve };
    })
  );
  assert.deepEqual(r.found.map((u) => u.username), ["bob"]);
  assert.deepEqual([...r.bobUser.teams].sort(), ["acme", "globex"]);
  assert.equal(r.bobUser.admin, false);
  assert.ok(r.nobody instanceof NotFoundError);
  assert.ok(r.empty instanceof InvalidArgumentError);
  assert.equal(r.dan.email, "dan@example.com");
  assert.equal(r.dan.username, "dan");
  assert.ok(r.badEmail instanceof InvalidArgumentError);
  assert.equal(r.searchRefused._tag, "PermissionError");
  assert.equal(r.createRefused._tag, "PermissionError");
  assert.equal(r.eve, undefined);
});

Deno.test("API keys: generated Redacted and working, listed to their owner, deleted for good", async () => {
  const r = await withUsers((as) =>
    Effect.gen(function* () {
      const bobApi = as(bob);
      const generated = yield* asUser(bobApi, (b) => b.generateApiKey({ description: "ci" }));
      const secret = Redacted.value(generated.key);
      const viewer = yield* asUser(as(secret), (k) => k.viewer);
      const server = yield* LocalServer;
      const bobId = server.store.users.byName("bob")!.id;
      const listed = server.store.teams.apiKeys(bobId).map((k) => k.description);
      const deleted = yield* asUser(bobApi, (b) => b.deleteApiKey(generated.id));
      const after = yield* Effect.flip(asUser(as(secret), (k) => k.viewer));
      const printed = `${String(generated.key)} ${JSON.stringify(generated)}`;
      return { generated, secret, viewer, listed, deleted, after, printed };
    })
  );
  assert.match(r.secret, /^[0-9a-f]{40}$/);
  assert.equal(r.viewer.username, "bob");
  assert.equal(r.deleted, r.generated.id);
  assert.equal(r.after._tag, "AuthenticationError");
  assert.ok(!r.printed.includes(r.secret), r.printed);
  assert.ok(r.printed.includes("<redacted>"));
  assert.ok(r.listed.includes("ci"));
});
