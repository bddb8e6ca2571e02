/**
 * One mechanism for every paginated W&B collection: a cursor connection becomes a lazy Stream.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import { DecodeError, type RequestError } from "./errors.ts";
import type { GraphqlRequest } from "./graphql.ts";

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

/**
 * Whether a smaller page may get an answer where this one did not: W&B answers a heavy page
 * slowly (a timeout) or not at all (502, 504) when it costs the server too much; a 429 or an
 * error of the request itself is not about the page's size.
 */
const pageTooLarge = (error: RequestError): boolean =>
  (error._tag === "ServerError" && error.status >= 500) ||
  (error._tag === "TransportError" && error.reason === "timeout");

/**
 * A listing's page size when the caller left it to us: it starts where the official client
 * starts, doubles while pages come back fast (under `fastMillis`), halves when one is slow
 * (over `slowMillis`) and when one is about to be retried after a 5xx or a timeout (the retry
 * asks for the smaller page), never below `least` nor above `most`. Cursors make any size safe:
 * each page starts after the last item read, whatever the size of the one before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PageSizer } from "@effect-wandb/api/graphql";
 * const sizer = new PageSizer({ initial: 50, least: 10, most: 1000 });
 * sizer.answered(200); // fast
 * assert.equal(sizer.size, 100);
 * sizer.answered(9000); // slow
 * assert.equal(sizer.size, 50);
 * ```
 */
export class PageSizer {
  /** Items to ask for in the next page. */
  size: number;

  constructor(
    private readonly bounds: {
      readonly initial: number;
      readonly least: number;
      readonly most: number;
      readonly fastMillis?: number | undefined;
      readonly slowMillis?: number | undefined;
    },
  ) {
    this.size = bounds.initial;
  }

  /** A page came back after `millis`. */
  answered(millis: number): void {
    if (millis < (this.bounds.fastMillis ?? 1000)) {
      this.size = Math.min(this.bounds.most, this.size * 2);
    } else if (millis > (this.bounds.slowMillis ?? 4000)) {
      this.size = Math.max(this.bounds.least, Math.floor(this.size / 2));
    }
  }

  /**
   * The request of the next page at the current size, timed by {@link PageSizer.answered}, and
   * asked again at half the size (down to `least`) when it is retried after a 5xx or a timeout.
   */
  request<A>(build: (size: number) => GraphqlRequest<A>): GraphqlRequest<A> {
    const sized = (): GraphqlRequest<A> => ({
      ...build(this.size),
      retryAs: (error) => {
        if (!pageTooLarge(error) || this.size <= this.bounds.least) return undefined;
        this.size = Math.max(this.bounds.least, Math.floor(this.size / 2));
        return sized();
      },
    });
    return sized();
  }

  /** `execute` of the next page's request, its time telling the size of the page after it. */
  page<A, E, R>(
    build: (size: number) => GraphqlRequest<A>,
    execute: (request: GraphqlRequest<A>) => Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E, R> {
    return Effect.suspend(() => {
      const started = performance.now();
      return Effect.tap(
        execute(this.request(build)),
        () => Effect.sync(() => this.answered(performance.now() - started)),
      );
    });
  }
}

/**
 * How a listing asks for each page: at the caller's `perPage` when given, page by page as asked;
 * otherwise through a {@link PageSizer} from the official client's `initial` up to `most`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Effect } from "effect";
 * import { sizedPages } from "@effect-wandb/api/graphql";
 * const asked: Array<number> = [];
 * const page = sizedPages(undefined, 50, 1000);
 * const fetch = (size: number) => ({ operation: "X", document: { definitions: [], text: "" }, variables: { size }, decoder: undefined as never });
 * const run = page(fetch, (request) => Effect.sync(() => void asked.push(request.variables.size as number)));
 * await Effect.runPromise(Effect.andThen(run, run));
 * assert.deepEqual(asked, [50, 100]);
 * ```
 */
export function sizedPages(
  perPage: number | undefined,
  initial: number,
  most: number,
): <A, E, R>(
  build: (size: number) => GraphqlRequest<A>,
  execute: (request: GraphqlRequest<A>) => Effect.Effect<A, E, R>,
) => Effect.Effect<A, E, R> {
  const sizer = perPage === undefined ? new PageSizer({ initial, least: 10, most }) : undefined;
  return (build, execute) =>
    sizer === undefined ? execute(build(perPage!)) : sizer.page(build, execute);
}
