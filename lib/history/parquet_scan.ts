/**
 * A run's history from the server's Parquet export (W&B's `parquetHistory`): the files under
 * signed URLs, read by HTTP range (the footer, then one row group per request), renewed when
 * they expire, and the steps not exported yet paged with GraphQL.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { releaseMemory } from "../core/buffers.ts";
import { outputTurn } from "../core/_retry_waits.ts";
import { DecodeError, type NotFoundError, type RequestError } from "../core/errors.ts";
import type { RunPath } from "../core/paths.ts";
import { renewable, withSignedUrl } from "../core/signed_urls.ts";
import type { RangeDownload, WandbClient } from "../core/transport.ts";
import { runOf, stepOf } from "./formats.ts";
import {
  type ParquetFile,
  parquetFile,
  parquetFooter,
  parquetFooterLength,
  rowGroupByteRange,
  withRowGroupBytes,
} from "./parquet.ts";
import { parquetHistoryQuery } from "./queries.ts";
import { type Batch, batchOf, graphqlScan, type ScanPlan, slices } from "./windows.ts";

/** The object a signed URL names: the URL without its signature. */
const objectOf = (url: string) => {
  const parsed = new URL(url);
  return parsed.origin + parsed.pathname;
};

const parquetDownload = { operation: "GET parquet history", authenticated: false } as const;

const unreadable = (what: string, error: unknown) =>
  new DecodeError({
    operation: parquetDownload.operation,
    path: what.startsWith("http") ? new URL(what).pathname : what,
    message: `Cannot read the Parquet export: ${String(error)}`,
  });

/** The last bytes fetched first: enough for the metadata of all but very wide files. */
const footerGuess = 64 * 1024;

/**
 * Before any export is seen: most runs' exports are smaller than this, and come whole with their
 * first request; a larger one costs this much more than its footer, once per client.
 */
const firstExportBytes = 2 * 1024 * 1024;

/** Exports up to this size are fetched whole when their size is expected. */
const wholeExportBytes = 4 * 1024 * 1024;

/**
 * The size of the exports a client has opened: a project's runs have exports of similar sizes,
 * so once one is known, the next is asked for whole when that is small (one request for the
 * footer and every row group, instead of one for each).
 */
const exportSizes = new WeakMap<WandbClient, number>();

/** The suffix to ask for first: a small export whole (with room to spare), else the footer. */
const firstSuffix = (client: WandbClient): number => {
  const seen = exportSizes.get(client);
  if (seen === undefined) return firstExportBytes;
  return seen * 1.25 > wholeExportBytes
    ? footerGuess
    : Math.max(footerGuess, Math.ceil(seen * 1.25));
};

/**
 * Opens a Parquet export by its metadata: its last bytes, fetched by range (a second request
 * when the metadata is larger than the first guess), or the whole file when the client's last
 * export was small (its row groups then need no request of their own). A server that ignores
 * ranges sends the whole file, which is then read as it is. Signed URLs are fetched without our
 * credentials: the key never reaches storage.
 */
function openParquetExport(
  client: WandbClient,
  url: string,
): Effect.Effect<ParquetFile, RequestError> {
  const footerOf = (tail: RangeDownload) =>
    Effect.tryPromise({
      try: () =>
        tail.start === 0 && tail.bytes.length === tail.totalSize
          ? parquetFile(tail.bytes)
          : parquetFooter(tail.bytes, tail.totalSize),
      catch: (e) => unreadable(url, e),
    });
  return client.downloadRange(url, { suffix: firstSuffix(client) }, parquetDownload).pipe(
    Effect.tap((tail) => Effect.sync(() => exportSizes.set(client, tail.totalSize))),
    Effect.flatMap((tail) =>
      Effect.try({ try: () => parquetFooterLength(tail.bytes), catch: (e) => unreadable(url, e) })
        .pipe(
          Effect.flatMap((needed) =>
            needed <= tail.bytes.length
              ? footerOf(tail)
              : client.downloadRange(url, { suffix: needed }, parquetDownload).pipe(
                Effect.flatMap(footerOf),
              )
          ),
        )
    ),
  );
}

/** Row group `index` of an export, ready to decode: fetched by range unless the file is whole. */
function rowGroupOf(
  client: WandbClient,
  url: string,
  file: ParquetFile,
  index: number,
): Effect.Effect<ParquetFile, RequestError> {
  if (file.source instanceof ArrayBuffer) return Effect.succeed(file);
  const [start, end] = rowGroupByteRange(file, index);
  // A row group without bytes (no rows, or no column metadata) has nothing to fetch.
  if (end <= start) return Effect.succeed(withRowGroupBytes(file, new Uint8Array(0), start));
  return client.downloadRange(url, { start, end }, parquetDownload).pipe(
    Effect.map((group) => withRowGroupBytes(file, group.bytes, group.start)),
  );
}

/** The Parquet export of a run, when the server has one. */
export interface ParquetExport {
  readonly urls: ReadonlyArray<string>;
  /** The first step not in the export (live rows are fetched with GraphQL from here). */
  readonly firstLiveStep: number | undefined;
}

/** The Parquet export of a run (`RunParquetHistory`). */
export function parquetExport(
  client: WandbClient,
  path: RunPath,
): Effect.Effect<ParquetExport, RequestError | NotFoundError> {
  return client.execute(parquetHistoryQuery(path)).pipe(
    Effect.flatMap(runOf("RunParquetHistory", path)),
    Effect.map(({ parquetHistory }) => {
      const live = parquetHistory.liveData.map(stepOf).filter((s) => s >= 0);
      return {
        urls: parquetHistory.parquetUrls,
        firstLiveStep: live.length === 0 ? undefined : Math.min(...live),
      };
    }),
  );
}

/**
 * Rows decoded from a Parquet row group at once: ten pages' worth, so that the exports we know
 * (row groups of a few thousand rows) are decoded whole, and a larger group in pieces.
 */
const parquetSliceRows = (pageSize: number): number => 10 * pageSize;

export function parquetScan<Source, Out>(
  plan: ScanPlan<Source, Out>,
  exported: ParquetExport,
): Stream.Stream<Batch<Source>, RequestError | NotFoundError> {
  const { format, client, path, pageSize, concurrency } = plan;
  // Neither files nor live steps: a run not exported yet (a running one), whose rows are all live
  // (W&B answers so until hours after a run ends; wandb/wandb#12067).
  const exportedEnd = exported.firstLiveStep ??
    (exported.urls.length === 0 ? plan.lo : plan.hi);
  // Files one after the other; in each, row groups fetched by HTTP range, `concurrency - 1` at
  // a time (at least one): memory holds a row group or two per run, never a whole export,
  // however long the run.
  const files = Stream.fromIterable(exported.urls).pipe(
    Stream.flatMap((url) => {
      // A long export read by range can outlive its URL: the server signs the same object again
      // (the URL naming it in a fresh answer); without one, the refusal stands.
      const signed = renewable(
        url,
        Effect.flatMap(parquetExport(client, path), ({ urls }) => {
          const again = urls.find((fresh) => objectOf(fresh) === objectOf(url));
          return Effect.succeed(again ?? url);
        }),
      );
      // One renewal per request: a URL refused again after it was signed anew stays refused.
      const withUrl = <A>(use: (url: string) => Effect.Effect<A, RequestError>) =>
        Effect.suspend(() => withSignedUrl(signed, use, signed.renewals() + 1));
      return Stream.unwrap(
        Effect.map(
          withUrl((u) => openParquetExport(client, u)),
          (file) =>
            Stream.fromIterable(file.rowGroups.map((rows, index) => ({ rows, index }))).pipe(
              Stream.mapEffect(
                ({ rows: [start, end], index }) =>
                  withUrl((u) => rowGroupOf(client, u, file, index)).pipe(
                    Effect.flatMap((group) => {
                      // Decoded only once the run's rows are next to be written (in a scan of
                      // many runs): the runs ahead hold their row groups' bytes, a third of the
                      // NDJSON they print to, and V8 sees a run's decoding die young.
                      const decode = (from: number, to: number) =>
                        Effect.andThen(
                          outputTurn,
                          Effect.tryPromise({
                            try: () => format.fromParquet(group, from, to),
                            catch: (e) => unreadable(url, e),
                          }),
                        ).pipe(Effect.map((rows) => batchOf(format, rows, exportedEnd)));
                      // Decoded a slice at a time when it is large: an export that puts a long
                      // run in one row group (a writer's default can be a million rows) then
                      // costs a slice of rows, not the run. A usual group is decoded here, whole.
                      const sliceRows = parquetSliceRows(pageSize);
                      return end - start <= sliceRows
                        ? Effect.map(decode(start, end), (batch) => Stream.make(batch))
                        : Effect.succeed(
                          Stream.fromIterable(slices(start, end, sliceRows)).pipe(
                            Stream.mapEffect(([from, to]) => decode(from, to)),
                          ),
                        );
                    }),
                  ),
                // A row group holds several pages' rows: one fewer in flight than windows
                // (with the defaults, one per run; the other runs keep the connection busy).
                { concurrency: Math.max(1, concurrency - 1) },
              ),
              Stream.flatten(),
              // A whole export is freed once its rows are out: held while the runs before it
              // were written, it would outlive young collections and wait for a full one.
              Stream.ensuring(Effect.sync(() => {
                if (file.source instanceof ArrayBuffer) releaseMemory(file.source);
              })),
            ),
        ),
      );
    }),
  );
  const live = exportedEnd < plan.hi
    ? graphqlScan({ ...plan, keys: undefined, lo: Math.max(plan.lo, exportedEnd) })
    : Stream.empty;
  return Stream.concat(files, live);
}
