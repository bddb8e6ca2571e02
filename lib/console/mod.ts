/**
 * Console logs: what a run's process wrote to stdout and stderr, line by line (Python's
 * `run.console_logs()`), read from its start or as its last lines.
 *
 * Everything here is also reachable through the `Api` (its `ConsoleApi` slice); import this entry
 * for the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { ConsoleApi } from "@effect-wandb/api/console";
 * type Methods = keyof ConsoleApi;
 * ```
 *
 * @module
 */
export { type ConsoleApi, consoleApi } from "./api.ts";
export { type ConsoleLogLine, consoleLogs, type ConsoleLogsOptions } from "./operations.ts";
export {
  type ConsoleLogData,
  consoleLogPageQuery,
  consoleLogTailQuery,
  type LogLineData,
} from "./queries.ts";
