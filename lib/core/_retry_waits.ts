/**
 * Runs that step aside while they wait to retry. A scan of many runs reads a few at a time; when
 * a run's request waits out a `RateLimit-Reset` (or a back-off), that run cannot move, yet it
 * held one of the few places. Here the transport tells the run it is waiting, the run gives its
 * place to the next run meanwhile, and takes a place again before it retries.
 *
 * @module
 */
import * as Context from "effect/Context";
import * as Effect from "effect/Effect";
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
 * `scan` of every element of `items`, `active` at a time: a scan whose every request in flight
 * waits to retry steps aside for the next one, so a run stalled by a 429 does not hold a place.
 * At most `8 * active` scans are started: under the fault matrix's 5% of 429s, each waiting 1 s,
 * about 20 runs wait at any time (`bench:faults`); a waiting run holds no more than its windows.
 * Outputs of different scans interleave; each scan's stay in order.
 */
export function gatedFlatMap<I, A, E, E2, R>(
  items: Stream.Stream<I, E, R>,
  active: number,
  scan: (item: I) => Stream.Stream<A, E2>,
): Stream.Stream<A, E | E2, R> {
  return Stream.unwrap(Effect.sync(() => {
    const places = new RunPlaces(active);
    return items.pipe(
      // A scan is started once it has a place: none waits inside the merge, holding its share.
      Stream.mapEffect((item) => Effect.as(places.start, item)),
      Stream.flatMap((item) => placed(places, scan(item)), {
        concurrency: 8 * active,
        // One buffered chunk per scan: with Effect's default (16 chunks of up to a window
        // each) the merge would hold most of a large export in memory.
        bufferSize: 1,
      }),
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
