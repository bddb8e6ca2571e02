/**
 * Checkpoints of an incremental export: what a sync has durably written, so the next one asks
 * the server only for what may have changed, and a crashed one resumes without a row lost or
 * written twice. One service, two stores: a JSON file replaced atomically, and Deno KV.
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Data from "effect/Data";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import * as Schedule from "effect/Schedule";
import { readJsonFile, replaceJsonFile } from "./_files.ts";

/** What a sync remembers of one run. */
export interface RunCheckpoint {
  /** The last history step written for the run, `-1` before any. */
  readonly lastStep: number;
  /** The run's state when last seen: runs still `running` are looked at again next time. */
  readonly state: string;
  /** The run's `heartbeatAt` when last seen. */
  readonly heartbeatAt: string | null;
  /** A digest of the run's row in the runs table: a change (summary, config, tags) rewrites it. */
  readonly fingerprint: string;
}

/** Everything a sync has durably written. */
export interface Checkpoint {
  /** The bytes of the history file that are whole and accounted for; more is cut on resume. */
  readonly historyBytes: number;
  /**
   * The latest `createdAt` or `heartbeatAt` of the runs seen: the next sync asks only for runs
   * created or heartbeating since (and those that were still running).
   */
  readonly highWaterMark: string | null;
  /** Per run path (`entity/project/run`). */
  readonly runs: Readonly<Record<string, RunCheckpoint>>;
}

/** The checkpoint of an export that has written nothing yet. */
export const emptyCheckpoint: Checkpoint = { historyBytes: 0, highWaterMark: null, runs: {} };

/**
 * A checkpoint could not be read or written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CheckpointError } from "@effect-wandb/api/sync";
 * const e = new CheckpointError({ where: "export/.checkpoint.json", message: "not JSON" });
 * assert.ok(e._tag === "CheckpointError");
 * ```
 */
export class CheckpointError extends Data.Error<{
  /** The file or KV key prefix. */
  readonly where: string;
  readonly message: string;
}> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "CheckpointError" as const;
}

/**
 * A Deno KV call as an Effect failing with a `CheckpointError` at `where`, retried while the
 * store is busy: a local KV file shared by processes answers "database is locked" when two
 * commit at once, which passes in milliseconds.
 */
export const kvCall = <A>(
  where: string,
  call: () => Promise<A>,
): Effect.Effect<A, CheckpointError> =>
  Effect.tryPromise({
    try: call,
    catch: (e) =>
      new CheckpointError({ where, message: e instanceof Error ? e.message : String(e) }),
  }).pipe(
    Effect.retry({
      schedule: Schedule.exponential("5 millis", 1.5).pipe(Schedule.jittered),
      times: 30,
      while: (e) => /locked|busy/i.test(e.message),
    }),
  );

/** What the {@link Checkpoints} service does. */
export interface CheckpointStore {
  /** The last saved checkpoint, or {@link emptyCheckpoint}. */
  readonly load: Effect.Effect<Checkpoint, CheckpointError>;
  /**
   * Saves `checkpoint` as one atomic write. `changedRuns` names the runs whose entries changed
   * since the last save (a store that keeps runs apart writes only those).
   */
  readonly save: (
    checkpoint: Checkpoint,
    changedRuns: ReadonlyArray<string>,
  ) => Effect.Effect<void, CheckpointError>;
}

const isCheckpoint = (value: unknown): value is Checkpoint =>
  typeof value === "object" && value !== null &&
  typeof (value as Checkpoint).historyBytes === "number" &&
  typeof (value as Checkpoint).runs === "object" && (value as Checkpoint).runs !== null;

/** A checkpoint store in one JSON file, replaced by rename so it is always whole. */
function fileStore(path: string): CheckpointStore {
  const fail = (message: string) => new CheckpointError({ where: path, message });
  return {
    load: Effect.tryPromise({
      try: () =>
        readJsonFile(path, emptyCheckpoint, (value) => {
          if (!isCheckpoint(value)) throw new Error("not a checkpoint");
          return value;
        }),
      catch: (e) => fail(e instanceof Error ? e.message : String(e)),
    }),
    save: (checkpoint) =>
      Effect.tryPromise({
        try: () => replaceJsonFile(path, checkpoint),
        catch: (e) => fail(e instanceof Error ? e.message : String(e)),
      }),
  };
}

/**
 * Deno KV's limits: 64 KiB per value and 1,000 mutations per atomic commit. Each run has a key of
 * its own (a checkpoint of thousands of runs outgrows one value), and a save writes the runs that
 * changed and the head in one commit.
 */
const maxMutationsPerCommit = 1000;

/** A checkpoint store in Deno KV under `prefix`: a head key and one key per run. */
function kvStore(kv: Deno.Kv, prefix: Deno.KvKey): CheckpointStore {
  const where = JSON.stringify(prefix);
  const headKey = [...prefix, "head"];
  return {
    load: kvCall(where, async () => {
      const head = await kv.get<Omit<Checkpoint, "runs">>(headKey);
      if (head.value === null) return emptyCheckpoint;
      const runs: Record<string, RunCheckpoint> = {};
      for await (const entry of kv.list<RunCheckpoint>({ prefix: [...prefix, "run"] })) {
        runs[entry.key[entry.key.length - 1] as string] = entry.value;
      }
      return { ...head.value, runs };
    }),
    save: (checkpoint, changedRuns) =>
      kvCall(where, async () => {
        if (changedRuns.length + 1 > maxMutationsPerCommit) {
          throw new Error(
            `${changedRuns.length} changed runs do not fit one atomic commit: save more often`,
          );
        }
        const { runs, ...head } = checkpoint;
        const commit = kv.atomic().set(headKey, head);
        for (const run of changedRuns) {
          const entry = runs[run];
          if (entry === undefined) commit.delete([...prefix, "run", run]);
          else commit.set([...prefix, "run", run], entry);
        }
        const result = await commit.commit();
        if (!result.ok) throw new Error("the atomic commit was refused");
      }),
  };
}

const CheckpointsBase: Context.ServiceClass<
  Checkpoints,
  "effect-wandb/Checkpoints",
  CheckpointStore
> = Context.Service<Checkpoints, CheckpointStore>()("effect-wandb/Checkpoints");

/**
 * Where an incremental export keeps its {@link Checkpoint}: provide {@link Checkpoints.file}
 * (a JSON file, for a CLI or a cron job with a disk) or {@link Checkpoints.kv} (Deno KV, for Deno
 * Deploy or workers sharing a KV).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { Checkpoints } from "@effect-wandb/api/sync";
 * const dir = await Deno.makeTempDir();
 * const runs = Effect.gen(function* () {
 *   const checkpoints = yield* Checkpoints;
 *   yield* checkpoints.save({ historyBytes: 10, highWaterMark: null, runs: {} }, []);
 *   return (yield* checkpoints.load).historyBytes;
 * });
 * const bytes = await Effect.runPromise(runs.pipe(Effect.provide(Checkpoints.file(`${dir}/c.json`))));
 * assert.ok(bytes === 10);
 * ```
 */
export class Checkpoints extends CheckpointsBase {
  /** Checkpoints in a JSON file at `path`, replaced atomically at each save. */
  static file(path: string): Layer.Layer<Checkpoints> {
    return Layer.succeed(Checkpoints, fileStore(path));
  }

  /** Checkpoints in Deno KV under `prefix` (e.g. `["wandb-export", "acme/mnist"]`). */
  static kv(kv: Deno.Kv, prefix: Deno.KvKey): Layer.Layer<Checkpoints> {
    return Layer.succeed(Checkpoints, kvStore(kv, prefix));
  }
}
