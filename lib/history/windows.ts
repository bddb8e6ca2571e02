/**
 * A scan's windows: the steps `[lo, hi)` of a run cut into windows of `pageSize` steps, fetched
 * `concurrency` at a time in order (`HistoryPage`, or `SampledHistoryPage` with `keys`), and the
 * rows of every window or row group emitted in step order, each once.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import type { NotFoundError, RequestError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import type { WandbClient } from "../core/transport.ts";
import { type RowFormat, runOf } from "./formats.ts";
import { sampledHistoryPageQuery } from "./queries.ts";

/** What a scan of one run reads: the run, its steps `[lo, hi)`, and how. */
export interface ScanPlan<Source, Out> {
  readonly format: RowFormat<Source, Out>;
  readonly client: WandbClient;
  readonly path: RunPath;
  /** Only rows holding these keys, with only them (`SampledHistoryPage`); all when absent. */
  readonly keys: ReadonlyArray<string> | undefined;
  /** The first step (inclusive). */
  readonly lo: number;
  /** The step after the last (exclusive). */
  readonly hi: number;
  /** Steps per window. */
  readonly pageSize: number;
  /** Windows in flight at once. */
  readonly concurrency: number;
}

/**
 * Rows of one response or row group, with their steps (read once: a step costs a scan of the
 * row's text on the JSON path, and ordering and de-duplication both need it) and the step the
 * rows must stay below.
 */
export interface Batch<Source> {
  readonly source: Source;
  readonly steps: ArrayLike<number>;
  /** Rows at or above this step belong to a later part of the scan. */
  readonly end: number;
}

/** A batch of `source`, its steps read once. */
export const batchOf = <Source, Out>(
  format: RowFormat<Source, Out>,
  source: Source,
  end: number,
): Batch<Source> => ({ source, steps: format.steps(source), end });

/**
 * The rows of the batches whose step is inside `[lo, hi)`, below the batch's end and above every
 * step already emitted, in step order. Servers send rows sorted: the sort usually only checks.
 */
export function strictlyIncreasing<Source, Out, E, R>(
  format: RowFormat<Source, Out>,
  batches: Stream.Stream<Batch<Source>, E, R>,
  lo: number,
  hi: number,
): Stream.Stream<Out, E, R> {
  return Stream.suspend(() => {
    let last = -Infinity;
    return Stream.flatMap(batches, ({ source, steps, end }) => {
      const keys = sortKeys(steps);
      let order: ReadonlyArray<number> | undefined;
      for (let i = 1; i < keys.length && order === undefined; i++) {
        if (keys[i - 1]! > keys[i]!) {
          order = Array.from(keys, (_, k) => k).sort((a, b) => keys[a]! - keys[b]! || a - b);
        }
      }
      const below = Math.min(hi, end);
      // The usual page keeps every row in the order sent: no list of indices is made for it.
      let kept: Array<number> | undefined = order === undefined ? undefined : [];
      for (let k = 0; k < steps.length; k++) {
        const i = order === undefined ? k : order[k]!;
        const step = steps[i]!;
        // A row without a step cannot be placed or de-duplicated by it: it is kept where the
        // server put it, as the official client yields it, rather than dropped.
        if (step === noStep) {
          kept?.push(i);
          continue;
        }
        if (step < lo || step >= below || step <= last) {
          kept ??= Array.from({ length: k }, (_, j) => j);
          continue;
        }
        last = step;
        kept?.push(i);
      }
      return Stream.fromIterable(format.pick(source, kept));
    });
  });
}

/** The step the readers give a row without one. */
const noStep = -1;

/**
 * The keys rows are ordered by: their steps, a row without one taking the highest step sent
 * before it (so it stays after the rows the server sent before it).
 */
function sortKeys(steps: ArrayLike<number>): ArrayLike<number> {
  let keys: Float64Array | undefined;
  let highest = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step === noStep) {
      keys ??= Float64Array.from(steps);
      keys[i] = highest;
    } else if (step > highest) {
      highest = step;
    }
  }
  return keys ?? steps;
}

/** `[start, end)` cut into pieces of at most `size`: step windows, row-group slices. */
export function slices(start: number, end: number, size: number): Array<readonly [number, number]> {
  const pieces: Array<readonly [number, number]> = [];
  for (let from = start; from < end; from += size) pieces.push([from, Math.min(end, from + size)]);
  return pieces;
}

/** One GraphQL window `[lo, hi)` of the plan's run. */
function fetchWindow<Source, Out>(
  plan: ScanPlan<Source, Out>,
  lo: number,
  hi: number,
): Effect.Effect<Batch<Source>, RequestError | NotFoundError> {
  const { format, client, path, keys } = plan;
  const rows = keys === undefined
    ? format.page(client, path, lo, hi)
    // sampledHistory's maxStep is inclusive on the real server (wandb-core sends maxStep - 1);
    // the Python client sends the exclusive bound and can repeat the boundary row. We send
    // hi - 1, and strictlyIncreasing() drops a repeat if a server treats it as exclusive.
    : client.execute(
      sampledHistoryPageQuery(path, { keys, minStep: lo, maxStep: hi - 1, samples: hi - lo }),
    ).pipe(
      Effect.flatMap(runOf("SampledHistoryPage", path)),
      Effect.flatMap((run) =>
        format.fromObjects(
          "SampledHistoryPage",
          "project.run.sampledHistory.0",
          run.sampledHistory[0] ?? [],
        )
      ),
    );
  return Effect.map(rows, (source) => batchOf(format, source, hi));
}

/** The plan's windows, `concurrency` in flight, in order. */
export function graphqlScan<Source, Out>(
  plan: ScanPlan<Source, Out>,
): Stream.Stream<Batch<Source>, RequestError | NotFoundError> {
  return Stream.fromIterable(slices(plan.lo, plan.hi, plan.pageSize)).pipe(
    // Ordered: at most `concurrency` windows are in flight or waiting to be emitted.
    Stream.mapEffect(([a, b]) => fetchWindow(plan, a, b), { concurrency: plan.concurrency }),
  );
}
