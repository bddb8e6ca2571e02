/**
 * `effect-wandb watch`: watch a project's runs and send alerts to a webhook, from the command
 * line. `deno task watch acme/mnist --rules rules.json --webhook https://hooks.slack.com/…`
 * ticks every minute until Ctrl-C; `--once` ticks once (for cron). Exit codes: 0 every alert
 * delivered, 1 a tick failed or an alert could not be delivered (it stays pending for the next
 * tick), 2 bad usage (a rules file that does not check out names the rule and the field).
 *
 * @module
 */
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as Schedule from "effect/Schedule";
import * as Argument from "effect/cli/Argument";
import * as Command from "effect/cli/Command";
import * as Flag from "effect/cli/Flag";
import * as FetchHttpClient from "effect/http/FetchHttpClient";
import { Api } from "../api/api.ts";
import { apiOptionsFromEnv } from "../core/env.ts";
import { readWatchRules } from "../watch/rules.ts";
import { WatchStates } from "../watch/state.ts";
import { type WatchReport, watchTick } from "../watch/watch.ts";

/** The command line of `watch`, as `effect/cli` parses it. */
export interface WatchInput {
  readonly project: string;
  readonly rules: string;
  readonly webhook: string;
  readonly format: "slack" | "json";
  readonly state: string;
  readonly every: number;
  readonly once: boolean;
  readonly local: boolean;
}

/** The exit code of the last run of the command. */
let exitCode = 0;

/** The exit code the last `watch` command asked for: 0, 1 or 2. */
export const watchExitCode = (): number => exitCode;

const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));

const describe = (report: WatchReport) =>
  `${new Date().toISOString()} ${report.runs} run${report.runs === 1 ? "" : "s"} evaluated` +
  (report.deferred > 0 ? `, ${report.deferred} for later ticks` : "") +
  `, ${report.delivered.length} alert${report.delivered.length === 1 ? "" : "s"} delivered` +
  report.delivered.map((a) => `\n  ${a.rule}: ${a.run.path}: ${a.message}`).join("") +
  (report.failed.length === 0
    ? ""
    : `\n  ${report.failed.length} not delivered (next tick tries again): ` +
      report.failed.map((f) => `${f.alert.id}: ${f.error}`).join("; "));

/** The `watch` command of `effect/cli`. */
// deno-lint-ignore ban-types
export const watchCommand: Command.Command<"watch", WatchInput, {}, never, never> = Command.make(
  "watch",
  {
    project: Argument.String("project").pipe(
      Argument.withDescription("entity/project whose runs are watched"),
    ),
    rules: Flag.String("rules").pipe(
      Flag.withDescription(
        'a JSON file of rules, e.g. [{"name":"diverged","kind":"nonFinite","metric":"loss"}]',
      ),
    ),
    webhook: Flag.String("webhook").pipe(
      Flag.withDescription("the URL alerts are POSTed to (a Slack incoming webhook, or any)"),
    ),
    format: Flag.Literals("format", ["slack", "json"] as const).pipe(
      Flag.withDescription(
        "the alert's body: Slack's { text } or the alert as JSON (default: slack)",
      ),
      Flag.withDefault("slack" as const),
    ),
    state: Flag.String("state").pipe(
      Flag.withDescription(
        "the file that remembers what was delivered, so no alert is sent twice " +
          "(default: .watch-state.json)",
      ),
      Flag.withDefault(".watch-state.json"),
    ),
    every: Flag.Int("every").pipe(
      Flag.withDescription("seconds between ticks (default: 60)"),
      Flag.withDefault(60),
    ),
    once: Flag.Boolean("once").pipe(
      Flag.withDescription("one tick, then exit (for cron)"),
      Flag.withDefault(false),
    ),
    local: Flag.Boolean("local").pipe(
      Flag.withDescription(
        "watch the embedded local W&B server, with its four live runs in acme/live",
      ),
      Flag.withDefault(false),
    ),
  },
  (input) =>
    Effect.gen(function* () {
      exitCode = 0;
      const usage = (message: string) =>
        Effect.sync(() => {
          write(`${message}\n`);
          exitCode = 2;
        });
      if (!/^[\w.-]+\/[\w.-]+$/.test(input.project)) {
        return yield* usage(`${input.project}: a project is entity/project`);
      }
      if (!/^https?:\/\/./.test(input.webhook)) {
        return yield* usage(`--webhook: an http(s) URL, not ${JSON.stringify(input.webhook)}`);
      }
      if (input.every < 1) return yield* usage(`--every: at least 1 second, not ${input.every}`);
      const rules = yield* Effect.result(readWatchRules(input.rules));
      if (rules._tag === "Failure") return yield* usage(`--rules ${rules.failure.message}`);
      const api: Layer.Layer<Api, unknown> = input.local
        ? Layer.unwrap(
          Effect.promise(() => import("../testing/layer.ts")).pipe(
            Effect.zip(Effect.promise(() => import("../testing/runs/live.ts"))),
            Effect.map(([{ testApiLayer }, { liveRunPresets }]) =>
              testApiLayer({ server: { liveRuns: liveRunPresets } })
            ),
          ),
        )
        : Layer.unwrap(Effect.map(apiOptionsFromEnv(), (options) => Api.layer(options))).pipe(
          Layer.provide(FetchHttpClient.layer),
        );
      const tick = watchTick({
        project: input.project,
        rules: rules.success,
        webhook: { url: input.webhook, format: input.format },
      }).pipe(
        Effect.matchEffect({
          onFailure: (error) =>
            Effect.sync(() => {
              write(`${new Date().toISOString()} the tick failed: ${error.message}\n`);
              exitCode = 1;
            }),
          onSuccess: (report) =>
            Effect.sync(() => {
              console.log(describe(report));
              if (report.failed.length > 0) exitCode = 1;
            }),
        }),
      );
      const ticks = input.once
        ? tick
        : Effect.repeat(tick, Schedule.spaced(Duration.seconds(input.every)));
      yield* Effect.scoped(ticks.pipe(
        Effect.provide(Layer.mergeAll(api, WatchStates.file(input.state), FetchHttpClient.layer)),
        Effect.catch((e) =>
          Effect.sync(() => {
            const why = String(e).includes("WANDB_API_KEY")
              ? "WANDB_API_KEY is not set (or --allow-env does not name it); --local watches the embedded local server"
              : (e as { message?: string }).message ?? String(e);
            write(`Cannot start: ${why}\n`);
            exitCode = 2;
          })
        ),
      ));
    }),
).pipe(
  Command.withDescription(
    "Watch a project's runs and POST an alert to a webhook, once per run and rule, when a rule fires",
  ),
);
