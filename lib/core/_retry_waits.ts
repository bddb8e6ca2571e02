/**
 * Runs that step aside while they wait to retry. A scan of many runs reads a few at a time; when
 * a run's request waits out a `RateLimit-Reset` (or a back-off), that run cannot move, yet it
 * held one of the few places. Here the transport tells the run it is waiting, the run gives its
 * place to the next run meanwhile, and takes a place again before it retries. The runs' outputs
 * come one run after another ({@link orderedFlatMap}), and a run learns when its turn to be
 * written out has come ({@link OutputTurn}).
 *
 * @module
 */
import type * as Cause from "effect/Cause";
import * as Context from "effect/Context";
import * as Deferred from "effect/Deferred";
import * as Effect from "effect/Effect";
import * as Queue from "effect/Queue";
import * as Stream from "effect/Stream";

/** Told by the transport when a request starts waiting to retry, and when it is about to. */
export interface RetryWaits {
  readonly waiting: Effect.Effect<void>;
  readonly resumed: Effect.Effect<void>;
}

/** The {@link RetryWaits} of the fiber's request: none unless a gated run provides one. */
export const RetryWaits: Context.Reference<RetryWaits> = Context.Reference<RetryWaits>(
  "effect-wandb/RetryWaits",
  { defaultValue: () => ({ waiting: Effect.void, resumed: Effect.void }) },
);

/**
 * A run's turn in an ordered scan of many ({@link orderedFlatMap}): `reached` waits until the run
 * is the one being written out. Work that only turns what a run fetched into its output (decoding
 * a Parquet row group) waits for it, so that the runs ahead hold what they fetched, not what it
 * decodes to: the CPU is one, and the output waits for the runs before it anyway.
 */
export interface OutputTurn {
  /** Succeeds once the run is the one being written out (at once if it already is). */
  readonly reached: Effect.Effect<void>;
}

/** The {@link OutputTurn} of the fiber's run: reached at once unless an ordered scan says. */
export const OutputTurn: Context.Reference<OutputTurn> = Context.Reference<OutputTurn>(
  "effect-wandb/OutputTurn",
  { defaultValue: () => ({ reached: Effect.void }) },
);

/** Waits for the fiber's run to be the one written out (see {@link OutputTurn}). */
export const outputTurn: Effect.Effect<void> = Effect.flatMap(
  Effect.service(OutputTurn),
  (turn) => turn.reached,
);

/**
 * Places for runs: a run takes one to start, gives it back while all its requests wait to retry,
 * and takes one again when it retries, at once, even when that puts more runs at work than
 * `limit` for a while (making a retry wait for a place would stretch a 100 ms back-off to a whole
 * run's time). Only starting runs wait for a place.
 */
class RunPlaces {
  private working = 0;
  private readonly starting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Waits for a place to start a run. */
  readonly start: Effect.Effect<void> = Effect.callback<void>((resume) => {
    const enter = () => {
      this.working++;
      resume(Effect.void);
    };
    if (this.working < this.limit) return enter();
    this.starting.push(enter);
    return Effect.sync(() => {
      const at = this.starting.indexOf(enter);
      if (at >= 0) this.starting.splice(at, 1);
    });
  });

  /** Gives a place back, to the next run waiting to start. */
  leave(): void {
    this.working--;
    while (this.working < this.limit && this.starting.length > 0) this.starting.shift()!();
  }

  /** Takes a place back without waiting. */
  rejoin(): void {
    this.working++;
  }
}

/**
 * How much the runs ahead of the one being read may hold between them (elements, or what they
 * weigh: bytes): the runs keep reading while the one before them is written out, without one
 * run's whole history in memory. The run being read never waits for room (it would wait for
 * itself), and an element heavier than the room gets it once the room is empty.
 */
class AheadRoom {
  private held = 0;
  private head = 0;
  private readonly waiting: Array<
    { readonly run: number; readonly weight: number; readonly go: () => void }
  > = [];

  constructor(private readonly room: number) {}

  private fits(weight: number): boolean {
    return this.held === 0 || this.held + weight <= this.room;
  }

  /** Waits until run `run` may add an element of `weight`: at once for the run being read. */
  take(run: number, weight: number): Effect.Effect<boolean> {
    return Effect.callback<boolean>((resume) => {
      if (run <= this.head) return resume(Effect.succeed(false));
      if (this.waiting.length === 0 && this.fits(weight)) {
        this.held += weight;
        return resume(Effect.succeed(true));
      }
      const entry = {
        run,
        weight,
        go: () => resume(Effect.succeed(run > this.head && (this.held += weight, true))),
      };
      this.waiting.push(entry);
      return Effect.sync(() => {
        const at = this.waiting.indexOf(entry);
        if (at >= 0) this.waiting.splice(at, 1);
      });
    });
  }

  /** An element of `weight` that held room was read. */
  give(weight: number): void {
    this.held -= weight;
    this.wake();
  }

  /** Run `run` is now the one being read: its waiting elements need no room. */
  reading(run: number): void {
    this.head = run;
    this.wake();
  }

  private wake(): void {
    for (let i = 0; i < this.waiting.length;) {
      const entry = this.waiting[i]!;
      if (entry.run <= this.head || this.fits(entry.weight)) {
        this.waiting.splice(i, 1);
        entry.go();
      } else {
        i++;
      }
    }
  }
}

/** How much the runs ahead may hold (see {@link orderedFlatMap}). */
export interface AheadRoomOptions<A> {
  /** What they may hold between them: elements, or what `weigh` says they weigh. */
  readonly room: number;
  /** An element's weight (its bytes, say); 1 each without it. */
  readonly weigh?: ((element: A) => number) | undefined;
}

/**
 * `scan` of every element of `items`, their outputs one run after another in the order of
 * `items` (each run's in its own order), while up to `active` runs are read at once: the runs
 * after the one being written out read ahead into memory, `ahead.room` elements between them
 * at most (or what they weigh, by `ahead.weigh`). A run whose every request waits to retry
 * steps aside for the next one (see {@link RetryWaits}); at most `8 * active` runs are started.
 * The same items give the same output, whatever the timing: what an export's files and a
 * resumed sync rely on.
 */
export function orderedFlatMap<I, A, E, E2, R>(
  items: Stream.Stream<I, E, R>,
  active: number,
  scan: (item: I) => Stream.Stream<A, E2>,
  ahead: AheadRoomOptions<A> = { room: 4 * active },
): Stream.Stream<A, E | E2, R> {
  // The stream's own scope: the runs' readers live as long as it does.
  return Stream.unwrap(Effect.gen(function* () {
    const scope = yield* Effect.scope;
    const places = new RunPlaces(active);
    const room = new AheadRoom(ahead.room);
    const weigh = ahead.weigh ?? (() => 1);
    let started = 0;
    const start = (item: I) =>
      Effect.gen(function* () {
        const run = started++;
        const queue = yield* Queue.unbounded<
          { readonly value: A; readonly weight: number },
          E2 | Cause.Done
        >();
        // Within a run of an outer ordered scan, the outer run's turn comes first.
        const outer = yield* Effect.service(OutputTurn);
        const turn = yield* Deferred.make<void>();
        const scanned = Stream.provideService(scan(item), OutputTurn, {
          reached: Effect.andThen(outer.reached, Deferred.await(turn)),
        });
        yield* placed(places, scanned).pipe(
          Stream.runForEach((value) => {
            const weight = weigh(value);
            return Effect.flatMap(
              room.take(run, weight),
              (held) => Queue.offer(queue, { value, weight: held ? weight : 0 }),
            );
          }),
          Effect.matchCauseEffect({
            onSuccess: () => Queue.end(queue),
            onFailure: (cause) => Queue.failCause(queue, cause),
          }),
          Effect.forkIn(scope),
        );
        return Stream.fromQueue(queue).pipe(
          Stream.map(({ value, weight }) => {
            if (weight > 0) room.give(weight);
            return value;
          }),
          Stream.onStart(Effect.sync(() => {
            room.reading(run);
            Deferred.doneUnsafe(turn, Effect.void);
          })),
        );
      });
    return items.pipe(
      // A run is started once it has a place: none waits inside, holding its share.
      Stream.mapEffect((item) => Effect.andThen(places.start, start(item))),
      // Runs are started ahead of the one being written out, as places free up.
      Stream.buffer({ capacity: 8 * active }),
      Stream.flatMap((run) => run),
    );
  }));
}

function placed<A, E>(places: RunPlaces, stream: Stream.Stream<A, E>): Stream.Stream<A, E> {
  // A gated scan inside another (a run's scan within a CLI's scan of runs) tells both.
  return Stream.unwrap(Effect.map(Effect.service(RetryWaits), (outer) => {
    // The place taken when the scan was let in.
    let holding = true;
    let waiting = 0;
    const leave = Effect.sync(() => {
      if (!holding) return;
      holding = false;
      places.leave();
    });
    const waits: RetryWaits = {
      waiting: Effect.suspend(() => ++waiting === 1 ? leave : Effect.void).pipe(
        Effect.andThen(outer.waiting),
      ),
      // Two requests of the run may wait at once: it takes its place back with the first back.
      resumed: Effect.sync(() => {
        waiting = Math.max(0, waiting - 1);
        if (holding) return;
        holding = true;
        places.rejoin();
      }).pipe(Effect.andThen(outer.resumed)),
    };
    return Stream.provideService(stream, RetryWaits, waits).pipe(Stream.ensuring(leave));
  }));
}
