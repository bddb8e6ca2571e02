/**
 * The `export` command: projects' runs tables, histories, system metrics and files written to a
 * directory as NDJSON, CSV or Parquet, or synced incrementally, with progress and a summary. Every
 * part of every project is attempted: a part that fails is listed at the end and the others are
 * kept.
 *
 * @module
 */
import * as Clock from "effect/Clock";
import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Exit from "effect/Exit";
import * as Fiber from "effect/Fiber";
import * as Stream from "effect/Stream";
import { Api } from "../api/api.ts";
import type { RunFilter } from "../core/filters.ts";
import { and, or, runField } from "../core/filters.ts";
import {
  type ExportError,
  type ExportRecord,
  writeBytes,
  writeCsv,
  writeNdjson,
  writeParquet,
} from "../export/sinks.ts";
import type { Run } from "../runs/decoders.ts";
import { runsTableRow } from "../runs/table.ts";
import { Checkpoints } from "../sync/checkpoints.ts";
import { syncProject } from "../sync/sync.ts";
import { countLines } from "../sync/_chunks.ts";
import { spoolRecords } from "../export/_spool.ts";
import { orderedFlatMap } from "../core/_retry_waits.ts";
import { removeEmpty } from "./input.ts";

/** The output formats. */
export type ExportFormat = "ndjson" | "csv" | "parquet";

/** What to export of each project. */
export type ExportPart = "runs" | "history" | "system" | "files";

/** The parsed command line of `export`. */
export interface ExportSettings {
  /** `entity/project`, one or more. */
  readonly projects: ReadonlyArray<string>;
  readonly out: string;
  readonly formats: ReadonlyArray<ExportFormat>;
  readonly parts: ReadonlyArray<ExportPart>;
  /** Only runs matching this Mongo-style filter. */
  readonly filter?: RunFilter | undefined;
  /** Only runs created or heartbeating at or after this ISO time. */
  readonly since?: string | undefined;
  /** Only these history keys (rows holding all of them). */
  readonly keys?: ReadonlyArray<string> | undefined;
  /** Incremental: append what changed since the last sync (checkpoint in `out`). */
  readonly sync: boolean;
  /** Where the data comes from: W&B, or the local server's seeded sample (`--local`). */
  readonly source?: "wandb" | "local" | undefined;
  /** Retries so far, counted by the `Api`'s `onRetry`, for the progress display. */
  readonly retries?: { readonly count: number } | undefined;
  /** Where progress goes, and whether it may redraw one line (a TTY). */
  readonly progress?:
    | { readonly write: (text: string) => void; readonly live: boolean }
    | undefined;
}

/** One part of one project that failed. */
export interface ExportFailure {
  readonly project: string;
  readonly part: string;
  readonly message: string;
}

/** What an export did. */
export interface ExportSummary {
  readonly projects: number;
  readonly runs: number;
  readonly rows: number;
  readonly bytes: number;
  readonly files: number;
  readonly seconds: number;
  /** Requests retried (429, 5xx, dropped or cut-off answers). */
  readonly retries: number;
  readonly written: ReadonlyArray<string>;
  readonly failures: ReadonlyArray<ExportFailure>;
  /** Where the data came from. */
  readonly source: "wandb" | "local";
}

/** Live counters, shared by the parts and the progress display. */
class Counters {
  runsTotal = 0;
  runsDone = 0;
  rows = 0;
  bytes = 0;
  files = 0;
  readonly written: Array<string> = [];
  readonly failures: Array<ExportFailure> = [];
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** One progress line: runs done/total, rows, rows/s, bytes, ETA, retries. */
function progressLine(c: Counters, elapsedMillis: number, retries: number): string {
  const seconds = Math.max(elapsedMillis / 1000, 0.001);
  const eta = c.runsDone === 0 || c.runsTotal === 0
    ? "?"
    : `${Math.round(seconds * (c.runsTotal - c.runsDone) / c.runsDone)}s`;
  return `runs ${c.runsDone}/${c.runsTotal} · rows ${c.rows.toLocaleString("en-US")} · ${
    Math.round(c.rows / seconds).toLocaleString("en-US")
  } rows/s · ${megabytes(c.bytes)} · ETA ${eta} · retries ${retries}`;
}

/** The runs filter of the settings: `--filter` and `--since` together. */
function runsFilter(settings: ExportSettings): RunFilter | undefined {
  const since = settings.since === undefined
    ? undefined
    : or(runField.createdAt.gte(settings.since), runField.heartbeatAt.gte(settings.since));
  if (settings.filter !== undefined && since !== undefined) return and(settings.filter, since);
  return settings.filter ?? since;
}

/** The history columns of the runs: the keys their `historyKeys` report, tags last. */
function historyColumns(runs: ReadonlyArray<Run>, keys: ReadonlyArray<string> | undefined) {
  const first = ["_step", "_runtime", "_timestamp"];
  const seen = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.historyKeys?.keys ?? {})) seen.add(key);
  const chosen = keys === undefined
    ? [...seen].filter((k) => !first.includes(k)).sort()
    : keys.filter((k) => !first.includes(k));
  return [...first, ...chosen, "run_id", "run_path"];
}

const tagged = (run: Run) => (row: Readonly<Record<string, unknown>>): ExportRecord => ({
  ...row,
  run_id: run.id,
  run_path: run.path,
});

/** Exports one project (every part asked for) into `dir`. */
function exportProject(
  api: Api["Service"],
  project: string,
  dir: string,
  settings: ExportSettings,
  c: Counters,
): Effect.Effect<void> {
  return Effect.gen(function* () {
    const attempt = <A, E, R>(part: string, effect: Effect.Effect<A, E, R>) =>
      Effect.exit(effect).pipe(Effect.tap((exit) =>
        Effect.sync(() => {
          if (Exit.isFailure(exit)) {
            const error = exit.cause.reasons.find((r) => r._tag === "Fail");
            const message = error?._tag === "Fail"
              ? String((error.error as { message?: unknown })?.message ?? error.error)
              : String(exit.cause);
            c.failures.push({ project, part, message });
          }
        })
      ));
    const made = yield* Effect.promise(() =>
      Deno.mkdir(dir).then(() => true, (e) => {
        if (e instanceof Deno.errors.AlreadyExists) return false;
        throw e;
      })
    );
    // A project that wrote nothing (not there, say) leaves no empty folder behind.
    yield* Effect.addFinalizer(() => made ? Effect.promise(() => removeEmpty([dir])) : Effect.void);
    if (settings.sync) {
      // Counters of earlier projects, which this project's progress adds to.
      const base = { runsTotal: c.runsTotal, runsDone: c.runsDone, rows: c.rows, bytes: c.bytes };
      yield* attempt(
        "sync",
        syncProject({
          project,
          out: dir,
          filters: runsFilter(settings),
          onProgress: (p) => {
            c.runsTotal = base.runsTotal + p.runsToDo;
            c.runsDone = base.runsDone + p.runsDone;
            c.rows = base.rows + p.rows;
            c.bytes = base.bytes + p.bytes;
          },
        }).pipe(
          Effect.provide(Checkpoints.file(`${dir}/.checkpoint.json`)),
          Effect.provideService(Api, api),
          Effect.tap(() =>
            Effect.sync(() => c.written.push(`${dir}/history.ndjson`, `${dir}/runs.ndjson`))
          ),
        ),
      );
      return;
    }
    const listed = yield* attempt(
      "runs",
      Stream.runCollect(
        api.runs(project, {
          filters: runsFilter(settings),
          // The runs table and the history columns: W&B is spared system metrics.
          fields: ["config", "summary", "historyKeys"],
        }),
      ),
    );
    if (Exit.isFailure(listed)) return;
    const runs = [...listed.value];
    c.runsTotal += runs.length;
    const output = (name: string) => {
      const path = `${dir}/${name}`;
      c.written.push(path);
      return path;
    };
    /**
     * Writes `records` to `<name>.<format>` in each format asked for, reading them once: CSV and
     * Parquet need every column before their first row, so the records go to a spool file first
     * (unless NDJSON alone is asked for) and each format is written from it.
     */
    const writeEachFormat = <E>(name: string, records: Stream.Stream<ExportRecord, E>) =>
      Effect.gen(function* () {
        const spooled: {
          readonly columns: ReadonlyArray<string> | undefined;
          readonly records: Stream.Stream<ExportRecord, E | ExportError>;
        } | undefined = settings.formats.every((format) => format === "ndjson")
          ? { columns: undefined, records }
          : yield* attempt(name, spoolRecords(records, dir)).pipe(
            Effect.map((exit) => Exit.isSuccess(exit) ? exit.value : undefined),
          );
        if (spooled === undefined) return;
        yield* Effect.forEach(settings.formats, (format) => {
          const path = output(`${name}.${format}`);
          const options = { columns: spooled.columns };
          return attempt(
            `${name}.${format}`,
            format === "ndjson"
              ? writeNdjson(path, spooled.records)
              : format === "csv"
              ? writeCsv(path, spooled.records, options)
              : writeParquet(path, spooled.records, options),
          );
        }, { discard: true });
      }).pipe(Effect.scoped);
    if (settings.parts.includes("runs")) {
      yield* writeEachFormat("runs", Stream.fromIterable(runs).pipe(Stream.map(runsTableRow)));
    }
    if (settings.parts.includes("history")) {
      const columns = historyColumns(runs, settings.keys);
      const scan = { keys: settings.keys };
      for (const format of settings.formats) {
        // Each format reads the same rows: progress counts those of the first.
        const counted = format === settings.formats[0];
        const countRecord = <A>(record: A) => {
          if (counted) c.rows++;
          return record;
        };
        const done = () => Effect.sync(() => counted && c.runsDone++);
        if (format === "ndjson") {
          // Bytes to bytes, for every run in one stream: the library's export path.
          const chunks = orderedFlatMap(
            Stream.fromIterable(runs),
            8,
            (run) =>
              api.scanHistories(Stream.make(run), { ...scan, format: "ndjson" }).pipe(
                Stream.onEnd(done()),
              ),
          ).pipe(
            Stream.map((chunk) => {
              if (counted) c.rows += countLines(chunk);
              c.bytes += chunk.length;
              return chunk;
            }),
          );
          yield* attempt("history.ndjson", writeBytes(output("history.ndjson"), chunks));
        } else if (format === "csv") {
          const records = orderedFlatMap(
            Stream.fromIterable(runs),
            8,
            (run) => api.scanHistory(run, scan).pipe(Stream.map(tagged(run)), Stream.onEnd(done())),
          ).pipe(
            Stream.map(countRecord),
          );
          yield* attempt("history.csv", writeCsv(output("history.csv"), records, { columns }));
        } else {
          // A dataset partitioned by run, as Hive-style readers (DuckDB, Polars, Spark) expect.
          c.written.push(`${dir}/history/ (Parquet, one run_id=… directory per run)`);
          yield* Effect.forEach(runs, (run) =>
            attempt(
              `history/run_id=${run.id}`,
              Effect.promise(() =>
                Deno.mkdir(`${dir}/history/run_id=${run.id}`, { recursive: true })
              ).pipe(
                Effect.andThen(writeParquet(
                  `${dir}/history/run_id=${run.id}/part-0.parquet`,
                  api.scanHistory(run, scan).pipe(Stream.map(countRecord)),
                  { columns: columns.filter((k) => k !== "run_id" && k !== "run_path") },
                )),
                Effect.andThen(done()),
              ),
            ), { concurrency: 4, discard: true });
        }
      }
    }
    if (settings.parts.includes("system")) {
      const records = Stream.fromIterable(runs).pipe(
        Stream.mapEffect((run) =>
          api.systemMetrics(run, { samples: 100_000 }).pipe(
            Effect.map((rows) => rows.map(tagged(run))),
          ), { concurrency: 8 }),
        Stream.flatMap((rows) => Stream.fromIterable(rows)),
      );
      yield* writeEachFormat("system", records);
    }
    if (settings.parts.includes("files")) {
      yield* Effect.forEach(runs, (run) =>
        api.files(run).pipe(
          Stream.mapEffect((file) =>
            attempt(
              `files/${run.id}/${file.name}`,
              api.downloadFile(file, { root: `${dir}/files/${run.id}`, replace: true }).pipe(
                Effect.tap((downloaded) =>
                  Effect.sync(() => {
                    c.files++;
                    c.bytes += downloaded.size;
                  })
                ),
              ),
            ), { concurrency: 8 }),
          Stream.runDrain,
          (listing) => attempt(`files/${run.id}`, listing),
        ), { concurrency: 2, discard: true });
    }
  }).pipe(Effect.scoped);
}

/**
 * Runs an export as the command line asked; never fails: what failed is in the summary.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { runExport } from "./export.ts";
 * import { testApiLayer } from "@effect-wandb/api/testing";
 * const out = await Deno.makeTempDir();
 * const summary = await Effect.runPromise(
 *   runExport({ projects: ["acme/mnist"], out, formats: ["csv"], parts: ["runs"], sync: false })
 *     .pipe(Effect.provide(testApiLayer())),
 * );
 * assert.ok(summary.runs > 0 && summary.failures.length === 0);
 * ```
 */
export function runExport(settings: ExportSettings): Effect.Effect<ExportSummary, never, Api> {
  return Effect.gen(function* () {
    const api = yield* Api;
    const c = new Counters();
    const started = yield* Clock.currentTimeMillis;
    const progress = settings.progress;
    const ticker = progress === undefined ? undefined : yield* Effect.forkChild(
      Effect.gen(function* () {
        const every = progress.live ? Duration.seconds(0.5) : Duration.seconds(10);
        while (true) {
          yield* Effect.sleep(every);
          const line = progressLine(
            c,
            (yield* Clock.currentTimeMillis) - started,
            settings.retries?.count ?? 0,
          );
          progress.write(progress.live ? `\r\x1b[2K${line}` : `${line}\n`);
        }
      }),
    );
    for (const project of settings.projects) {
      const dir = settings.projects.length === 1
        ? settings.out
        : `${settings.out}/${project.replaceAll("/", "__")}`;
      yield* exportProject(api, project, dir, settings, c);
    }
    if (ticker !== undefined) {
      yield* Fiber.interrupt(ticker);
      if (progress?.live) progress.write("\r\x1b[2K");
    }
    return {
      projects: settings.projects.length,
      runs: c.runsTotal,
      rows: c.rows,
      bytes: c.bytes,
      files: c.files,
      seconds: ((yield* Clock.currentTimeMillis) - started) / 1000,
      retries: settings.retries?.count ?? 0,
      written: c.written,
      failures: c.failures,
      source: settings.source ?? "wandb",
    };
  });
}

/** The summary as the command prints it. */
export function formatSummary(summary: ExportSummary): string {
  const lines = [
    `Exported ${summary.runs} runs of ${summary.projects} project(s)${
      summary.source === "local" ? " (local seeded data)" : ""
    }: ${summary.rows.toLocaleString("en-US")} history rows, ${summary.files} files, ${
      megabytes(summary.bytes)
    } in ${summary.seconds.toFixed(1)} s (${summary.retries} retries).`,
    ...summary.written.map((path) => `  ${path}`),
  ];
  if (summary.failures.length > 0) {
    lines.push(`${summary.failures.length} part(s) failed (everything else was kept):`);
    for (const f of summary.failures) lines.push(`  ${f.project} ${f.part}: ${f.message}`);
  }
  return lines.join("\n");
}
