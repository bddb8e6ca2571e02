/**
 * Sampled history (Python's `run.history`): one request, at most `samples` rows spread over the
 * whole run, of its logged metrics or of its system metrics.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import { InvalidArgumentError, type WandbError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { runOf } from "./formats.ts";
import {
  type HistoryRow,
  parseHistoryRows,
  runEventsQuery,
  runFullHistoryQuery,
  runSampledHistoryQuery,
} from "./queries.ts";

const invalid = (argument: string, value: unknown, message: string) =>
  new InvalidArgumentError({ argument, value, message });

/** The sample size, checked. */
const checkSamples = (samples: number) =>
  Number.isInteger(samples) && samples >= 1 ? Effect.void : Effect.fail(
    invalid("samples", samples, `The samples must be an integer >= 1: current value is ${samples}`),
  );

/** Options of {@link history}. */
export interface HistoryOptions {
  /**
   * How many rows to sample. Required: W&B silently samples 500 rows by default, which surprises
   * everyone (wandb/wandb#1783); here the count is always explicit.
   */
  readonly samples: number;
  /** Only rows holding every key (plus the x axis), with only those keys. */
  readonly keys?: ReadonlyArray<string> | undefined;
  /**
   * The x-axis key added to `keys`.
   * @default {"_step"}
   */
  readonly xAxis?: string | undefined;
  /**
   * `"default"` for logged metrics, `"system"` for system metrics (`events`).
   * @default {"default"}
   */
  readonly stream?: "default" | "system" | undefined;
}

/**
 * A sample of a run's history (Python's `run.history(samples, keys, x_axis, stream)`): one
 * request, at most `samples` rows spread over the whole run, in step order.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { history } from "@effect-wandb/api/history";
 * const sample = (client: WandbClient) =>
 *   history(client, { entity: "acme", project: "mnist", runId: "abc" }, { samples: 100, keys: ["loss"] });
 * ```
 */
export function history(
  client: WandbClient,
  path: RunPath,
  options: HistoryOptions,
): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError> {
  return Effect.gen(function* () {
    yield* checkSamples(options.samples);
    const stream = options.stream ?? "default";
    if (stream === "system") {
      if (options.keys !== undefined) {
        return yield* Effect.fail(
          invalid("keys", options.keys, "System metrics cannot be selected by keys"),
        );
      }
      return yield* client.execute(runEventsQuery(path, options.samples)).pipe(
        Effect.flatMap(runOf("RunFullHistory", path)),
        Effect.flatMap((run) =>
          parseHistoryRows("RunFullHistory", "project.run.events", run.events)
        ),
      );
    }
    if (options.keys !== undefined) {
      const xAxis = options.xAxis ?? "_step";
      const keys = [xAxis, ...options.keys.filter((k) => k !== xAxis)];
      return yield* client.execute(
        runSampledHistoryQuery(path, [{ keys, samples: options.samples }]),
      ).pipe(
        Effect.flatMap(runOf("RunSampledHistory", path)),
        Effect.flatMap((run) =>
          parseHistoryRows(
            "RunSampledHistory",
            "project.run.sampledHistory.0",
            run.sampledHistory[0] ?? [],
          )
        ),
      );
    }
    return yield* client.execute(runFullHistoryQuery(path, options.samples)).pipe(
      Effect.flatMap(runOf("RunFullHistory", path)),
      Effect.flatMap((run) =>
        parseHistoryRows("RunFullHistory", "project.run.history", run.history)
      ),
    );
  });
}

/**
 * A sample of a run's system metrics (CPU, memory, GPU…): `history` on the system stream.
 *
 * @example
 * ```ts
 * import { type WandbClient } from "@effect-wandb/api/graphql";
 * import { systemMetrics } from "@effect-wandb/api/history";
 * const sample = (client: WandbClient) =>
 *   systemMetrics(client, { entity: "acme", project: "mnist", runId: "abc" }, { samples: 100 });
 * ```
 */
export function systemMetrics(
  client: WandbClient,
  path: RunPath,
  options: { readonly samples: number },
): Effect.Effect<ReadonlyArray<HistoryRow>, WandbError> {
  return history(client, path, { samples: options.samples, stream: "system" });
}
