/**
 * Watching a project's runs from outside the training scripts: rules as data (a metric
 * non-finite, above or below a threshold for N steps, no heartbeat for T, a crashed or failed
 * state, running longer than T), evaluated over the running and recently changed runs each tick,
 * each alert delivered once per run and rule to a webhook (Slack-compatible or JSON), with what
 * was delivered kept in a file or Deno KV. As a library call, `deno task watch`, or a Deno Deploy
 * cron job (`examples/watch_cron.ts`).
 *
 * @example One tick against a project
 * ```ts
 * import { Effect, Layer } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { watchTick, WatchStates } from "@effect-wandb/api/watch";
 * const tick = watchTick({
 *   project: "acme/mnist",
 *   rules: [{ name: "diverged", kind: "nonFinite", metric: "loss" }],
 *   webhook: { url: "https://hooks.example.com/wandb", format: "json" },
 * }).pipe(Effect.provide(Layer.mergeAll(WatchStates.file(".watch.json"), FetchHttpClient.layer)));
 * ```
 *
 * @module
 */
export { type Alert, evaluateRun, type Evaluation } from "./evaluate.ts";
export { decodeWatchRules, readWatchRules, type WatchRule } from "./rules.ts";
export {
  emptyWatchState,
  type WatchChanges,
  type WatchedRun,
  type WatchState,
  WatchStateError,
  WatchStates,
  type WatchStateStore,
} from "./state.ts";
export {
  alertBody,
  watch,
  type WatchOptions,
  type WatchReport,
  watchTick,
  type Webhook,
} from "./watch.ts";
