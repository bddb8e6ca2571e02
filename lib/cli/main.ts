/**
 * `effect-wandb export` and `effect-wandb watch`: the command line. Run them with
 * `deno task export …` and `deno task watch …`, or from the package's `./cli` entry:
 *
 *     deno run --allow-net --allow-read --allow-write \
 *       --allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT,TERM,NO_COLOR,FORCE_COLOR \
 *       jsr:@effect-wandb/api/cli export acme/mnist --format csv,ndjson --what runs,history
 *
 * Exit codes: 0 everything exported, 1 some parts failed (listed; the rest is kept), 2 bad usage.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as Option from "effect/Option";
import * as Argument from "effect/cli/Argument";
import * as CliError from "effect/cli/CliError";
import * as Command from "effect/cli/Command";
import * as Flag from "effect/cli/Flag";
import * as FetchHttpClient from "effect/http/FetchHttpClient";
import { Api } from "../api/api.ts";
import { libraryVersion } from "../core/config.ts";
import { apiOptionsFromEnv } from "../core/env.ts";
import {
  type ExportFormat,
  type ExportPart,
  type ExportSettings,
  formatSummary,
  runExport,
} from "./export.ts";
import {
  filterOf,
  keysOf,
  listOf,
  prepareOut,
  projectsOf,
  removeEmpty,
  sinceOf,
  UsageError,
} from "./input.ts";
import { denoCliLayer } from "./platform.ts";
import { watchCommand, watchExitCode } from "./watch.ts";

const formats: ReadonlyArray<ExportFormat> = ["ndjson", "csv", "parquet"];
const parts: ReadonlyArray<ExportPart> = ["runs", "history", "system", "files"];

/** The settings the command line asks for, or the first thing it gets wrong. */
function checkInput(input: ExportInput, retries: { count: number }): ExportSettings | UsageError {
  try {
    const formatList = listOf("format", input.format, formats);
    if (input.sync && formatList.some((f) => f !== "ndjson")) {
      throw new UsageError(
        "--sync writes NDJSON only (runs.ndjson, history.ndjson): drop --format or use " +
          "--format ndjson",
      );
    }
    return {
      projects: projectsOf(input.projects),
      out: input.out,
      formats: formatList,
      parts: listOf("what", input.what, parts),
      filter: filterOf(input.filter),
      since: sinceOf(input.since),
      keys: keysOf(input.keys),
      sync: input.sync,
      source: input.local ? "local" : "wandb",
      retries,
      progress: { write, live: Deno.stderr.isTerminal() },
    };
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
}

/** The exit code of the last run of the command: 0, 1 (partial failure) or 2 (bad usage). */
let exitCode = 0;

const write = (text: string) => Deno.stderr.writeSync(new TextEncoder().encode(text));

/** The command line of `export`, as `effect/cli` parses it. */
export interface ExportInput {
  /** `entity/project`, one or more. */
  readonly projects: ReadonlyArray<string>;
  /** `--out`: the directory written to. */
  readonly out: string;
  /** `--format`: formats, comma-separated. */
  readonly format: string;
  /** `--what`: parts, comma-separated. */
  readonly what: string;
  /** `--filter`: a Mongo-style run filter as JSON. */
  readonly filter: Option.Option<string>;
  /** `--since`: an ISO time. */
  readonly since: Option.Option<string>;
  /** `--keys`: history keys, comma-separated. */
  readonly keys: Option.Option<string>;
  /** `--concurrency`: requests in flight. */
  readonly concurrency: Option.Option<number>;
  /** `--local`: the embedded local server. */
  readonly local: boolean;
  /** `--sync`: incremental. */
  readonly sync: boolean;
}

/** The `export` command of `effect/cli`: flags, generated `--help` and shell completions. */
// deno-lint-ignore ban-types
export const exportCommand: Command.Command<"export", ExportInput, {}, never, never> = Command
  .make(
    "export",
    {
      projects: Argument.String("project").pipe(
        Argument.withDescription("entity/project to export (one or more)"),
        Argument.variadic({ min: 1 }),
      ),
      out: Flag.String("out").pipe(
        Flag.withDescription(
          "directory written to, made if need be (a sub-directory per project when several; " +
            "default: export)",
        ),
        Flag.withDefault("export"),
      ),
      format: Flag.String("format").pipe(
        Flag.withDescription("ndjson, csv, parquet, or several comma-separated (default: ndjson)"),
        Flag.withDefault("ndjson"),
      ),
      what: Flag.String("what").pipe(
        Flag.withDescription(
          "runs, history, system, files, comma-separated (default: runs,history)",
        ),
        Flag.withDefault("runs,history"),
      ),
      filter: Flag.String("filter").pipe(
        Flag.withDescription(
          'a Mongo-style run filter as JSON, e.g. \'{"state":"finished"}\' (default: every run)',
        ),
        Flag.optional,
      ),
      since: Flag.String("since").pipe(
        Flag.withDescription(
          "only runs created or heartbeating since this ISO 8601 time, e.g. 2026-12-01 or " +
            "2026-12-01T12:00+02:00 (UTC unless it names an offset; default: every run)",
        ),
        Flag.optional,
      ),
      keys: Flag.String("keys").pipe(
        Flag.withDescription(
          "only these history keys, comma-separated; rows holding all of them (default: every key)",
        ),
        Flag.optional,
      ),
      concurrency: Flag.Int("concurrency").pipe(
        Flag.withDescription("requests in flight (default: 16)"),
        Flag.optional,
      ),
      local: Flag.Boolean("local").pipe(
        Flag.withDescription(
          "export from the embedded local W&B server's seeded sample data, no key needed",
        ),
        Flag.withDefault(false),
      ),
      sync: Flag.Boolean("sync").pipe(
        Flag.withDescription(
          "incremental: append what changed since the last sync; writes NDJSON only " +
            "(runs.ndjson, history.ndjson)",
        ),
        Flag.withDefault(false),
      ),
    },
    (input) =>
      Effect.gen(function* () {
        const retries = { count: 0 };
        const onRetry = () => void retries.count++;
        const usage = (message: string) =>
          Effect.sync(() => {
            write(`${message}\n`);
            exitCode = 2;
          });
        // Everything the command line can get wrong, before any request.
        const checked = checkInput(input, retries);
        if (checked instanceof UsageError) return yield* usage(checked.message);
        const settings = checked;
        const made = yield* Effect.promise(() =>
          prepareOut(input.out).catch((e) => e instanceof UsageError ? e : Promise.reject(e))
        );
        if (made instanceof UsageError) return yield* usage(made.message);
        const concurrency = Option.getOrUndefined(input.concurrency);
        // The local server (SQLite, graphql-js's executor) is loaded only when asked for.
        const api: Layer.Layer<Api, unknown> = input.local
          ? Layer.unwrap(
            Effect.promise(() => import("../testing/layer.ts")).pipe(
              Effect.map(({ testApiLayer }) => testApiLayer({ api: { concurrency, onRetry } })),
            ),
          )
          : Layer.unwrap(
            Effect.map(
              apiOptionsFromEnv(),
              (options) => Api.layer({ ...options, concurrency, onRetry }),
            ),
          ).pipe(Layer.provide(FetchHttpClient.layer));
        const summary = yield* runExport(settings).pipe(
          Effect.provide(api),
          Effect.catch((e) =>
            Effect.sync(() => {
              // The layer failed: no usable key or options, before any request.
              const why = String(e).includes("WANDB_API_KEY")
                ? "WANDB_API_KEY is not set (or --allow-env does not name it); " +
                  "--local exports from the embedded local server"
                : (e as { message?: string }).message ?? String(e);
              write(`Cannot start: ${why}\n`);
              exitCode = 2;
              return undefined;
            })
          ),
        );
        // An export that wrote nothing (a project that is not there) leaves no empty folders.
        yield* Effect.promise(() => removeEmpty(made));
        if (summary === undefined) return;
        console.log(formatSummary(summary));
        exitCode = summary.failures.length > 0 ? 1 : 0;
      }),
  )
  .pipe(
    Command.withDescription(
      "Export W&B projects (runs tables, histories, system metrics, files) to NDJSON, CSV or Parquet",
    ),
  );

/**
 * Runs the command on `args` and gives its exit code: 0, 1 (some parts failed) or 2 (bad usage).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./main.ts";
 * assert.ok((await main(["export", "--format", "xml", "acme/mnist"])) === 2);
 * ```
 */
export async function main(args: ReadonlyArray<string>): Promise<number> {
  exitCode = 0;
  // Two commands: `watch …`, and `export …` (the default, as the command line has always been).
  const watching = args[0] === "watch";
  // effect/cli reads the arguments after the program name.
  const exit = await Effect.runPromiseExit(
    (watching
      ? Command.run(watchCommand, { version: libraryVersion })
      : Command.run(exportCommand, { version: libraryVersion })).pipe(
        Effect.provide(denoCliLayer(watching || args[0] === "export" ? args.slice(1) : args)),
      ),
  );
  if (exit._tag === "Failure") {
    // Help asked for (a ShowHelp without errors) is a success; anything else effect/cli
    // refused is bad usage.
    const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail");
    const error = failure?._tag === "Fail" ? failure.error : undefined;
    const helpOnly = error instanceof CliError.ShowHelp && error.errors.length === 0;
    return helpOnly ? 0 : 2;
  }
  return watching ? watchExitCode() : exitCode;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
