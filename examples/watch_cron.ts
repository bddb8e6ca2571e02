/**
 * A scheduled W&B watch on Deno Deploy: every 5 minutes, a project's running and recently
 * changed runs are checked against rules, and each alert is POSTed once to a webhook (Slack's
 * incoming webhooks take the default body), with what was delivered kept in Deno KV.
 *
 * Written for today's Deno Deploy, as `deploy_cron.ts` is:
 * - The cron is registered at module top level, with an explicit `backoffSchedule` for a tick
 *   that throws (W&B or the webhook down): tried again after 1 minute, then 3.
 * - A tick does a bounded slice (`maxRunsPerTick` runs, `maxRowsPerRun` rows each); the next goes
 *   on. What fired is saved as pending before the runs' cursors move, and marked delivered only
 *   once the webhook took it: a tick evicted mid-delivery leaves the alert to the next tick (which
 *   sends it with the same `Idempotency-Key`), never loses it.
 * - Branch timelines run crons too, each with its own KV: only an environment with
 *   `WANDB_WATCH_ENABLED=true` (set on the production timeline only) sends alerts.
 *
 * Rules come from `WANDB_WATCH_RULES` (JSON), or these defaults: a loss that is not finite, a run
 * silent for 15 minutes, a run that crashed or failed.
 *
 * Locally, against the seeded local server and its live runs (no key needed), one tick now:
 *
 *     WANDB_WATCH_ENABLED=true WANDB_WATCH_WEBHOOK=http://127.0.0.1:8787/hook \
 *       WANDB_WATCH_KV_PATH=watch/kv.sqlite \
 *       deno run --unstable-kv --unstable-cron --allow-net=127.0.0.1 --allow-read --allow-write=./watch \
 *       --allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_WATCH_ENABLED,WANDB_WATCH_PROJECT,WANDB_WATCH_RULES,WANDB_WATCH_WEBHOOK,WANDB_WATCH_KV_PATH \
 *       examples/watch_cron.ts --once
 */
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";
import { decodeWatchRules, WatchStates, watchTick } from "../lib/watch/mod.ts";

const env = (name: string): string | undefined => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
};

const enabled = env("WANDB_WATCH_ENABLED") === "true";
const apiKey = env("WANDB_API_KEY");
const project = env("WANDB_WATCH_PROJECT") ?? (apiKey === undefined ? "acme/live" : "acme/mnist");
const webhook = env("WANDB_WATCH_WEBHOOK");
const rulesText = env("WANDB_WATCH_RULES") ??
  JSON.stringify([
    { name: "diverged", kind: "nonFinite", metric: "loss" },
    { name: "stalled", kind: "noHeartbeat", for: "15 minutes" },
    { name: "died", kind: "state", states: ["crashed", "failed"] },
  ]);

/** W&B when a key is set, else the seeded local server with its live runs (loaded only then). */
const apiLayer = (): Layer.Layer<Api, unknown> =>
  apiKey === undefined
    ? Layer.unwrap(
      Effect.promise(() => import("../lib/testing/mod.ts")).pipe(
        Effect.map(({ testApiLayer, liveRunPresets }) =>
          testApiLayer({ server: { liveRuns: liveRunPresets } })
        ),
      ),
    )
    : Api.layer({ apiKey, baseUrl: env("WANDB_BASE_URL") }).pipe(
      Layer.provide(FetchHttpClient.layer),
    );

/** One tick: a bounded slice of the project's runs, each alert delivered once. */
async function tick(): Promise<void> {
  if (!enabled || webhook === undefined) {
    console.log("WANDB_WATCH_ENABLED is not true or no WANDB_WATCH_WEBHOOK here: nothing watched");
    return;
  }
  const rules = await Effect.runPromise(decodeWatchRules(JSON.parse(rulesText)));
  const kvPath = env("WANDB_WATCH_KV_PATH");
  const kvDir = kvPath?.includes("/") ? kvPath.slice(0, kvPath.lastIndexOf("/")) : undefined;
  if (kvDir !== undefined && kvDir !== "") await Deno.mkdir(kvDir, { recursive: true });
  const kv = await Deno.openKv(kvPath);
  try {
    const report = await Effect.runPromise(Effect.scoped(
      watchTick({
        project,
        rules,
        webhook: { url: webhook },
        maxRunsPerTick: 50,
        maxRowsPerRun: 20_000,
      }).pipe(
        Effect.provide(
          Layer.mergeAll(
            apiLayer(),
            WatchStates.kv(kv, ["effect-wandb-watch", project]),
            FetchHttpClient.layer,
          ),
        ),
      ),
    ));
    console.log(
      `watched ${report.runs} runs, ${report.delivered.length} alerts delivered` +
        (report.failed.length > 0 ? `, ${report.failed.length} pending for the next tick` : ""),
    );
    // A delivery that failed makes the tick throw: Deploy's backoff tries again soon.
    if (report.failed.length > 0) throw new Error(report.failed[0]!.error);
  } finally {
    kv.close();
  }
}

if (Deno.args.includes("--once")) {
  await tick();
} else {
  Deno.cron("effect-wandb watch", "*/5 * * * *", { backoffSchedule: [60_000, 180_000] }, tick);
}
