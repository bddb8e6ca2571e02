// Traces: each request a span naming its operation, entity, project, page and retries (never
// the key), collected here by an in-memory tracer, and exported over OTLP by effect/observability
// to a collector that records what it receives.
import assert from "node:assert/strict";
import { ConfigProvider, Effect, Layer, Schedule, Stream, Tracer } from "effect";
import { FetchHttpClient } from "effect/http";
import { OtlpSerialization, OtlpTracer } from "effect/observability";
import { Api } from "../../mod.ts";
import { LocalServer } from "../../lib/testing/mod.ts";
import { withServer } from "./_harness.ts";

const fastRetries = {
  api: { retrySchedule: Schedule.max([Schedule.spaced("5 millis"), Schedule.recurs(3)]) },
};

Deno.test("each request is a span with its operation, entity, project, page and retries", async () => {
  const spans: Array<Tracer.NativeSpan> = [];
  const tracer = Tracer.make({
    span: (options) => {
      const span = new Tracer.NativeSpan(options);
      spans.push(span);
      return span;
    },
  });
  const apiKey = await withServer(
    Effect.gen(function* () {
      const server = yield* LocalServer;
      const api = yield* Api;
      // The second page's first attempt fails: its span says one retry.
      server.injectFaults({ status: 500, operationName: "Runs" });
      yield* Stream.runDrain(api.runs("acme/mnist", { perPage: 10 }));
      yield* api.run(`acme/mnist/${server.seed.runs.find((r) => r.project === "mnist")!.name}`);
      return server.apiKey;
    }).pipe(Effect.withTracer(tracer)),
    fastRetries,
  );
  const attributes = (span: Tracer.NativeSpan) => Object.fromEntries(span.attributes);
  const pages = spans.filter((s) => s.name === "wandb.graphql Runs").map(attributes);
  assert.deepEqual(
    pages.map((a) => [a["wandb.page"], a["wandb.entity"], a["wandb.project"], a["operation"]]),
    [[0, "acme", "mnist", "Runs"], [1, "acme", "mnist", "Runs"], [2, "acme", "mnist", "Runs"]],
  );
  assert.deepEqual(pages.map((a) => a["wandb.retries"]), [1, 0, 0]);
  const run = spans.find((s) => s.name === "wandb.graphql Run")!;
  assert.equal(attributes(run)["wandb.run"]?.toString().length, 8);
  assert.ok(spans.some((s) => s.name === "Api.run"));
  const everything = JSON.stringify(spans.map((s) => [s.name, [...s.attributes]]));
  assert.ok(!everything.includes(apiKey) && !everything.includes(btoa(`api:${apiKey}`)));
});

Deno.test("spans export over OTLP (effect/observability) to a collector", async () => {
  const received: Array<unknown> = [];
  const collector = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      received.push({ path: new URL(request.url).pathname, body: await request.json() });
      return new Response("{}", { headers: { "content-type": "application/json" } });
    },
  );
  try {
    const otlp = OtlpTracer.layer({
      url: `http://127.0.0.1:${collector.addr.port}/v1/traces`,
      resource: { serviceName: "wandb-export" },
    }).pipe(
      Layer.provide(OtlpSerialization.layerJson),
      Layer.provide(FetchHttpClient.layer),
      // The exporter reads OTEL_* settings from the ConfigProvider; Effect's default one reads
      // the whole environment, which a scoped --allow-env refuses: give it the variables.
      Layer.provide(
        Layer.succeed(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: {} })),
      ),
    );
    await withServer(
      Effect.gen(function* () {
        const api = yield* Api;
        yield* api.viewer;
      }).pipe(Effect.provide(otlp)),
    );
    // The exporter flushes when its layer closes, which the provide above did.
    const text = JSON.stringify(received);
    assert.ok(received.length > 0, "the collector received nothing");
    assert.ok(text.includes("/v1/traces"));
    assert.ok(
      text.includes("wandb.graphql GetViewer") && text.includes("Api.viewer"),
      text.slice(0, 300),
    );
    assert.ok(text.includes("wandb-export"));
  } finally {
    await collector.shutdown();
  }
});
