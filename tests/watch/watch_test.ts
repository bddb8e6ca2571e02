// The watch, end to end on the local server: live runs misbehave (a loss turns NaN, a run stops
// heartbeating, a run crashes), ticks evaluate the rules, and a recording webhook receives
// exactly three alerts across the ticks, one per run and rule, including a tick killed while
// the webhook was taking an alert (delivered again by the next tick, with the same key).
import assert from "node:assert/strict";
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../../mod.ts";
import { LocalServer, testApiLayer } from "../../lib/testing/mod.ts";
import { decodeWatchRules, type WatchReport, WatchStates, watchTick } from "../../lib/watch/mod.ts";

/** A webhook on 127.0.0.1 that records what it is sent, and can hold its answers. */
function recordingWebhook() {
  const received: Array<{ key: string | null; body: Record<string, unknown> }> = [];
  let hold: Promise<void> | undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push({ key: req.headers.get("idempotency-key"), body: await req.json() });
    if (hold !== undefined) await hold;
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook`,
    received,
    holdAnswers: () => {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = undefined;
        release();
      };
    },
    close: () => server.shutdown(),
  };
}

Deno.test("watch: three misbehaving runs, three alerts, once each, across ticks and a killed one", async () => {
  const hook = recordingWebhook();
  const dir = await Deno.makeTempDir();
  try {
    const rules = await Effect.runPromise(decodeWatchRules([
      { name: "diverged", kind: "nonFinite", metric: "loss" },
      { name: "stalled", kind: "noHeartbeat", for: "800 millis" },
      { name: "died", kind: "state", states: ["crashed", "failed"] },
    ]));
    const reports = await Effect.runPromise(
      Effect.scoped(Effect.gen(function* () {
        const server = yield* LocalServer;
        yield* Api;
        const tick = watchTick({
          project: "acme/live",
          rules,
          webhook: { url: hook.url, format: "json" },
        });
        const reports: Array<WatchReport | string> = [];
        // Before anything misbehaves: a healthy run, and a tick that finds nothing.
        server.startLiveRun({ name: "healthy", steps: 1000, everyMs: 40 });
        reports.push(yield* tick);
        server.startLiveRun({
          name: "diverging",
          steps: 1000,
          everyMs: 40,
          row: (step) => ({ loss: step >= 4 ? NaN : 1 / (step + 1) }),
        });
        server.startLiveRun({ name: "staller", steps: 3, everyMs: 40, end: "stall" });
        server.startLiveRun({ name: "crasher", steps: 4, everyMs: 40, end: "crashed" });
        yield* Effect.sleep("350 millis");
        // A tick killed while the webhook holds its answer to the first alert.
        const release = hook.holdAnswers();
        const killed = yield* Effect.exit(Effect.timeout(tick, "300 millis"));
        reports.push(killed._tag === "Success" ? "not killed" : "killed");
        release();
        for (let i = 0; i < 6; i++) {
          yield* Effect.sleep("200 millis");
          reports.push(yield* tick);
        }
        for (const live of server.liveRuns) live.stop();
        return reports;
      })).pipe(
        Effect.provide(
          Layer.mergeAll(
            testApiLayer(),
            WatchStates.file(`${dir}/watch.json`),
            FetchHttpClient.layer,
          ),
        ),
      ),
    );
    const ids = hook.received.map((r) => r.key);
    const distinct = [...new Set(ids)].sort();
    assert.deepEqual(distinct, [
      "acme/live/crasher#died",
      "acme/live/diverging#diverged",
      "acme/live/staller#stalled",
    ]);
    assert.equal(reports[1], "killed");
    // The alert the killed tick was delivering came again, with the same key; no other did.
    assert.equal(ids.length, 4, ids.join(", "));
    const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
    assert.equal(ids.filter((id) => id === repeated).length, 2);
    // Later ticks find nothing new to say.
    const last = reports.at(-1) as WatchReport;
    assert.equal(last.delivered.length, 0);
    assert.equal(last.failed.length, 0);
    const diverged = hook.received.find((r) => r.key === "acme/live/diverging#diverged")!.body;
    assert.equal((diverged.values as Record<string, unknown>).loss, "NaN");
    assert.equal((diverged.values as Record<string, unknown>).step, 4);
    assert.match((diverged.run as { url: string }).url, /\/acme\/live\/runs\/diverging$/);
  } finally {
    await hook.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a webhook that refuses: the alert stays pending and is delivered by a later tick", async () => {
  let refuse = true;
  const got: Array<string> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json() as { text: string };
    if (refuse) return new Response("down", { status: 503 });
    got.push(body.text);
    return new Response("ok");
  });
  const dir = await Deno.makeTempDir();
  try {
    const [first, second, third] = await Effect.runPromise(
      Effect.scoped(Effect.gen(function* () {
        const live = yield* LocalServer;
        const run = live.startLiveRun({ name: "crash2", steps: 2, everyMs: 10, end: "crashed" });
        yield* Effect.promise(() => run.done);
        const tick = watchTick({
          project: "acme/live",
          rules: [{ name: "died", kind: "state", states: ["crashed"] }],
          webhook: { url: `http://127.0.0.1:${server.addr.port}/` },
        });
        const first = yield* tick;
        refuse = false;
        const second = yield* tick;
        const third = yield* tick;
        return [first, second, third];
      })).pipe(
        Effect.provide(
          Layer.mergeAll(testApiLayer(), WatchStates.file(`${dir}/w.json`), FetchHttpClient.layer),
        ),
      ),
    );
    assert.equal(first!.failed.length, 1);
    assert.match(first!.failed[0]!.error, /HTTP 503/);
    assert.equal(second!.delivered.length, 1);
    assert.equal(third!.delivered.length, 0);
    // Slack's shape: one text line naming the rule and linking the run.
    assert.equal(got.length, 1);
    assert.match(
      got[0]!,
      /\*died\* on <http:\/\/127\.0\.0\.1:\d+\/acme\/live\/runs\/crash2\|acme\/live\/crash2>/,
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
