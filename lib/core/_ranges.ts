/**
 * HTTP byte ranges, both ways: the `Range` header a ranged read asks with, and what a `206`'s
 * `Content-Range` says it holds. Every ranged read of the library (file parts, resumed
 * downloads, Parquet footers and row groups) goes through these two.
 *
 * @module
 */

/** Bytes `[start, end)` of a file, or its last `suffix` bytes. */
export type ByteRange =
  | { readonly start: number; readonly end: number }
  | { readonly suffix: number };

/**
 * The `Range` header asking for `range`, or for the bytes from `from` on (to `end`, exclusive);
 * `undefined` when the whole file is asked for.
 */
export function rangeHeader(
  range: ByteRange | { readonly from: number; readonly end?: number | undefined },
): string | undefined {
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  if ("start" in range) return `bytes=${range.start}-${range.end - 1}`;
  if (range.from <= 0 && range.end === undefined) return undefined;
  return `bytes=${range.from}-${range.end === undefined ? "" : range.end - 1}`;
}

/** What a `206` answer's `Content-Range` says: `[start, end)` of a file of `totalSize` bytes. */
export interface ContentRange {
  readonly start: number;
  readonly end: number;
  readonly totalSize: number;
}

const contentRangePattern = /^bytes\s+(\d+)-(\d+)\/(\d+)$/;

/** Reads a `Content-Range` header (`bytes 0-99/1000`); `undefined` when it is not one. */
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  const match = contentRangePattern.exec(header?.trim() ?? "");
  if (match === null) return undefined;
  return { start: Number(match[1]), end: Number(match[2]) + 1, totalSize: Number(match[3]) };
}
