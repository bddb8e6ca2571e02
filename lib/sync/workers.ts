/**
 * Many workers, one export: runs are claimed through expiring leases taken with Deno KV's atomic
 * compare-and-set (versionstamps), their new history rows written as segment files, and each
 * segment committed together with the run's checkpoint and a renewed lease in one atomic write.
 * A worker that dies leaves a lease that expires; the next worker to see it takes the run over
 * from its last commit. Works the same on a local KV file shared by processes, on Deno Deploy's
 * KV, and on a self-hosted `denokv` shared by machines (no KV queues needed).
 *
 * Segments are `out/<entity>/<project>/<run>/<firstStep>.ndjson`, written under a temporary name
 * and renamed: a segment written but not committed (the worker died between the two) is
 * replaced by the next worker's segment starting at the same step, so no row is ever kept twice.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { Api } from "../api/api.ts";
import { BufferPool } from "../core/buffers.ts";
import type { WandbError } from "../core/errors.ts";
import type { RunFilter } from "../core/filters.ts";
import { ExportError } from "../export/sinks.ts";
import type { ScanHistoryOptions } from "../history/scan.ts";
import type { Run } from "../runs/decoders.ts";
import { type CheckpointError, kvCall } from "./checkpoints.ts";
import { countLines, lastStepOf } from "./_chunks.ts";
import { replaceFile } from "./_files.ts";

/** Options of {@link exportWithLeases}. */
export interface LeasedExportOptions {
  /** `entity/project`. */
  readonly project: string;
  /** Where segments are written (shared by the workers). */
  readonly out: string;
  /** The KV the workers share. */
  readonly kv: Deno.Kv;
  /** This worker's name, unique among the workers. */
  readonly worker: string;
  /** Only runs matching this filter. */
  readonly filters?: RunFilter | undefined;
  /**
   * How long a lease lasts without a commit renewing it: long enough for one page to be
   * fetched and written, short enough that a dead worker's runs are soon taken over.
   * @default {30_000}
   */
  readonly leaseMillis?: number | undefined;
  /** How history is read (`mode`, `pageSize`): each page or row group is one committed segment. */
  readonly scan?: Pick<ScanHistoryOptions, "mode" | "pageSize" | "concurrency"> | undefined;
  /** At most this many runs exported by this call (a bounded slice of work, as for a cron tick). */
  readonly maxRuns?: number | undefined;
  /**
   * No run is claimed after this time (epoch milliseconds); the run in hand is finished. With
   * `maxRuns`, what bounds a cron tick.
   */
  readonly deadline?: number | undefined;
  /**
   * Where a segment goes; by default the file `out/<run path>/<firstStep>.ndjson`, renamed into
   * place. A custom writer must be idempotent by `(run, firstStep)`: a segment whose commit was
   * lost is written again under the same key (an object store's PUT is). `bytes` are reused (or
   * freed) once its effect ends: a writer that keeps them past that copies them.
   */
  readonly writeSegment?:
    | ((run: string, firstStep: number, bytes: Uint8Array) => Effect.Effect<void, ExportError>)
    | undefined;
  /** Called after each commit. */
  readonly onCommit?: ((run: string, lastStep: number) => void) | undefined;
}

/** What one worker did. */
export interface LeasedExportReport {
  /** Runs this worker exported to their end. */
  readonly runsExported: ReadonlyArray<string>;
  /** Runs this worker took over from an expired lease. */
  readonly runsTakenOver: ReadonlyArray<string>;
  /** Rows this worker committed. */
  readonly rows: number;
}

interface Lease {
  readonly worker: string;
  readonly expiresAt: number;
}

interface RunProgress {
  /** The last history step committed, `-1` before any. */
  readonly lastStep: number;
}

/** Writes a segment whole (see {@link replaceFile}). */
const writeSegment = (dir: string, firstStep: number, chunk: Uint8Array) =>
  Effect.tryPromise({
    try: async () => {
      await Deno.mkdir(dir, { recursive: true });
      await replaceFile(`${dir}/${String(firstStep).padStart(12, "0")}.ndjson`, chunk);
    },
    catch: (e) =>
      new ExportError({ path: dir, message: e instanceof Error ? e.message : String(e) }),
  });

/**
 * The rows of a run exported by the workers, in step order: its segments read in order. A
 * reader's view of what the workers committed and wrote.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSegments } from "@effect-wandb/api/sync";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/000000000002.ndjson`, '{"_step":2}\n');
 * await Deno.writeTextFile(`${dir}/000000000000.ndjson`, '{"_step":0}\n{"_step":1}\n');
 * assert.equal(await readSegments(dir), '{"_step":0}\n{"_step":1}\n{"_step":2}\n');
 * ```
 */
export async function readSegments(dir: string): Promise<string> {
  const names = [...Deno.readDirSync(dir)]
    .map((entry) => entry.name)
    .filter((name) => name.endsWith(".ndjson"))
    .sort();
  let text = "";
  for (const name of names) text += await Deno.readTextFile(`${dir}/${name}`);
  return text;
}

/**
 * One worker of a shared export: claims runs with new rows by lease, exports each, and commits
 * every segment with the run's progress in the same atomic write. Run it in as many processes
 * or instances as you like over one KV: every run is exported once, and a run whose worker died
 * is taken over when its lease expires.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { exportWithLeases } from "@effect-wandb/api/sync";
 * import { testApiLayer } from "@effect-wandb/api/testing";
 * const out = await Deno.makeTempDir();
 * const kv = await Deno.openKv(`${out}/kv.sqlite`);
 * const report = await Effect.runPromise(
 *   exportWithLeases({ project: "acme/mnist", out, kv, worker: "w1" })
 *     .pipe(Effect.provide(testApiLayer())),
 * );
 * kv.close();
 * console.log(report.runsExported.length, "runs exported");
 * ```
 */
export function exportWithLeases(
  options: LeasedExportOptions,
): Effect.Effect<LeasedExportReport, WandbError | CheckpointError | ExportError, Api> {
  const { kv, worker, project } = options;
  const leaseMillis = options.leaseMillis ?? 30_000;
  const root = ["effect-wandb", "leased-export", project];
  const leaseKey = (run: string) => [...root, "lease", run];
  const progressKey = (run: string) => [...root, "progress", run];
  return Effect.gen(function* () {
    const api = yield* Api;
    const runs = yield* Stream.runCollect(
      api.runs(project, {
        filters: options.filters,
        fields: ["config", "summary", "historyKeys"],
        perPage: 100,
      }),
    );
    const runsExported: Array<string> = [];
    const runsTakenOver: Array<string> = [];
    let rows = 0;

    /** Takes the run's lease if it is free or expired; the lease's versionstamp, or nothing. */
    const claim = (run: Run) =>
      kvCall(JSON.stringify(leaseKey(run.path)), async () => {
        const [lease, progress] = await kv.getMany<[Lease, RunProgress]>([
          leaseKey(run.path),
          progressKey(run.path),
        ]);
        const done = progress.value?.lastStep ?? -1;
        if (done >= (run.historyKeys?.lastStep ?? -1)) return "done" as const;
        const now = Date.now();
        if (lease.value !== null && lease.value.expiresAt > now) return "busy" as const;
        const result = await kv.atomic()
          .check(lease, progress)
          .set(leaseKey(run.path), { worker, expiresAt: now + leaseMillis })
          .commit();
        if (!result.ok) return "busy" as const; // another worker was faster
        if (lease.value !== null) runsTakenOver.push(run.path);
        return { versionstamp: result.versionstamp, lastStep: done };
      });

    /** Exports a claimed run from `lastStep + 1`, committing each segment under the lease. */
    const exportRun = (run: Run, claimed: { versionstamp: string; lastStep: number }) =>
      Effect.gen(function* () {
        let versionstamp = claimed.versionstamp;
        let lastStep = claimed.lastStep;
        const dir = `${options.out}/${run.path}`;
        const chunks = api.scanHistories(Stream.make(run), {
          ...options.scan,
          minStep: lastStep + 1,
          format: "ndjson",
        });
        const lost = yield* chunks.pipe(
          Stream.mapEffect((chunk) =>
            Effect.gen(function* () {
              const step = lastStepOf(chunk) ?? lastStep;
              yield* options.writeSegment === undefined
                ? writeSegment(dir, lastStep + 1, chunk)
                : options.writeSegment(run.path, lastStep + 1, chunk);
              const lines = countLines(chunk);
              BufferPool.giveBack(chunk.buffer);
              // The segment counts only once this commits, and only while the lease is ours.
              const committed = yield* kvCall(JSON.stringify(progressKey(run.path)), () =>
                kv.atomic()
                  .check({ key: leaseKey(run.path), versionstamp })
                  .set(progressKey(run.path), { lastStep: step })
                  .set(leaseKey(run.path), { worker, expiresAt: Date.now() + leaseMillis })
                  .commit());
              if (!committed.ok) return true;
              versionstamp = committed.versionstamp;
              lastStep = step;
              rows += lines;
              options.onCommit?.(run.path, step);
              return false;
            })
          ),
          // A lost lease stops this worker's export of the run: its new owner goes on.
          Stream.takeUntil((lostLease) => lostLease),
          Stream.runFold(() => false, (_, lostLease) => lostLease),
        );
        if (lost) return;
        yield* kvCall(
          JSON.stringify(leaseKey(run.path)),
          () =>
            kv.atomic().check({ key: leaseKey(run.path), versionstamp })
              .delete(leaseKey(run.path)).commit(),
        );
        runsExported.push(run.path);
      });

    // Passes over the runs until none is left to anyone: a run leased by a worker that died is
    // taken over once its lease expires.
    const full = () =>
      (options.maxRuns !== undefined && runsExported.length >= options.maxRuns) ||
      (options.deadline !== undefined && Date.now() >= options.deadline);
    while (!full()) {
      let busy = 0;
      for (const run of runs) {
        if (full()) break;
        const claimed = yield* claim(run);
        if (claimed === "busy") busy++;
        else if (claimed !== "done") yield* exportRun(run, claimed);
      }
      if (busy === 0) break;
      yield* Effect.sleep(Math.min(1000, leaseMillis / 4));
    }
    return { runsExported, runsTakenOver, rows };
  });
}
