// An entity's integrations against the local server: the seeded Slack channel and webhook, by
// kind, a webhook created and listed, and refusals typed (a bad URL before any request, an
// entity the viewer is not in, an entity that does not exist).
import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { Api } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "../api/_harness.ts";

Deno.test("integrations: all, Slack, webhooks; a webhook created is listed", async () => {
  const r = await withServer(Effect.gen(function* () {
    const api = yield* Api;
    const server = yield* LocalServer;
    const all = yield* Stream.runCollect(api.integrations("acme"));
    const slack = yield* Stream.runCollect(api.slackIntegrations("acme"));
    const created = yield* api.createWebhookIntegration(
      { name: "pager", urlEndpoint: "https://pager.example.com/hook" },
      "acme",
    );
    const hooks = yield* Stream.runCollect(api.webhookIntegrations("acme"));
    const none = yield* Stream.runCollect(api.integrations("alice"));
    server.resetRequests();
    const badUrl = yield* Effect.flip(
      api.createWebhookIntegration({ name: "x", urlEndpoint: "ftp://example.com" }, "acme"),
    );
    const sent = countOperation(server, "CreateGenericWebhookIntegration");
    const foreign = yield* Effect.flip(Stream.runCollect(api.integrations("globex")));
    const missing = yield* Effect.flip(Stream.runCollect(api.integrations("no-such-entity")));
    return { all, slack, created, hooks, none, badUrl, sent, foreign, missing };
  }));
  assert.deepEqual(r.all.map((i) => i._tag), ["SlackIntegration", "WebhookIntegration"]);
  assert.deepEqual(r.slack.map((i) => [i.teamName, i.channelName]), [[
    "acme-workspace",
    "#ml-alerts",
  ]]);
  assert.equal(r.created.name, "pager");
  assert.deepEqual(r.hooks.map((h) => [h.name, h.urlEndpoint]), [
    ["on-call", "https://hooks.example.com/wandb"],
    ["pager", "https://pager.example.com/hook"],
  ]);
  assert.ok(r.hooks.some((h) => h.id === r.created.id));
  assert.deepEqual(r.none, []);
  assert.equal(r.badUrl._tag, "InvalidArgumentError");
  assert.equal(r.sent, 0);
  assert.equal(r.foreign._tag, "PermissionError");
  assert.equal(r.missing._tag, "NotFoundError");
});
