/**
 * Console logs on the local server: `Run.logLineCount` and `Run.logLines`, read from the start
 * in pages (W&B Server 0.77 and later) or as the last lines (every release), and the seeded
 * runs' captured output.
 *
 * @module
 */
import type { ServerResource } from "../resource.ts";
import { decodeOffsetCursor, offsetCursor } from "../pages.ts";
import { consoleSdl } from "./sdl.ts";
import { type SeedConsoleLog, seedConsoleLogs } from "./seed.ts";
import { ConsoleLogStore, type StoredLogLine } from "./store.ts";

/** The most lines one request returns, as W&B caps a log's page and tail. */
export const consoleLinesCap = 1000;

const connection = (lines: ReadonlyArray<StoredLogLine>, hasNextPage: boolean) => ({
  edges: lines.map((node) => ({ node, cursor: offsetCursor(node.number + 1) })),
  pageInfo: {
    startCursor: lines.length === 0 ? null : offsetCursor(lines[0]!.number),
    endCursor: lines.length === 0 ? null : offsetCursor(lines[lines.length - 1]!.number + 1),
    hasNextPage,
    hasPreviousPage: (lines[0]?.number ?? 0) > 0,
  },
});

/**
 * The console-logs resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consoleResource } from "@effect-wandb/api/testing";
 * assert.ok(consoleResource.gated?.STRUCTURED_CONSOLE_LOGS?.includes("Run.logLines(first:)"));
 * ```
 */
export const consoleResource: ServerResource<ConsoleLogStore, SeedConsoleLog> = {
  open: (db) => new ConsoleLogStore(db),
  sdl: consoleSdl,
  // Before 0.77 a log could only be read from its end.
  gated: {
    STRUCTURED_CONSOLE_LOGS: [
      "Run.logLines(first:)",
      "Run.logLines(after:)",
      "Run.logLines(useImprovedPagination:)",
    ],
  },
  runFields: (ctx, run) => ({
    logLineCount: () => ctx.store.console.count(run.seq),
    logLines: (args: { first?: number | null; after?: string | null; last?: number | null }) => {
      if (args.last !== null && args.last !== undefined) {
        const last = Math.min(Math.max(args.last, 0), consoleLinesCap);
        return connection(ctx.store.console.lines(run.seq, { last }), false);
      }
      const from = decodeOffsetCursor(args.after);
      const first = Math.min(Math.max(args.first ?? consoleLinesCap, 0), consoleLinesCap);
      const lines = ctx.store.console.lines(run.seq, { first, from });
      return connection(lines, from + lines.length < ctx.store.console.count(run.seq));
    },
  }),
  seed: seedConsoleLogs,
  load: (store, _core, logs) => {
    for (const log of logs) {
      const run = store.runs.get(log.entity, log.project, log.run);
      if (run !== undefined) store.console.append(run.seq, log.lines);
    }
  },
};
