/**
 * Incremental export of a project: each sync asks the server only for runs that may have
 * changed, appends only their new history steps, rewrites only the runs-table rows that changed,
 * and records its progress after each durable write, so a sync killed at any point is finished
 * by the next one with output identical to an uninterrupted one.
 *
 * Files under `out`: `history.ndjson` (every row, tagged with `run_id` and `run_path`,
 * appended), `runs.ndjson` (one row per run, rewritten by rename when a row changes).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { Api } from "../api/api.ts";
import { BufferPool } from "../core/buffers.ts";
import type { WandbError } from "../core/errors.ts";
import { and, or, runField, type RunFilter } from "../core/filters.ts";
import { printWandbJson } from "../core/wandb_json.ts";
import { fileFailure, type SinkError } from "../export/sinks.ts";
import type { Run } from "../runs/decoders.ts";
import { runsTableRow } from "../runs/table.ts";
import {
  type Checkpoint,
  type CheckpointError,
  Checkpoints,
  type RunCheckpoint,
} from "./checkpoints.ts";
import { countLines, lastStepOf } from "./_chunks.ts";
import { removeLeftovers, replaceFile } from "./_files.ts";
import { writeAll } from "../core/_write_all.ts";
import { orderedFlatMap } from "../core/_retry_waits.ts";

/** Options of {@link syncProject}. */
export interface SyncOptions {
  /** `entity/project`. */
  readonly project: string;
  /** The directory written to. */
  readonly out: string;
  /** Only runs matching this filter are exported. */
  readonly filters?: RunFilter | undefined;
  /**
   * At most this many runs with new rows are exported by this call: a bounded slice of work, as a
   * cron tick needs. The next call goes on where this one stopped.
   */
  readonly maxRuns?: number | undefined;
  /** Runs whose history is read at once. @default {4} */
  readonly runConcurrency?: number | undefined;
  /** Called after each durable write. */
  readonly onProgress?: ((progress: SyncProgress) => void) | undefined;
}

/** Where a sync stands, after a durable write. */
export interface SyncProgress {
  /** Runs whose new rows are all written. */
  readonly runsDone: number;
  /** Runs with new rows this call exports. */
  readonly runsToDo: number;
  /** Rows appended so far. */
  readonly rows: number;
  /** Bytes appended so far. */
  readonly bytes: number;
}

/** What a sync did. */
export interface SyncReport {
  /** Runs the server was asked about (created or heartbeating since the last sync, or running). */
  readonly runsSeen: number;
  /** Runs whose new history rows were appended. */
  readonly runsExported: number;
  /** Rows appended to `history.ndjson`. */
  readonly rows: number;
  /** Bytes appended to `history.ndjson`. */
  readonly bytes: number;
  /** Whether `runs.ndjson` was rewritten (a run was new or its row changed). */
  readonly runsTableWritten: boolean;
  /** `false` when `maxRuns` left runs for the next call. */
  readonly complete: boolean;
}

/** How many running runs are looked up by name per request. */
const nameBatch = 100;

/** FNV-1a of a runs-table line: enough to see that a row changed. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0") + text.length.toString(16);
}

/** Cuts `path` back to `bytes` (what the checkpoint accounts for), creating it if missing. */
const openHistory = (path: string, bytes: number) =>
  Effect.tryPromise({
    try: async () => {
      const file = await Deno.open(path, { read: true, write: true, create: true });
      const size = (await file.stat()).size;
      if (size < bytes) {
        file.close();
        throw new Error(
          `holds ${size} bytes but the checkpoint accounts for ${bytes}: it was changed by hand`,
        );
      }
      // Bytes past the checkpoint were written by a sync that died before recording them.
      if (size > bytes) await file.truncate(bytes);
      await file.seek(bytes, Deno.SeekMode.Start);
      return file;
    },
    catch: fileFailure(path),
  });

const writeAndSync = (path: string, file: Deno.FsFile, chunk: Uint8Array) =>
  Effect.tryPromise({
    try: async () => {
      await writeAll(file, chunk);
      // On disk before the checkpoint says so.
      await file.syncData();
    },
    catch: fileFailure(path),
  });

/** Reads `runs.ndjson` into its lines by run path (none when missing). */
const readRunsTable = (path: string) =>
  Effect.tryPromise({
    try: async () => {
      const lines = new Map<string, string>();
      let text = "";
      try {
        text = await Deno.readTextFile(path);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      for (const line of text.split("\n")) {
        if (line !== "") lines.set((JSON.parse(line) as { path: string }).path, line);
      }
      return lines;
    },
    catch: fileFailure(path),
  });

/** Replaces `runs.ndjson` whole (see {@link replaceFile}). */
const writeRunsTable = (path: string, lines: Iterable<string>) =>
  Effect.tryPromise({
    try: () =>
      replaceFile(
        path,
        new TextEncoder().encode([...lines].map((line) => `${line}\n`).join("")),
      ),
    catch: fileFailure(path),
  });

/** The runs that may have changed since `checkpoint`, in creation order, each once. */
function changedRuns(
  api: Api["Service"],
  options: SyncOptions,
  checkpoint: Checkpoint,
): Effect.Effect<Array<Run>, WandbError> {
  return Effect.gen(function* () {
    const list = (filters: RunFilter | undefined) =>
      Stream.runCollect(
        api.runs(options.project, {
          filters,
          fields: ["config", "summary", "historyKeys"],
          perPage: 100,
        }),
      );
    const mark = checkpoint.highWaterMark;
    if (mark === null) return [...yield* list(options.filters)];
    const recent = or(runField.createdAt.gte(mark), runField.heartbeatAt.gte(mark));
    const byPath = new Map<string, Run>();
    for (const run of yield* list(options.filters ? and(options.filters, recent) : recent)) {
      byPath.set(run.path, run);
    }
    // Runs that were still running last time, whatever their heartbeat says now.
    const running = Object.entries(checkpoint.runs)
      .filter(([path, run]) => run.state === "running" && !byPath.has(path))
      .map(([path]) => path.split("/")[2]!);
    for (let i = 0; i < running.length; i += nameBatch) {
      const names = runField.name.in(running.slice(i, i + nameBatch));
      for (const run of yield* list(options.filters ? and(options.filters, names) : names)) {
        byPath.set(run.path, run);
      }
    }
    return [...byPath.values()].sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.path < b.path ? -1 : 1
    );
  });
}

/**
 * One incremental sync of a project into `out`, checkpointed in the {@link Checkpoints} service.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Layer } from "effect";
 * import { Checkpoints, syncProject } from "@effect-wandb/api/sync";
 * import { testApiLayer } from "@effect-wandb/api/testing";
 * const out = await Deno.makeTempDir();
 * const layer = Layer.merge(testApiLayer(), Checkpoints.file(`${out}/.checkpoint.json`));
 * const report = await Effect.runPromise(
 *   syncProject({ project: "acme/mnist", out }).pipe(Effect.provide(layer)),
 * );
 * assert.ok(report.rows > 0 && report.complete);
 * ```
 */
export function syncProject(
  options: SyncOptions,
): Effect.Effect<
  SyncReport,
  WandbError | CheckpointError | SinkError,
  Api | Checkpoints
> {
  return Effect.gen(function* () {
    const api = yield* Api;
    const checkpoints = yield* Checkpoints;
    yield* Effect.tryPromise({
      try: async () => {
        await Deno.mkdir(options.out, { recursive: true });
        await removeLeftovers(options.out);
      },
      catch: fileFailure(options.out),
    });
    let checkpoint = yield* checkpoints.load;
    const historyPath = `${options.out}/history.ndjson`;
    const runsPath = `${options.out}/runs.ndjson`;
    const history = yield* Effect.acquireRelease(
      openHistory(historyPath, checkpoint.historyBytes),
      (file) => Effect.sync(() => file.close()),
    );
    const candidates = yield* changedRuns(api, options, checkpoint);
    const lastStepOfRun = (run: Run) => checkpoint.runs[run.path]?.lastStep ?? -1;
    // Runs whose server-side last step is past what was written; the others cost nothing more.
    const behind = candidates.filter((run) =>
      (run.historyKeys?.lastStep ?? -1) > lastStepOfRun(run)
    );
    const todo = options.maxRuns === undefined ? behind : behind.slice(0, options.maxRuns);
    let rows = 0;
    let bytes = 0;
    let runsDone = 0;
    const save = (next: Checkpoint, changed: ReadonlyArray<string>) =>
      Effect.tap(checkpoints.save(next, changed), () => Effect.sync(() => (checkpoint = next)));
    const runEntry = (run: Run, lastStep: number): RunCheckpoint => ({
      lastStep,
      state: checkpoint.runs[run.path]?.state ?? "",
      heartbeatAt: checkpoint.runs[run.path]?.heartbeatAt ?? null,
      fingerprint: checkpoint.runs[run.path]?.fingerprint ?? "",
    });
    // Runs are appended one after another in creation order, whatever order their pages come
    // in: a sync that was killed and run again writes the same bytes as one that was not.
    yield* orderedFlatMap(
      Stream.fromIterable(todo),
      options.runConcurrency ?? 4,
      (run) =>
        api.scanHistories(Stream.make(run), { minStep: lastStepOfRun(run) + 1, format: "ndjson" })
          .pipe(
            Stream.map((chunk) => ({ run, chunk })),
            Stream.concat(Stream.make({ run, chunk: undefined })),
          ),
    ).pipe(
      Stream.runForEach(({ run, chunk }) => {
        if (chunk === undefined) {
          runsDone++;
          options.onProgress?.({ runsDone, runsToDo: todo.length, rows, bytes });
          return Effect.void;
        }
        return Effect.gen(function* () {
          yield* writeAndSync(historyPath, history, chunk);
          const step = lastStepOf(chunk) ?? lastStepOfRun(run);
          rows += countLines(chunk);
          bytes += chunk.length;
          const historyBytes = checkpoint.historyBytes + chunk.length;
          BufferPool.giveBack(chunk.buffer);
          yield* save({
            ...checkpoint,
            historyBytes,
            runs: { ...checkpoint.runs, [run.path]: runEntry(run, step) },
          }, [run.path]);
          options.onProgress?.({ runsDone, runsToDo: todo.length, rows, bytes });
        });
      }),
    );
    // The runs table: every candidate's row as the server has it now; a sync that stopped at
    // `maxRuns` leaves the table and the high-water mark for the call that finishes.
    const complete = todo.length === behind.length;
    let runsTableWritten = false;
    if (complete && candidates.length > 0) {
      const table = yield* readRunsTable(runsPath);
      const lines = new Map(candidates.map((run) => [
        run.path,
        printWandbJson(runsTableRow(run)),
      ]));
      const changed = candidates.filter((run) =>
        checkpoint.runs[run.path]?.fingerprint !== fingerprint(lines.get(run.path)!) ||
        table.get(run.path) !== lines.get(run.path)
      );
      if (changed.length > 0) {
        for (const [path, line] of lines) table.set(path, line);
        yield* writeRunsTable(runsPath, table.values());
        runsTableWritten = true;
      }
      const runs = { ...checkpoint.runs };
      for (const run of candidates) {
        runs[run.path] = {
          lastStep: runs[run.path]?.lastStep ?? -1,
          state: run.state,
          heartbeatAt: run.heartbeatAt,
          fingerprint: fingerprint(lines.get(run.path)!),
        };
      }
      const mark = candidates.reduce<string | null>((latest, run) => {
        const seen = run.heartbeatAt ?? run.createdAt;
        return latest === null || seen > latest ? seen : latest;
      }, checkpoint.highWaterMark);
      yield* save({ ...checkpoint, runs, highWaterMark: mark }, candidates.map((r) => r.path));
    }
    return {
      runsSeen: candidates.length,
      runsExported: todo.length,
      rows,
      bytes,
      runsTableWritten,
      complete,
    };
  }).pipe(Effect.scoped);
}
