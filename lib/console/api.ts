/**
 * The console logs' slice of the `Api`: a run's captured stdout and stderr.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce, type RunRef } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { ConsoleLogLine, ConsoleLogsOptions } from "./operations.ts";

/** The console logs' methods of the `Api`. */
export interface ConsoleApi {
  /**
   * A run's console log in line order (Python's `run.console_logs(per_page, last)`): from its
   * start, or its `last` lines.
   */
  consoleLogs(
    run: RunRef,
    options?: ConsoleLogsOptions,
  ): Stream.Stream<ConsoleLogLine, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));

/** Builds the console logs' slice. */
export function consoleApi(context: ApiContext): ConsoleApi {
  const { client, paths } = context;
  return {
    consoleLogs: (run, options) =>
      Stream.unwrap(
        Effect.map(
          Effect.zip(paths.run(run), operations),
          ([path, m]) => m.consoleLogs(client, path, options),
        ),
      ),
  };
}
