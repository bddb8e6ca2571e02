/**
 * Paging as the real server does it: offset cursors. A cursor is the position after an edge,
 * so items created mid-scan shift later pages (wandb/wandb#6614, #7666).
 *
 * @module
 */
import { GraphQLError } from "graphql";

/**
 * Encodes an offset cursor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeOffsetCursor, offsetCursor } from "@effect-wandb/api/testing";
 * assert.ok(decodeOffsetCursor(offsetCursor(50)) === 50);
 * ```
 */
export function offsetCursor(offset: number): string {
  return btoa(`offset:${offset}`);
}

/** Decodes an offset cursor; `null` is the start. */
export function decodeOffsetCursor(cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  let text: string;
  try {
    text = atob(cursor);
  } catch {
    throw new GraphQLError(`invalid cursor ${cursor}`);
  }
  const match = /^offset:(\d+)$/.exec(text);
  if (match === null) throw new GraphQLError(`invalid cursor ${cursor}`);
  return Number(match[1]);
}

/** One page of a list with offset cursors, in the Relay connection shape. */
export function offsetPage<A>(
  items: ReadonlyArray<A>,
  after: string | null | undefined,
  first: number | null | undefined,
  defaultFirst = 50,
): {
  edges: Array<{ node: A; cursor: string }>;
  pageInfo: {
    startCursor: string | null;
    endCursor: string | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
  };
  totalCount: number;
} {
  const start = decodeOffsetCursor(after);
  const size = first ?? defaultFirst;
  const slice = items.slice(start, start + size);
  const edges = slice.map((node, i) => ({ node, cursor: offsetCursor(start + i + 1) }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
    },
    totalCount: items.length,
  };
}
