/**
 * One mechanism for every paginated W&B collection: a cursor connection becomes a lazy Stream.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import { DecodeError } from "./errors.ts";

/** One page of a cursor connection, as the decoders produce it. */
export interface Page<A> {
  /** The items of this page, in server order. */
  readonly items: ReadonlyArray<A>;
  /** The cursor that fetches the next page: `pageInfo.endCursor` or the last edge's cursor. */
  readonly nextCursor: string | null;
  /** Whether the server says more pages follow. */
  readonly hasNextPage: boolean;
  /** The size of the whole collection, when the connection reports it. */
  readonly totalCount?: number | undefined;
}

/** What {@link paginate} needs to know about a collection. */
export interface PaginateOptions<A, E, R> {
  /** Names the collection's operation in the pagination error. */
  readonly operation: string;
  /** Fetches the page after `cursor` (`null` for the first page). Retries belong in here. */
  readonly fetchPage: (cursor: string | null) => Effect.Effect<Page<A>, E, R>;
  /** Where paging starts: `null`, or a cursor saved from an earlier page. */
  readonly start?: string | null | undefined;
}

/**
 * Pages of a cursor connection, fetched one request per pull.
 *
 * Nothing is requested until the stream is pulled, and each page is requested only when the
 * previous one has been consumed, so `Stream.take(n)` stops the requests. The stream ends after
 * a page with `hasNextPage: false`. A page that claims more pages but gives no cursor, or the
 * same cursor again, fails with a `DecodeError` at `pageInfo.endCursor` instead of looping.
 *
 * @example Counting requests while taking items
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { paginatePages } from "@effect-wandb/api/graphql";
 * let requests = 0;
 * const pages = paginatePages({
 *   operation: "Numbers",
 *   fetchPage: (cursor) =>
 *     Effect.sync(() => {
 *       requests++;
 *       const from = cursor === null ? 0 : Number(cursor);
 *       return { items: [from, from + 1], nextCursor: String(from + 2), hasNextPage: true };
 *     }),
 * });
 * await Effect.runPromise(Stream.runCollect(Stream.take(pages, 1)));
 * assert.ok(requests === 1);
 * ```
 */
export function paginatePages<A, E, R>(
  options: PaginateOptions<A, E, R>,
): Stream.Stream<Page<A>, E | DecodeError, R> {
  // The page number, for traces: which request of a long listing a span belongs to.
  let pageNumber = 0;
  return Stream.paginate(
    options.start ?? null,
    (cursor: string | null): Effect.Effect<
      readonly [ReadonlyArray<Page<A>>, Option.Option<string | null>],
      E | DecodeError,
      R
    > =>
      Effect.flatMap(
        Effect.annotateSpans(options.fetchPage(cursor), { "wandb.page": pageNumber++ }),
        (page) => {
          if (!page.hasNextPage) return Effect.succeed([[page], Option.none()] as const);
          if (page.nextCursor === null || page.nextCursor === cursor) {
            return Effect.fail(
              new DecodeError({
                operation: options.operation,
                path: "pageInfo.endCursor",
                message: page.nextCursor === null
                  ? "The server says more pages follow but gave no cursor"
                  : `The server returned the same cursor '${cursor}' again`,
              }),
            );
          }
          return Effect.succeed([[page], Option.some(page.nextCursor)] as const);
        },
      ),
  );
}

/**
 * The items of a cursor connection, in order, fetched one page per pull: see
 * {@link paginatePages} for when requests happen and how the stream ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { paginate } from "@effect-wandb/api/graphql";
 * const items = paginate({
 *   operation: "Letters",
 *   fetchPage: (cursor) =>
 *     Effect.succeed(
 *       cursor === null
 *         ? { items: ["a", "b"], nextCursor: "2", hasNextPage: true }
 *         : { items: ["c"], nextCursor: null, hasNextPage: false },
 *     ),
 * });
 * const all = await Effect.runPromise(Stream.runCollect(items));
 * assert.ok(all.join("") === "abc");
 * ```
 */
export function paginate<A, E, R>(
  options: PaginateOptions<A, E, R>,
): Stream.Stream<A, E | DecodeError, R> {
  return paginatePages(options).pipe(Stream.flatMap((page) => Stream.fromIterable(page.items)));
}

/**
 * Drops items whose key was already emitted.
 *
 * W&B pages runs with offset cursors: a run created (or re-ordered) while a scan is under way
 * shifts later pages, so the next page can repeat items (wandb/wandb#6614, #7666). This keeps
 * the keys seen so far: a few bytes per item, never the items themselves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect, Stream } from "effect";
 * import { distinctBy } from "@effect-wandb/api/graphql";
 * const out = await Effect.runPromise(
 *   Stream.runCollect(distinctBy(Stream.make("a", "b", "a", "c"), (s) => s)),
 * );
 * assert.ok(out.join("") === "abc");
 * ```
 */
export function distinctBy<A, E, R>(
  stream: Stream.Stream<A, E, R>,
  key: (item: A) => string,
): Stream.Stream<A, E, R> {
  return Stream.suspend(() => {
    const seen = new Set<string>();
    return Stream.filter(stream, (item) => {
      const k = key(item);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  });
}
