/**
 * A watch over a project's runs, one tick at a time: list the runs that are running or changed
 * since the last tick, read what each logged since, evaluate the rules, and deliver each alert
 * that fired once per run and rule to a webhook (Slack-compatible or generic JSON). What fired is
 * saved as pending before the runs' cursors move, and marked delivered only once the webhook
 * took it: a tick killed mid-delivery leaves the alert for the next tick, never loses it. The
 * receiver may see an alert twice then, with the same `Idempotency-Key`.
 *
 * @module
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Schedule from "effect/Schedule";
import * as Stream from "effect/Stream";
import * as HttpClient from "effect/http/HttpClient";
import * as HttpClientRequest from "effect/http/HttpClientRequest";
import { Api } from "../api/api.ts";
import type { WandbError } from "../core/errors.ts";
import { and, or, runField, type RunFilter } from "../core/filters.ts";
import type { HistoryRow } from "../history/queries.ts";
import type { Run } from "../runs/decoders.ts";
import { type Alert, evaluateRun } from "./evaluate.ts";
import type { WatchRule } from "./rules.ts";
import { type WatchChanges, type WatchState, type WatchStateError, WatchStates } from "./state.ts";

/** Where and how alerts are delivered. */
export interface Webhook {
  /** The URL POSTed to. */
  readonly url: string;
  /**
   * `"slack"`: `{ "text": … }`, what a Slack incoming webhook takes; `"json"`: the alert as it is.
   * @default {"slack"}
   */
  readonly format?: "slack" | "json" | undefined;
}

/** Options of {@link watchTick}. */
export interface WatchOptions {
  /** `entity/project`. */
  readonly project: string;
  /** What fires an alert. */
  readonly rules: ReadonlyArray<WatchRule>;
  /** Where alerts go. */
  readonly webhook: Webhook;
  /** Only runs matching this filter are watched. */
  readonly filters?: RunFilter | undefined;
  /**
   * At most this many runs are evaluated per tick (a bounded slice of work, as a cron job
   * needs); the others are evaluated by the next ticks.
   * @default {50}
   */
  readonly maxRunsPerTick?: number | undefined;
  /**
   * At most this many history rows are read per run per tick; the rest by the next ticks.
   * @default {10000}
   */
  readonly maxRowsPerRun?: number | undefined;
  /**
   * How far back the first tick looks for runs that ended (a run that crashed an hour ago is
   * news to a watch started now; one that crashed last month is not).
   * @default {"1 hour"}
   */
  readonly lookback?: Duration.Input | undefined;
}

/** What a tick did. */
export interface WatchReport {
  /** Runs evaluated. */
  readonly runs: number;
  /** Runs left for the next ticks. */
  readonly deferred: number;
  /** Alerts delivered by this tick (including those an earlier tick left pending). */
  readonly delivered: ReadonlyArray<Alert>;
  /** Alerts whose delivery failed: pending, tried again next tick. */
  readonly failed: ReadonlyArray<{ readonly alert: Alert; readonly error: string }>;
}

/** How far back each tick reaches past the last: clocks of client and server differ. */
const overlapMillis = 60_000;

const printable = (value: unknown) =>
  JSON.stringify(value, (_key, v) => typeof v === "bigint" ? String(v) : v);

/**
 * The body a webhook receives for an alert.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { alertBody } from "@effect-wandb/api/watch";
 * const alert = {
 *   id: "acme/mnist/abc#nan", rule: "nan", kind: "nonFinite" as const,
 *   run: { path: "acme/mnist/abc", name: "brisk-sun-1", state: "running", url: "https://wandb.ai/acme/mnist/runs/abc" },
 *   values: { step: 31, loss: "NaN" }, firedAt: "2026-12-06T00:00:00.000Z", message: "loss is NaN at step 31",
 * };
 * assert.match(JSON.parse(alertBody(alert, "slack")).text, /nan/);
 * ```
 */
export function alertBody(alert: Alert, format: "slack" | "json"): string {
  return format === "json" ? printable(alert) : printable({
    text:
      `:rotating_light: *${alert.rule}* on <${alert.run.url}|${alert.run.path}> (${alert.run.name}, ${alert.run.state}): ${alert.message}`,
  });
}

/** POSTs one alert; a 2xx answer is delivery. Retried twice, quickly: the next tick retries on. */
const deliver = (client: HttpClient.HttpClient, webhook: Webhook, alert: Alert) =>
  client.execute(
    HttpClientRequest.post(webhook.url).pipe(
      HttpClientRequest.setHeader("idempotency-key", alert.id),
      HttpClientRequest.bodyText(alertBody(alert, webhook.format ?? "slack"), "application/json"),
    ),
  ).pipe(
    Effect.flatMap((response) =>
      response.status >= 200 && response.status < 300
        ? Effect.void
        : Effect.fail(new Error(`the webhook answered HTTP ${response.status}`))
    ),
    Effect.timeout("10 seconds"),
    Effect.retry({ times: 2, schedule: Schedule.exponential("200 millis") }),
    Effect.mapError((e) => e instanceof Error ? e.message : String(e)),
  );

/**
 * One tick of a watch: evaluates the project's running and recently changed runs and delivers
 * what fired, once per run and rule. Run it on a schedule ({@link watch}), from a cron job, or
 * once (`deno task watch … --once`).
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect";
 * import { FetchHttpClient } from "effect/http";
 * import { Api } from "@effect-wandb/api";
 * import { watchTick, WatchStates } from "@effect-wandb/api/watch";
 * const tick = watchTick({
 *   project: "acme/mnist",
 *   rules: [{ name: "diverged", kind: "nonFinite", metric: "loss" }],
 *   webhook: { url: "https://hooks.slack.com/services/…" },
 * }).pipe(
 *   Effect.provide(Layer.mergeAll(WatchStates.file(".watch.json"), FetchHttpClient.layer)),
 * );
 * ```
 */
export function watchTick(
  options: WatchOptions,
): Effect.Effect<
  WatchReport,
  WandbError | WatchStateError,
  Api | WatchStates | HttpClient.HttpClient
> {
  return Effect.gen(function* () {
    const api = yield* Api;
    const states = yield* WatchStates;
    const http = yield* HttpClient.HttpClient;
    const now = yield* Clock.currentTimeMillis;
    let state: WatchState = yield* states.load;
    const save = (next: WatchState, changes: Partial<WatchChanges>) =>
      Effect.tap(
        states.save(next, {
          runs: changes.runs ?? [],
          delivered: changes.delivered ?? [],
          pending: changes.pending ?? [],
        }),
        () => Effect.sync(() => (state = next)),
      );

    // The runs to look at: running, or changed since the last tick; and those running then.
    const list = (filters: RunFilter) =>
      Stream.runCollect(api.runs(options.project, {
        filters: options.filters === undefined ? filters : and(options.filters, filters),
        perPage: 100,
      }));
    const mark = state.mark ??
      new Date(now - Duration.toMillis(Duration.fromInputUnsafe(options.lookback ?? "1 hour")))
        .toISOString();
    const seen = new Map<string, Run>();
    for (
      const run of yield* list(or(
        runField.state.eq("running"),
        runField.createdAt.gte(mark),
        runField.heartbeatAt.gte(mark),
      ))
    ) seen.set(run.path, run);
    const gone = Object.entries(state.runs)
      .filter(([path, r]) => r.state === "running" && !seen.has(path))
      .map(([path]) => path.split("/")[2]!);
    for (let i = 0; i < gone.length; i += 50) {
      for (const run of yield* list(runField.name.in(gone.slice(i, i + 50)))) {
        seen.set(run.path, run);
      }
    }
    const maxRuns = options.maxRunsPerTick ?? 50;
    const candidates = [...seen.values()];
    const slice = candidates.slice(0, maxRuns);
    const metricRules = options.rules.some((r) =>
      r.kind === "nonFinite" || r.kind === "above" || r.kind === "below"
    );

    // Evaluate: what fired goes to pending with the runs' new cursors, in one save.
    const runs: Record<string, WatchState["runs"][string]> = { ...state.runs };
    const pending: Record<string, Alert> = { ...state.pending };
    const changedRuns: Array<string> = [];
    const changedPending: Array<string> = [];
    const evaluated = yield* Effect.forEach(slice, (run) =>
      Effect.gen(function* () {
        const prior = state.runs[run.path];
        const rows: ReadonlyArray<HistoryRow> = metricRules
          ? yield* Stream.runCollect(
            api.scanHistory(run, { minStep: (prior?.lastStep ?? -1) + 1, mode: "graphql" }).pipe(
              Stream.take(options.maxRowsPerRun ?? 10_000),
            ),
          )
          : [];
        const url = yield* api.runUrl(run);
        return { run, url, evaluation: evaluateRun(options.rules, run, rows, prior, now) };
      }), { concurrency: 4 });
    for (const { run, url, evaluation } of evaluated) {
      runs[run.path] = evaluation.next;
      changedRuns.push(run.path);
      for (const f of evaluation.fired) {
        const id = `${run.path}#${f.rule}`;
        if (state.delivered[id] !== undefined || pending[id] !== undefined) continue;
        pending[id] = {
          ...f,
          id,
          run: { path: run.path, name: run.name, state: run.state, url },
          firedAt: new Date(now).toISOString(),
        };
        changedPending.push(id);
      }
    }
    const deferred = candidates.length - slice.length;
    yield* save({
      // With runs deferred, the mark stays: the next tick lists them again.
      mark: deferred > 0 ? state.mark : new Date(now - overlapMillis).toISOString(),
      runs,
      delivered: state.delivered,
      pending,
    }, { runs: changedRuns, pending: changedPending });

    // Deliver every pending alert (this tick's and any an earlier tick left), one by one, each
    // marked delivered as soon as the webhook has taken it.
    const delivered: Array<Alert> = [];
    const failed: Array<{ alert: Alert; error: string }> = [];
    for (const alert of Object.values(state.pending)) {
      const outcome = yield* Effect.result(deliver(http, options.webhook, alert));
      if (outcome._tag === "Failure") {
        failed.push({ alert, error: outcome.failure });
        continue;
      }
      const { [alert.id]: _done, ...rest } = state.pending;
      yield* save({
        ...state,
        pending: rest,
        delivered: { ...state.delivered, [alert.id]: new Date(now).toISOString() },
      }, { delivered: [alert.id], pending: [alert.id] });
      delivered.push(alert);
    }
    return { runs: slice.length, deferred, delivered, failed };
  });
}

/**
 * A watch: {@link watchTick} on `schedule`, each tick's report (or failure) handed to `onTick`,
 * until the schedule ends or the watch is interrupted. A tick that fails (W&B unreachable, say)
 * does not stop the watch: the next tick tries again.
 *
 * @example
 * ```ts
 * import { Effect, Schedule } from "effect";
 * import { watch } from "@effect-wandb/api/watch";
 * const forever = watch({
 *   project: "acme/mnist",
 *   rules: [{ name: "stalled", kind: "noHeartbeat", for: "15 minutes" }],
 *   webhook: { url: "https://hooks.example.com/wandb", format: "json" },
 * }, { schedule: Schedule.spaced("1 minute"), onTick: (report) => Effect.log(report) });
 * ```
 */
export function watch(
  options: WatchOptions,
  run?: {
    /** When to tick again. @default {Schedule.spaced("1 minute")} */
    readonly schedule?: Schedule.Schedule<unknown, unknown> | undefined;
    /** Told of each tick: its report, or why it failed. */
    readonly onTick?:
      | ((outcome: WatchReport | WandbError | WatchStateError) => Effect.Effect<void>)
      | undefined;
  },
): Effect.Effect<void, never, Api | WatchStates | HttpClient.HttpClient> {
  const tick = watchTick(options).pipe(
    Effect.matchEffect({
      onFailure: (error) => run?.onTick?.(error) ?? Effect.void,
      onSuccess: (report) => run?.onTick?.(report) ?? Effect.void,
    }),
  );
  return Effect.asVoid(Effect.repeat(tick, run?.schedule ?? Schedule.spaced("1 minute")));
}
