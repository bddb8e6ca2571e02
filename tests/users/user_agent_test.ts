// W&B's gate on first-party fields (wandb/wandb#12009): a request that reads a user's API keys
// under a User-Agent W&B does not recognize is refused whole ("relogin required"). The local
// server does the same; the client's default User-Agent is one W&B recognizes, naming itself,
// and a refusal is a typed error that says why.
import assert from "node:assert/strict";
import { Effect } from "effect";
import { Api, GraphqlError } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { postGraphql, withServer } from "../api/_harness.ts";

Deno.test("the default User-Agent reads a user's API keys; another is refused, typed and explained", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const alice = yield* api.user("alice");
    return { alice, agent: server.requests.at(-1)!.userAgent };
  }));
  assert.ok(r.alice!.apiKeys.length > 0);
  assert.match(r.agent!, /^W&B Public Client \S+ \(effect-wandb\/\d/);
  const refused = await withServer(
    Effect.flip(Effect.flatMap(Api, (api) => api.user("alice"))),
    { api: { userAgent: "my-script/1.0" } },
  );
  assert.ok(refused instanceof GraphqlError);
  assert.match(refused.message, /relogin required/);
  assert.match(refused.message, /User-Agent/);
  assert.deepEqual(refused.errors.map((e) => e.message), ["relogin required"]);
});

Deno.test("the local server refuses a document reading User.apiKeys without a recognized client", async () => {
  await withServer(Effect.gen(function* () {
    const server = yield* LocalServer;
    const withKeys = "{ viewer { username apiKeys { edges { node { id } } } } }";
    const without = "{ viewer { username } }";
    const [refused, plain, official] = yield* Effect.promise(() =>
      Promise.all([
        postGraphql(server.url, server.apiKey, withKeys, {}, "curl/8.5"),
        postGraphql(server.url, server.apiKey, without, {}, "curl/8.5"),
        postGraphql(server.url, server.apiKey, withKeys, {}, "W&B Public Client 0.30.0"),
      ])
    );
    assert.equal(refused.status, 200);
    assert.deepEqual(refused.body, { data: null, errors: [{ message: "relogin required" }] });
    assert.equal(plain.body.data.viewer.username, "alice");
    assert.ok(official.body.data.viewer.apiKeys.edges.length > 0);
  }));
});
