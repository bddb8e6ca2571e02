/**
 * What a watch remembers between ticks: where each run's history was read to, how long each
 * threshold has held, which runs were running, and which alerts were delivered, so repeated ticks
 * never alert twice and a delivery that failed is tried again. A JSON file replaced atomically, or
 * Deno KV (one key per run and per delivered alert, for a scheduled Deno Deploy job).
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Data from "effect/Data";
import * as Effect from "effect/Effect";
import * as Layer from "effect/Layer";
import { readJsonFile, replaceJsonFile } from "../sync/_files.ts";
import type { Alert } from "./evaluate.ts";

/** What a watch remembers of one run. */
export interface WatchedRun {
  /** The last history step evaluated, `-1` before any. */
  readonly lastStep: number;
  /** Per threshold rule, the logged rows in a row that met its condition. */
  readonly streaks: Readonly<Record<string, number>>;
  /** Its state when last seen. */
  readonly state: string;
}

/** Everything a watch remembers. */
export interface WatchState {
  /** When the last tick started (ISO 8601): the next lists runs heartbeating since. */
  readonly mark: string | null;
  /** Per run path. */
  readonly runs: Readonly<Record<string, WatchedRun>>;
  /** Per alert id (run and rule), when it was delivered. */
  readonly delivered: Readonly<Record<string, string>>;
  /**
   * Alerts fired but not delivered yet, by id: kept before the runs' cursors move past what
   * fired them, so a tick killed before delivering leaves them for the next.
   */
  readonly pending: Readonly<Record<string, Alert>>;
}

/** The state of a watch that has not ticked yet. */
export const emptyWatchState: WatchState = { mark: null, runs: {}, delivered: {}, pending: {} };

/**
 * A watch's state could not be read or written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WatchStateError } from "@effect-wandb/api/watch";
 * assert.ok(new WatchStateError({ where: "watch.json", message: "not JSON" })._tag === "WatchStateError");
 * ```
 */
export class WatchStateError extends Data.Error<{
  /** The file or KV key prefix. */
  readonly where: string;
  readonly message: string;
}> {
  /** Discriminant for `Effect.catchTag`. */
  readonly _tag = "WatchStateError" as const;
}

/** What changed since the last save: only these are written by a store that keeps them apart. */
export interface WatchChanges {
  readonly runs: ReadonlyArray<string>;
  readonly delivered: ReadonlyArray<string>;
  /** Alert ids fired (now in `pending`) or delivered (gone from it). */
  readonly pending: ReadonlyArray<string>;
}

/** Where a watch keeps its state. */
export interface WatchStateStore {
  /** The last saved state, or {@link emptyWatchState}. */
  readonly load: Effect.Effect<WatchState, WatchStateError>;
  /** Saves `state` in one atomic write. */
  readonly save: (state: WatchState, changes: WatchChanges) => Effect.Effect<void, WatchStateError>;
}

const failure = (where: string) => (e: unknown) =>
  new WatchStateError({ where, message: e instanceof Error ? e.message : String(e) });

function fileStore(path: string): WatchStateStore {
  return {
    load: Effect.tryPromise({
      try: () =>
        readJsonFile(path, emptyWatchState, (read) => {
          const value = read as WatchState;
          if (typeof value?.runs !== "object" || typeof value?.delivered !== "object") {
            throw new Error("not a watch state");
          }
          return { ...value, pending: value.pending ?? {} };
        }),
      catch: failure(path),
    }),
    save: (state) =>
      Effect.tryPromise({
        try: () => replaceJsonFile(path, state),
        catch: failure(path),
      }),
  };
}

function kvStore(kv: Deno.Kv, prefix: Deno.KvKey): WatchStateStore {
  const where = JSON.stringify(prefix);
  const head = [...prefix, "head"];
  const call = <A>(body: () => Promise<A>) =>
    Effect.tryPromise({ try: body, catch: failure(where) });
  return {
    load: call(async () => {
      const mark = (await kv.get<string | null>(head)).value ?? null;
      const runs: Record<string, WatchedRun> = {};
      for await (const e of kv.list<WatchedRun>({ prefix: [...prefix, "run"] })) {
        runs[e.key[e.key.length - 1] as string] = e.value;
      }
      const delivered: Record<string, string> = {};
      for await (const e of kv.list<string>({ prefix: [...prefix, "delivered"] })) {
        delivered[e.key[e.key.length - 1] as string] = e.value;
      }
      const pending: Record<string, Alert> = {};
      for await (const e of kv.list<Alert>({ prefix: [...prefix, "pending"] })) {
        pending[e.key[e.key.length - 1] as string] = e.value;
      }
      return { mark, runs, delivered, pending };
    }),
    save: (state, changes) =>
      call(async () => {
        // Deno KV commits at most 1,000 mutations at once: a tick's changes come in slices.
        const writes: Array<(op: Deno.AtomicOperation) => Deno.AtomicOperation> = [
          (op) => op.set(head, state.mark),
          ...changes.runs.map((run) => (op: Deno.AtomicOperation) => {
            const entry = state.runs[run];
            return entry === undefined
              ? op.delete([...prefix, "run", run])
              : op.set([...prefix, "run", run], entry);
          }),
          ...changes.delivered.map((id) => (op: Deno.AtomicOperation) =>
            op.set([...prefix, "delivered", id], state.delivered[id]!)
          ),
          ...changes.pending.map((id) => (op: Deno.AtomicOperation) => {
            const alert = state.pending[id];
            return alert === undefined
              ? op.delete([...prefix, "pending", id])
              : op.set([...prefix, "pending", id], alert);
          }),
        ];
        for (let i = 0; i < writes.length; i += 900) {
          let op = kv.atomic();
          for (const write of writes.slice(i, i + 900)) op = write(op);
          const result = await op.commit();
          if (!result.ok) throw new Error("the KV commit was refused");
        }
      }),
  };
}

const WatchStatesBase: Context.ServiceClass<
  WatchStates,
  "effect-wandb/WatchStates",
  WatchStateStore
> = Context.Service<WatchStates, WatchStateStore>()("effect-wandb/WatchStates");

/**
 * Where a watch keeps its state, as a service.
 *
 * @example
 * ```ts
 * import { WatchStates } from "@effect-wandb/api/watch";
 * const inAFile = WatchStates.file(".watch-state.json");
 * ```
 */
export class WatchStates extends WatchStatesBase {
  /** A JSON file, replaced atomically. */
  static file(path: string): Layer.Layer<WatchStates> {
    return Layer.succeed(WatchStates, fileStore(path));
  }

  /** Deno KV under `prefix` (one key per run and per delivered alert). */
  static kv(kv: Deno.Kv, prefix: Deno.KvKey): Layer.Layer<WatchStates> {
    return Layer.succeed(WatchStates, kvStore(kv, prefix));
  }
}
