/**
 * A run's console log (Python's `run.console_logs(per_page, last)`): what the run's process
 * wrote to stdout and stderr, line by line, as a Stream in line order.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { requireFeature } from "../core/capabilities.ts";
import type { InvalidArgumentError, NotFoundError, RequestError } from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import type { RunPath } from "../core/paths.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import { runNotFound } from "../core/_not_found.ts";
import type { WandbClient } from "../core/transport.ts";
import {
  type ConsoleLogData,
  consoleLogPageQuery,
  consoleLogTailQuery,
  type LogLineData,
} from "./queries.ts";

/** A line of a run's console log (Python's `ConsoleLogLine`). */
export interface ConsoleLogLine {
  /** Its position in the log, from 0. */
  readonly number: number;
  /** When it was captured (ISO 8601, UTC), or `null` when the server has no time for it. */
  readonly timestamp: string | null;
  /** `"error"` for a line written to stderr, `""` otherwise. */
  readonly level: string;
  /** The writing process's label in a shared run (`x_label`), `""` for a single writer. */
  readonly label: string;
  /** The text of the line. */
  readonly content: string;
}

/** Options of {@link consoleLogs}. */
export interface ConsoleLogsOptions {
  /**
   * Only the last `last` lines, in one request: a cheap look at a live run or a crash. The
   * server caps how many one request returns (a larger tail comes back as its newest lines).
   * Works on every W&B Server release; reading from the start needs 0.77 or later.
   */
  readonly last?: number | undefined;
  /**
   * Lines per request when reading from the start.
   * @default {1000}
   */
  readonly perPage?: number | undefined;
}

const toLine = (l: LogLineData): ConsoleLogLine => ({
  number: l.number,
  timestamp: l.timestamp,
  level: l.level ?? "",
  label: l.label ?? "",
  content: l.line,
});

const linesOf = (
  run: RunPath,
  operation: string,
  data: ConsoleLogData,
): Effect.Effect<NonNullable<NonNullable<ConsoleLogData["project"]>["run"]>, NotFoundError> => {
  const found = data.project?.run ?? null;
  return found === null ? Effect.fail(runNotFound(operation, run)) : Effect.succeed(found);
};

/**
 * A run's console log in line order: from the start in pages of `perPage`, or its `last` lines.
 * Reading from the start on a W&B Server older than 0.77 fails with an
 * `UnsupportedByServerError` (`STRUCTURED_CONSOLE_LOGS`); its last lines can still be read.
 *
 * @example The last lines of a run that crashed
 * ```ts
 * import { Stream } from "effect";
 * import { consoleLogs } from "@effect-wandb/api/console";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const tail = (client: WandbClient) =>
 *   consoleLogs(client, { entity: "acme", project: "mnist", runId: "abc123" }, { last: 20 }).pipe(
 *     Stream.map((line) => `${line.level === "error" ? "!" : " "} ${line.content}`),
 *   );
 * ```
 */
export function consoleLogs(
  client: WandbClient,
  run: RunPath,
  options?: ConsoleLogsOptions,
): Stream.Stream<ConsoleLogLine, RequestError | NotFoundError | InvalidArgumentError> {
  const last = options?.last;
  if (last !== undefined) {
    return checkedStream(
      positiveInteger("last", last),
      Stream.fromIterableEffect(
        client.execute(consoleLogTailQuery(run, last)).pipe(
          Effect.flatMap((data) => linesOf(run, "RunConsoleLogTail", data)),
          Effect.map((found) => (found.logLines?.edges ?? []).map((e) => toLine(e.node))),
        ),
      ),
    );
  }
  const perPage = options?.perPage ?? 1000;
  return checkedStream(
    positiveInteger("perPage", perPage),
    Stream.unwrap(
      requireFeature(
        client.capabilities,
        "STRUCTURED_CONSOLE_LOGS",
        "RunConsoleLogPage",
        "Reading a console log from its start (ask for its `last` lines instead)",
      ).pipe(Effect.as(paginate({
        operation: "RunConsoleLogPage",
        fetchPage: (cursor) =>
          client.execute(consoleLogPageQuery(run, perPage, cursor)).pipe(
            Effect.flatMap((data) => linesOf(run, "RunConsoleLogPage", data)),
            Effect.map((found) => ({
              items: (found.logLines?.edges ?? []).map((e) => toLine(e.node)),
              nextCursor: found.logLines?.pageInfo?.endCursor ?? null,
              hasNextPage: found.logLines?.pageInfo?.hasNextPage ?? false,
            })),
          ),
      }))),
    ),
  );
}
