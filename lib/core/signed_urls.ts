/**
 * Signed URLs expire (W&B's last an hour; storage then answers 403, or 400 on GCS). One
 * mechanism renews them for every reader: run files and their parts, an artifact's files, a
 * history's Parquet export read row group by row group. Callers holding the current URL share
 * one request for the next; callers holding an older one take the current without asking.
 *
 * @module
 */
import * as Effect from "effect/Effect";

/**
 * A value asked for again when it turns out stale (a signed URL storage refused): callers
 * holding the current value share one request for the next, and callers holding an older one
 * take the current without asking.
 */
export interface Renewable<A, E> {
  /** The newest value. */
  readonly current: () => A;
  /** Requests made so far. */
  readonly renewals: () => number;
  /** The value after `seen`: the current one if newer, else the answer to one shared request. */
  readonly renew: (seen: A) => Effect.Effect<A, E>;
}

/**
 * A {@link Renewable} starting at `initial`, renewed by `ask`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { renewable } from "./signed_urls.ts";
 * let asked = 0;
 * const url = renewable("a", Effect.sync(() => `b${++asked}`));
 * const [x, y] = Effect.runSync(Effect.all([url.renew("a"), url.renew("a")]));
 * assert.deepEqual([x, y, asked], ["b1", "b1", 1]);
 * ```
 */
export function renewable<A, E>(initial: A, ask: Effect.Effect<A, E>): Renewable<A, E> {
  let value = initial;
  let renewals = 0;
  let asking: Effect.Effect<A, E> | undefined;
  return {
    current: () => value,
    renewals: () => renewals,
    renew: (seen) =>
      Effect.gen(function* () {
        if (seen !== value) return value;
        let pending = asking;
        if (pending === undefined) {
          renewals++;
          pending = yield* Effect.cached(Effect.map(ask, (fresh) => {
            value = fresh;
            return fresh;
          }));
          asking = pending;
        }
        return yield* pending.pipe(Effect.ensuring(Effect.sync(() => {
          if (asking === pending) asking = undefined;
        })));
      }),
  };
}

/** Whether storage refused a signed URL as one that expired: 403, or 400 as GCS answers. */
export function refusedAsExpired(
  error: { readonly _tag: string; readonly status?: number },
): boolean {
  return error._tag === "PermissionError" || (error._tag === "ServerError" && error.status === 400);
}

/**
 * Runs `use` on the current URL of `url`; when storage refuses it as expired, renews it and runs
 * `use` again, up to `renewals` times in all for this URL (the refusal stands after that).
 */
export function withSignedUrl<A, E extends { readonly _tag: string; readonly status?: number }, E2>(
  url: Renewable<string, E2>,
  use: (url: string) => Effect.Effect<A, E>,
  renewals = 3,
): Effect.Effect<A, E | E2> {
  return Effect.suspend(() => {
    const current = url.current();
    return use(current).pipe(
      Effect.catchIf(
        (error) =>
          refusedAsExpired(error) && (current !== url.current() || url.renewals() < renewals),
        () => Effect.andThen(url.renew(current), withSignedUrl(url, use, renewals)),
      ),
    );
  });
}
