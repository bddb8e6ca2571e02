/**
 * How many connections the downloads of one call hold, and in what parts a large file comes:
 * from what storage is measured to do, not from numbers tuned for one network.
 *
 * - Connections in flight start where the official client starts and grow by half while that
 *   makes answers come faster (when storage waits before each first byte, as W&B's does, more
 *   requests in flight means more answers a second, until the link or the machine is full);
 *   a growth that did not pay is taken back, and tried again a few rounds later. They halve on
 *   a 429, a 5xx, a timeout or a body cut off, and never pass what a memory budget leaves room
 *   for.
 * - A file comes in parts when one connection would take many first-byte times to fetch it;
 *   its parts are large enough that the wait for each first byte is a small share of it.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Semaphore from "effect/Semaphore";

/**
 * What a connection in flight holds in the process beyond the engine's two buffers: measured
 * with Deno's `fetch` from 32 to 128 downloads at once (bench:artifacts --saas), peak RSS grew
 * by ~1 MB a connection in all (the runtime's HTTP read buffers and body queue, and the heap).
 */
export const runtimeBytesPerConnection = 896 * 1024;

/** Rounds a limit is held once growth stopped paying, before it is tried again. */
export const heldRounds = 4;

/** Connections never grow past this, whatever the budget allows. */
export const mostConnections = 256;

/**
 * The number of requests in flight, grown while that makes answers come faster and halved on
 * trouble (see the module documentation). Pure: the caller applies the limit and the clock.
 */
export class AdaptiveLimit {
  current: number;
  /** The limit before the last growth, to go back to if it did not pay. */
  private previous: number;
  /** Answers per ms over the last round, and when and how many of this round. */
  private lastRate: number | undefined;
  private roundStart: number | undefined;
  private answers = 0;
  /**
   * The first round after a start (or after trouble) is not judged: the requests that all set
   * out at once answer in a burst, faster than they ever will again.
   */
  private warm = false;
  /**
   * Growth stopped paying: hold for {@link heldRounds} rounds, then look again (one round's rate
   * is noisy when files differ in size: a round of large ones can hide a growth that paid).
   */
  private settled = false;
  private held = 0;

  constructor(
    private readonly bounds: {
      readonly initial: number;
      readonly least: number;
      readonly most: number;
    },
  ) {
    this.current = bounds.initial;
    this.previous = bounds.initial;
  }

  /** Answers at one limit before it is judged: as many as it allows, at least 8. */
  private get round(): number {
    return Math.max(8, this.current);
  }

  /**
   * An answer began at `now` (ms): at the end of each round, the limit grows by half while the
   * last growth made answers come at least 15% faster, and goes back when it did not. Returns
   * whether the limit changed.
   */
  answered(now: number): boolean {
    this.roundStart ??= now;
    if (++this.answers < this.round) return false;
    const rate = this.answers / Math.max(1, now - this.roundStart);
    this.answers = 0;
    this.roundStart = now;
    if (!this.warm) {
      this.warm = true;
      return false;
    }
    const before = this.lastRate;
    this.lastRate = rate;
    if (this.settled) {
      if (++this.held < heldRounds) return false;
      this.settled = false;
      this.held = 0;
    } else if (
      before !== undefined && this.current > this.previous && rate < before * 1.15
    ) {
      // More in flight, no faster: the link or the machine is full.
      this.settled = true;
      const changed = this.current !== this.previous;
      this.current = this.previous;
      return changed;
    }
    const next = Math.min(this.bounds.most, Math.ceil(this.current * 1.5));
    this.previous = this.current;
    const changed = next !== this.current;
    this.current = next;
    return changed;
  }

  /** A request met a 429, a 5xx, a timeout or a cut-off body: half as many; returns whether it changed. */
  trouble(): boolean {
    const next = Math.max(this.bounds.least, Math.floor(this.current / 2));
    const changed = next !== this.current;
    this.current = next;
    this.previous = next;
    this.lastRate = undefined;
    this.answers = 0;
    this.roundStart = undefined;
    this.warm = false;
    this.settled = false;
    this.held = 0;
    return changed;
  }
}

/** What downloads have measured of storage: a first byte's wait and a connection's rate. */
export interface LinkEstimate {
  /**
   * Milliseconds to a first byte, averaged: storage's, or (before storage has answered) the
   * API's own round trips, as a guess of how far away the servers are.
   */
  readonly firstByteMillis: number;
  /** Bytes per second one connection brings, averaged over bodies of 1 MiB or more. */
  readonly bytesPerSecond: number | undefined;
}

/**
 * Storage this near (a first byte within 20 ms: the same machine or network) is not waited for:
 * the machine is the bound, so each file streams over one connection, hashed as it streams.
 */
export const nearMillis = 20;

/**
 * A connection this fast gains little from parts: one core's MD5 (~500-600 MB/s here) bounds a
 * verified download of one file, and parts are hashed by reading them back. (A connection's
 * rate is measured as the engine consumes it, hashing on the same thread: ~400 MB/s on
 * loopback, where parts of the same file were 10-20% slower than one stream.)
 */
export const fastBytesPerSecond = 250 * 1024 * 1024;

/** The API's round trips, by the config of the client making them (see {@link LinkMeter}). */
const apiRoundTrips = new WeakMap<object, number>();

/** A GraphQL request of the client with `config` was answered after `millis`. */
export function apiAnswered(config: object, millis: number): void {
  // The fastest answer: the first ones also pay for opening the connection, and a large one
  // for its size; the fastest is nearest to the distance.
  apiRoundTrips.set(config, Math.min(millis, apiRoundTrips.get(config) ?? Infinity));
}

/** Bodies smaller than this say little of a connection's rate (their time is mostly waiting). */
const rateSampleBytes = 1024 * 1024;

/** The measurements of one client's downloads, kept across its calls. */
export class LinkMeter {
  private firstByte: number | undefined;
  private rate: number | undefined;

  /** A request's answer began `millis` after it was sent. */
  firstByteAfter(millis: number): void {
    this.firstByte = this.firstByte === undefined ? millis : this.firstByte * 0.8 + millis * 0.2;
  }

  /** A body of `bytes` took `millis` from its first byte to its last. */
  bodyRead(bytes: number, millis: number): void {
    if (bytes < rateSampleBytes || millis <= 0) return;
    const rate = (bytes / millis) * 1000;
    this.rate = this.rate === undefined ? rate : this.rate * 0.7 + rate * 0.3;
  }

  /** What has been measured, once a first byte has; else the API's round trips, if any. */
  estimate(apiConfig?: object): LinkEstimate | undefined {
    const api = apiConfig === undefined ? undefined : apiRoundTrips.get(apiConfig);
    const firstByte = this.firstByte ?? api;
    return firstByte === undefined
      ? undefined
      : { firstByteMillis: firstByte, bytesPerSecond: this.rate };
  }
}

const meters = new WeakMap<object, LinkMeter>();

/** The meter of `client`'s downloads, made on first use. */
export function linkMeterOf(client: object): LinkMeter {
  let meter = meters.get(client);
  if (meter === undefined) meters.set(client, meter = new LinkMeter());
  return meter;
}

/** The smallest part of a file fetched in parts, and the largest. */
export const minPartBytes = 8 * 1024 * 1024;
export const maxPartBytes = 64 * 1024 * 1024;

const MiB = 1024 * 1024;

/**
 * The part size of a file of `size` bytes, or `undefined` to fetch it over one connection.
 * Near storage (first bytes within 20 ms) or a connection faster than one core's MD5: one
 * connection. Far storage whose rate is not known yet: parts of 8 MiB from 16 MiB. Measured:
 * parts once one connection would take more than 8 first-byte times for the file; each part
 * then takes about 4 first-byte times to arrive (the wait for its first byte a fifth of it),
 * or less so that `parallel` connections all get one, within 8 to 64 MiB.
 */
export function partBytesFor(
  size: number,
  link: LinkEstimate | undefined,
  parallel: number,
): number | undefined {
  if (size < 2 * minPartBytes) return undefined;
  if (link !== undefined && link.firstByteMillis < nearMillis) return undefined;
  if (link?.bytesPerSecond === undefined) return minPartBytes;
  const { firstByteMillis, bytesPerSecond } = link;
  if (bytesPerSecond >= fastBytesPerSecond) return undefined;
  if ((size / bytesPerSecond) * 1000 < 8 * firstByteMillis) return undefined;
  const part = Math.min(
    (4 * bytesPerSecond * firstByteMillis) / 1000,
    size / Math.max(1, parallel),
  );
  return Math.min(maxPartBytes, Math.max(minPartBytes, Math.ceil(part / MiB) * MiB));
}

/** The connections of one call's downloads, and what they learn. */
export interface DownloadGovernor {
  /** Runs `effect` holding one connection of the call's (a file's stream, or a part). */
  readonly connection: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>;
  /** The most connections it may ever allow (what the memory budget leaves room for). */
  readonly most: number;
  /** The connections it allows now. */
  readonly current: () => number;
  /** What this client's downloads have measured of storage. */
  readonly meter: LinkMeter;
  /** An answer's first byte came after `millis`. */
  readonly firstByteAfter: (millis: number) => Effect.Effect<void>;
  /**
   * {@link DownloadGovernor.firstByteAfter} from code that is not an effect (a promise, as the
   * answer comes): measured now, the connections follow at the next
   * {@link DownloadGovernor.settle}.
   */
  readonly noteFirstByte: (millis: number) => void;
  /** Gives the connections what the limit has become. */
  readonly settle: Effect.Effect<void>;
  /** A 429, a 5xx, a timeout or a cut-off body. */
  readonly trouble: Effect.Effect<void>;
}

/** Options of {@link makeDownloadGovernor}. */
export interface GovernorOptions {
  /** Connections at first. */
  readonly initial: number;
  /** Keep exactly `initial` (a caller's own `concurrency`): measure, but never resize. */
  readonly fixed: boolean;
  /** Bytes the connections may hold, their buffers and the runtime's included. */
  readonly memoryBudget: number;
  /** The engine's buffer size per read (two per connection). */
  readonly bufferBytes: number;
}

/** A {@link DownloadGovernor} for one call of `client`'s. */
export function makeDownloadGovernor(client: object, options: GovernorOptions): DownloadGovernor {
  const perConnection = 2 * options.bufferBytes + runtimeBytesPerConnection;
  const most = options.fixed ? options.initial : Math.max(
    options.initial,
    Math.min(mostConnections, Math.floor(options.memoryBudget / perConnection)),
  );
  const limit = new AdaptiveLimit({
    initial: options.initial,
    least: options.fixed ? options.initial : Math.min(options.initial, 4),
    most,
  });
  const permits = Semaphore.makeUnsafe(options.initial);
  const meter = linkMeterOf(client);
  /** The permits the semaphore holds. */
  let granted = options.initial;
  const settle = Effect.suspend(() => {
    if (limit.current === granted) return Effect.void;
    granted = limit.current;
    return permits.resize(granted);
  });
  const noteFirstByte = (millis: number) => {
    meter.firstByteAfter(millis);
    limit.answered(performance.now());
  };
  return {
    connection: permits.withPermits(1),
    most,
    current: () => limit.current,
    meter,
    firstByteAfter: (millis) => Effect.suspend(() => (noteFirstByte(millis), settle)),
    noteFirstByte,
    settle,
    trouble: Effect.suspend(() => (limit.trouble(), settle)),
  };
}
