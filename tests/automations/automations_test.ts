// Automations against the local server as W&B serves them: the seeded ones read back as typed
// events and actions; created, changed and deleted with the filters wandb 0.30 sends; bad ones
// refused before any request; another entity's untouchable; older releases read through the
// project walk and refuse what they lack.
import assert from "node:assert/strict";
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import {
  type Automation,
  collectionScope,
  entityScope,
  type NewAutomation,
  projectScope,
} from "../../lib/automations/mod.ts";
import { type Emulator, LocalServer, seedApiKey } from "../../lib/testing/mod.ts";
import { countOperation, withServer } from "../api/_harness.ts";

const collect = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.map(Stream.runCollect(stream), (chunk) => Array.from(chunk));

/** The input of the server's requests of one operation, in order. */
const inputsOf = (server: Emulator, operation: string) =>
  server.requests.filter((r) => r.operationName === operation).map((r) =>
    (r.variables as { input: Record<string, unknown> }).input
  );

const asUser = (server: Emulator, user: string) =>
  Effect.provide(
    Effect.gen(function* () {
      return yield* Api;
    }),
    Api.layer({ apiKey: seedApiKey(user, 42), baseUrl: server.url }).pipe(
      Layer.provide(FetchHttpClient.layer),
      Layer.orDie,
    ),
  );

const byName = (all: ReadonlyArray<Automation>, name: string) => all.find((a) => a.name === name)!;

Deno.test("automations: the seeded ones, read back as typed events and actions", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const slack = (yield* collect(api.slackIntegrations("acme")))[0]!;
      const hook = (yield* collect(api.webhookIntegrations("acme")))[0]!;
      return {
        slack,
        hook,
        acme: yield* collect(api.automations({ entity: "acme" })),
        everywhere: yield* collect(api.automations()),
        named: yield* api.automation("loss-spike", "acme"),
        missing: yield* Effect.flip(api.automation("no-such-automation", "acme")),
        noEntity: yield* Effect.flip(collect(api.automations({ entity: "no-such-entity" }))),
        asked: countOperation(server, "GetEntityAutomations"),
      };
    }),
  );
  assert.deepEqual(r.acme.map((a) => a.name), [
    "failed-runs-to-slack",
    "loss-spike",
    "prod-dataset-webhook",
  ]);
  // Without an entity, every project the viewer belongs to is walked: the same three, once each.
  assert.deepEqual(r.everywhere.map((a) => a.name).sort(), r.acme.map((a) => a.name).sort());
  const failed = byName(r.acme, "failed-runs-to-slack");
  assert.deepEqual(failed.event, {
    _tag: "RunStateEvent",
    scope: { _tag: "ProjectScope", id: failed.event.scope!.id, name: "mnist" },
    states: ["failed"],
  });
  assert.deepEqual(failed.action, {
    _tag: "SendNotification",
    integrationId: r.slack.id,
    title: "Run failed",
    message: "${run_name} in ${project_name} failed",
    severity: "ERROR",
  });
  assert.equal(failed.enabled, true);
  assert.equal(r.named.enabled, false);
  assert.equal(r.named.description, null);
  assert.deepEqual(r.named.event._tag === "RunMetricEvent" && r.named.event, {
    _tag: "RunMetricEvent",
    scope: r.named.event.scope,
    runs: { display_name: { $contains: "sweep" } },
    condition: {
      _tag: "MetricThreshold",
      metric: "loss",
      agg: "average",
      window: 5,
      op: ">",
      threshold: 2.5,
    },
  });
  assert.deepEqual(r.named.action, { _tag: "DoNothing" });
  const prod = byName(r.acme, "prod-dataset-webhook");
  assert.deepEqual(prod.event._tag === "ArtifactEvent" && [prod.event.on, prod.event.filter], [
    "addArtifactAlias",
    { alias: { $eq: "prod" } },
  ]);
  assert.equal(prod.event.scope?._tag, "ArtifactCollectionScope");
  assert.equal(prod.event.scope?.name, "mnist-raw");
  assert.deepEqual(prod.action, {
    _tag: "SendWebhook",
    integrationId: r.hook.id,
    payload: { text: "${artifact_version_string} is now prod" },
  });
  assert.equal(r.missing._tag, "NotFoundError");
  assert.equal(r.noEntity._tag, "NotFoundError");
  assert.ok(r.asked >= 3, `GetEntityAutomations asked ${r.asked} times`);
});

Deno.test("automations: created with the filters wandb 0.30 sends, changed, deleted", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const project = yield* api.project("mnist", "acme");
      const hook = (yield* collect(api.webhookIntegrations("acme")))[0]!;
      const spike: NewAutomation = {
        name: "loss-alarm",
        description: "Tell on-call when loss passes 1.5",
        event: {
          _tag: "RunMetricEvent",
          scope: projectScope(project),
          condition: {
            _tag: "MetricThreshold",
            metric: "loss",
            agg: "average",
            window: 5,
            op: ">",
            threshold: 1.5,
          },
        },
        action: { _tag: "SendWebhook", integrationId: hook.id, payload: { text: "loss diverged" } },
      };
      const created = yield* api.createAutomation(spike);
      const changing = yield* api.createAutomation({
        name: "loss-moves",
        event: {
          _tag: "RunMetricEvent",
          scope: projectScope(project),
          runs: { display_name: { $regex: "^sweep" } },
          condition: {
            _tag: "MetricChange",
            metric: "loss",
            agg: "average",
            window: 5,
            change: "relative",
            amount: 0.25,
          },
        },
        action: { _tag: "DoNothing" },
      });
      const taken = yield* Effect.flip(api.createAutomation(spike));
      const existing = yield* api.createAutomation(spike, { fetchExisting: true });
      const updated = yield* api.updateAutomation(created, {
        enabled: false,
        description: "paused",
        name: "loss-alarm-paused",
      });
      const reread = yield* api.automation("loss-alarm-paused", "acme");
      yield* api.deleteAutomation(updated);
      yield* api.deleteAutomation(changing.id);
      const gone = yield* Effect.flip(api.deleteAutomation(updated));
      const goneUpdate = yield* Effect.flip(api.updateAutomation(updated, { enabled: true }));
      return {
        project,
        hook,
        created,
        changing,
        taken,
        existing,
        updated,
        reread,
        gone,
        goneUpdate,
        inputs: inputsOf(server, "CreateAutomation"),
        updates: inputsOf(server, "UpdateAutomation"),
        left: (yield* collect(api.automations({ entity: "acme" }))).map((a) => a.name),
      };
    }),
  );
  // Byte for byte what wandb 0.30 sends for OnRunMetric(filter=RunEvent.metric("loss").avg(5)
  // .gt(1.5)) >> SendWebhook(payload={"text": "loss diverged"}).
  assert.deepEqual(r.inputs[0], {
    name: "loss-alarm",
    description: "Tell on-call when loss passes 1.5",
    enabled: true,
    scopeType: "PROJECT",
    scopeID: r.project.id,
    triggeringEventType: "RUN_METRIC",
    eventFilter:
      '{"run_filter":"{\\"$and\\":[]}","run_metric_filter":{"threshold_filter":{"name":"loss","agg_op":"AVERAGE","window_size":5,"cmp_op":"$gt","threshold":1.5}},"metric_filter":null}',
    triggeredActionType: "GENERIC_WEBHOOK",
    triggeredActionConfig: {
      genericWebhookActionInput: {
        integrationID: r.hook.id,
        requestPayload: '{"text":"loss diverged"}',
      },
    },
  });
  assert.equal(
    r.inputs[1]!.eventFilter,
    '{"run_filter":"{\\"$and\\":[{\\"display_name\\":{\\"$regex\\":\\"^sweep\\"}}]}","run_metric_filter":{"change_filter":{"name":"loss","agg_op":"AVERAGE","current_window_size":5,"change_amount":0.25,"prior_window_size":5,"change_type":"RELATIVE","change_dir":"ANY"}},"metric_filter":null}',
  );
  assert.equal(r.inputs[1]!.triggeringEventType, "RUN_METRIC_CHANGE");
  assert.deepEqual(r.created.event, {
    _tag: "RunMetricEvent",
    scope: projectScope(r.project),
    condition: {
      _tag: "MetricThreshold",
      metric: "loss",
      agg: "average",
      window: 5,
      op: ">",
      threshold: 1.5,
    },
  });
  assert.equal(
    r.changing.event._tag === "RunMetricEvent" && r.changing.event.condition._tag,
    "MetricChange",
  );
  assert.equal(r.taken._tag, "InvalidArgumentError");
  assert.match(r.taken.message, /loss-alarm exists/);
  assert.equal(r.existing.id, r.created.id);
  // An update sends the whole automation, as the official client does.
  assert.equal(r.updates[0]!.id, r.created.id);
  assert.equal(r.updates[0]!.eventFilter, r.inputs[0]!.eventFilter);
  assert.equal(r.updated.enabled, false);
  assert.equal(r.updated.description, "paused");
  assert.equal(r.reread.id, r.created.id);
  assert.equal(r.gone._tag, "NotFoundError");
  assert.equal(r.goneUpdate._tag, "NotFoundError");
  assert.deepEqual(r.left, ["failed-runs-to-slack", "loss-spike", "prod-dataset-webhook"]);
});

Deno.test("automations: a bad one is refused before any request, naming the field", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const project = {
        _tag: "ProjectScope",
        id: btoa("Project:v1:mnist:acme"),
        name: "mnist",
      } as const;
      const collection = { _tag: "ArtifactCollectionScope", id: "QXJ0", name: "c" } as const;
      const refused = (automation: unknown) =>
        Effect.flip(api.createAutomation(automation as NewAutomation));
      return {
        window: yield* refused({
          name: "w",
          event: {
            _tag: "RunMetricEvent",
            scope: project,
            condition: {
              _tag: "MetricThreshold",
              metric: "loss",
              op: ">",
              threshold: 1,
              window: 0,
            },
          },
          action: { _tag: "DoNothing" },
        }),
        nan: yield* refused({
          name: "n",
          event: {
            _tag: "RunMetricEvent",
            scope: project,
            condition: { _tag: "MetricThreshold", metric: "loss", op: ">", threshold: NaN },
          },
          action: { _tag: "DoNothing" },
        }),
        noStates: yield* refused({
          name: "s",
          event: { _tag: "RunStateEvent", scope: project, states: [] },
          action: { _tag: "DoNothing" },
        }),
        runsOnCollection: yield* refused({
          name: "c",
          event: { _tag: "RunStateEvent", scope: collection, states: ["failed"] },
          action: { _tag: "DoNothing" },
        }),
        createOnProject: yield* refused({
          name: "p",
          event: { _tag: "ArtifactEvent", on: "createArtifact", scope: project },
          action: { _tag: "DoNothing" },
        }),
        blankName: yield* refused({
          name: "  ",
          event: { _tag: "RunStateEvent", scope: project, states: ["failed"] },
          action: { _tag: "DoNothing" },
        }),
        unknownAction: yield* refused({
          name: "a",
          event: { _tag: "RunStateEvent", scope: project, states: ["failed"] },
          action: { _tag: "SendEmail", to: "x" },
        }),
        noIntegration: yield* refused({
          name: "i",
          event: { _tag: "RunStateEvent", scope: project, states: ["failed"] },
          action: { _tag: "SendNotification", integrationId: "" },
        }),
        sent: countOperation(server, "CreateAutomation"),
      };
    }),
  );
  const messages = Object.fromEntries(
    Object.entries(r).flatMap(([k, v]) =>
      typeof v === "object" ? [[k, `${v._tag}: ${v.message}`]] : []
    ),
  );
  assert.match(messages.window!, /^InvalidArgumentError: event\.condition\.window/);
  assert.match(messages.nan!, /^InvalidArgumentError: event\.condition\.threshold/);
  assert.match(messages.noStates!, /^InvalidArgumentError: event\.states/);
  assert.match(messages.runsOnCollection!, /^InvalidArgumentError: event\.scope: a run event/);
  assert.match(messages.createOnProject!, /^InvalidArgumentError: event\.scope: a createArtifact/);
  assert.match(messages.blankName!, /^InvalidArgumentError: automation\.name/);
  assert.match(messages.unknownAction!, /^InvalidArgumentError: action\._tag: one of/);
  assert.match(messages.noIntegration!, /^InvalidArgumentError: action\.integrationId/);
  assert.equal(r.sent, 0);
});

Deno.test("automations: another entity's are not to be read or changed", async () => {
  const r = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const failed = yield* api.automation("failed-runs-to-slack", "acme");
      const carol = yield* asUser(server, "carol");
      return {
        list: yield* Effect.flip(collect(carol.automations({ entity: "acme" }))),
        update: yield* Effect.flip(carol.updateAutomation(failed, { enabled: false })),
        remove: yield* Effect.flip(carol.deleteAutomation(failed)),
        create: yield* Effect.flip(carol.createAutomation({
          name: "mine-now",
          event: failed.event,
          action: { _tag: "DoNothing" },
        })),
        own: yield* collect(carol.automations()),
        still: (yield* api.automation("failed-runs-to-slack", "acme")).enabled,
      };
    }),
  );
  assert.equal(r.list._tag, "PermissionError");
  assert.equal(r.update._tag, "PermissionError");
  assert.equal(r.remove._tag, "PermissionError");
  assert.equal(r.create._tag, "PermissionError");
  assert.deepEqual(r.own, []);
  assert.equal(r.still, true);
});

Deno.test("automations on older releases: read through the project walk, refusing what they lack", async () => {
  const old = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const acme = yield* api.team("acme");
      const project = yield* api.project("mnist", "acme");
      return {
        names: (yield* collect(api.automations({ entity: "acme" }))).map((a) => a.name),
        named: (yield* api.automation("prod-dataset-webhook", "acme")).event._tag,
        onEntity: yield* Effect.flip(api.createAutomation({
          name: "team-failures",
          event: { _tag: "RunStateEvent", scope: entityScope(acme), states: ["failed"] },
          action: { _tag: "DoNothing" },
        })),
        zscore: yield* api.createAutomation({
          name: "z",
          event: {
            _tag: "RunMetricEvent",
            scope: projectScope(project),
            condition: { _tag: "MetricZScore", metric: "loss" },
          },
          action: { _tag: "DoNothing" },
        }),
        walked: countOperation(server, "GetEntityAutomationsLegacy"),
        asked: countOperation(server, "GetEntityAutomations"),
        sent: countOperation(server, "CreateAutomation"),
      };
    }),
    { server: { serverVersion: "0.81" } },
  );
  assert.deepEqual(old.names, ["failed-runs-to-slack", "loss-spike", "prod-dataset-webhook"]);
  assert.equal(old.named, "ArtifactEvent");
  assert.ok(old.walked >= 2 && old.asked === 0, `${old.walked} walks, ${old.asked} entity queries`);
  assert.equal(old.onEntity._tag, "UnsupportedByServerError");
  assert.match(old.onEntity.message, /AUTOMATION_SCOPE_ENTITY/);
  // 0.81 has z-score events (from 0.69): created, as the entity scope is not.
  assert.deepEqual(old.zscore.event._tag === "RunMetricEvent" && old.zscore.event.condition, {
    _tag: "MetricZScore",
    metric: "loss",
    window: 30,
    threshold: 3,
    direction: "any",
  });
  assert.equal(old.sent, 1);

  const oldest = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const server = yield* LocalServer;
      const raw = yield* api.artifactCollection("dataset", "acme/mnist/mnist-raw");
      const refused = yield* Effect.flip(api.createAutomation({
        name: "tagged",
        event: { _tag: "ArtifactEvent", on: "addArtifactTag", scope: collectionScope(raw) },
        action: { _tag: "DoNothing" },
      }));
      return { refused, sent: countOperation(server, "CreateAutomation") };
    }),
    { server: { serverVersion: "0.70" } },
  );
  assert.equal(oldest.refused._tag, "UnsupportedByServerError");
  assert.match(oldest.refused.message, /AUTOMATION_EVENT_ADD_ARTIFACT_TAG/);
  assert.equal(oldest.sent, 0);

  const latest = await withServer(
    Effect.gen(function* () {
      const api = yield* Api;
      const acme = yield* api.team("acme");
      const made = yield* api.createAutomation({
        name: "team-failures",
        event: { _tag: "RunStateEvent", scope: entityScope(acme), states: ["crashed", "failed"] },
        action: { _tag: "DoNothing" },
      });
      return {
        made,
        listed: (yield* collect(api.automations({ entity: "acme" }))).map((a) => a.name),
      };
    }),
  );
  assert.deepEqual(latest.made.event.scope, {
    _tag: "EntityScope",
    id: latest.made.event.scope!.id,
    name: "acme",
  });
  assert.deepEqual(latest.made.event._tag === "RunStateEvent" && latest.made.event.states, [
    "failed",
  ]);
  assert.ok(latest.listed.includes("team-failures"));
});
