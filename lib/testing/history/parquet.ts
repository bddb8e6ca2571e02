/**
 * The local server's Parquet history exports, served under signed, expiring URLs.
 *
 * Like W&B, a run's history is exported to Parquet once it has ended; a running run has no
 * export (its rows are read with GraphQL), unless `runningExportedShare` models a run resumed
 * after its export, whose newest rows come back as `liveData` (their `liveKeys`). Exports are
 * built on first request and cached per run and row count.
 *
 * @module
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import { jsonColumnsMetadataKey } from "../../history/parquet.ts";
import { printWandbJson } from "../../core/wandb_json.ts";
import type { ParquetHistoryProvider } from "../resource.ts";
import type { EmulatorStore } from "../store.ts";
import type { StoredRun } from "../runs/store.ts";
import type { HistoryRow } from "./store.ts";
import { UrlSigner } from "../storage.ts";

/** What the exports see of their server: its store, and storage's origin for their URLs. */
export interface ParquetServer {
  readonly storageUrl: string;
  readonly store: EmulatorStore;
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** Whether an integer (a whole number or a bigint) is within Parquet's INT64. */
const fitsInt64 = (value: number | bigint): boolean => {
  const big = typeof value === "bigint" ? value : BigInt(value);
  return big >= int64Min && big <= int64Max;
};

const isNumeric = (value: unknown): boolean =>
  typeof value === "number" || typeof value === "bigint";

/**
 * Encodes history rows as one Parquet file: every key a column (numbers DOUBLE, `NaN` and
 * `±Infinity` included; integers with one beyond 2^53 INT64, or DOUBLE when one is beyond
 * INT64 too; strings UTF8; objects, lists,
 * booleans and mixed columns W&B's JSON text, named in the file's metadata), absent keys and
 * `null`s as nulls (Parquet cannot tell them apart), `rowGroupRows` rows to a row group.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readParquetHistory } from "@effect-wandb/api/history";
 * import { historyToParquet } from "@effect-wandb/api/testing";
 * const rows = [{ _step: 0, loss: 1, media: { _type: "histogram", values: [1] } }, { _step: 1 }];
 * const back = await readParquetHistory(historyToParquet(rows));
 * assert.ok(JSON.stringify(back) === JSON.stringify(rows));
 * ```
 */
export function historyToParquet(
  rows: ReadonlyArray<HistoryRow>,
  rowGroupRows = 5_000,
): Uint8Array<ArrayBuffer> {
  const columns: Array<string> = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const jsonColumns: Array<string> = [];
  const columnData = columns.map((name) => {
    const values = rows.map((r) => r[name]);
    const present = values.filter((v) => v !== undefined && v !== null);
    if (
      present.some((v) => typeof v === "bigint") &&
      present.every((v) => typeof v === "bigint" || Number.isInteger(v)) &&
      present.every((v) => fitsInt64(v as number | bigint))
    ) {
      return {
        name,
        data: values.map((v) => v === undefined || v === null ? null : BigInt(v as number)),
        type: "INT64" as const,
        nullable: true,
      };
    }
    if (present.some((v) => typeof v === "bigint") && present.every(isNumeric)) {
      // Integers past INT64 beside them (a whole float such as 7e20): W&B's export has a DOUBLE
      // column there, as pyarrow makes of Python numbers that do not fit an int64.
      return {
        name,
        data: values.map((v) => v === undefined || v === null ? null : Number(v)),
        type: "DOUBLE" as const,
        nullable: true,
      };
    }
    if (present.every((v) => typeof v === "number")) {
      // A metric logged at every step is a REQUIRED column: readers get a plain Float64Array.
      return present.length === rows.length
        ? {
          name,
          data: Float64Array.from(values as Array<number>),
          type: "DOUBLE" as const,
          nullable: false,
        }
        : {
          name,
          data: values.map((v) => (typeof v === "number" ? v : null)),
          type: "DOUBLE" as const,
          nullable: true,
        };
    }
    const isJson = !present.every((v) => typeof v === "string");
    if (isJson) jsonColumns.push(name);
    return {
      name,
      data: values.map((v) =>
        v === undefined || v === null ? null : isJson ? printWandbJson(v, "token") : String(v)
      ),
      type: "STRING" as const,
      nullable: true,
    };
  });
  const buffer = parquetWriteBuffer({
    columnData,
    // Row groups are what readers can decode on their own: small ones keep streaming readers'
    // memory flat however long the run.
    rowGroupSize: rowGroupRows,
    kvMetadata: [{ key: jsonColumnsMetadataKey, value: JSON.stringify(jsonColumns) }],
  });
  return new Uint8Array(buffer);
}

/** Options of {@link parquetExports}. */
export interface ParquetExportOptions {
  /**
   * How long a signed URL stays valid.
   * @default {300}
   */
  readonly signedUrlTtlSeconds?: number | undefined;
  /**
   * Share of a running run's steps already exported, the rest answered as `liveData`. W&B
   * exports a run's history hours after it ends (wandb/wandb#12511), so a running run has
   * neither export nor live steps (#12067, #12073): 0, the default. A share above 0 stands for a
   * run resumed after its export, whose pages straddle the export and the live rows.
   * @default {0}
   */
  readonly runningExportedShare?: number | undefined;
  /**
   * Rows per row group. W&B does not say what its exports use; a writer's default (pyarrow's is
   * a million rows) puts a whole run in one, which a reader must not decode at once.
   * @default {5000}
   */
  readonly rowGroupRows?: number | undefined;
}

/** The Parquet export provider and the route that serves its signed URLs. */
export interface ParquetExports {
  /** Answers `Run.parquetHistory`. */
  readonly provider: ParquetHistoryProvider;
  /** Answers `Run.parquetHistory` with URLs that have expired already (the `staleUrls` fault). */
  readonly staleProvider: ParquetHistoryProvider;
  /** Expires every URL signed so far. */
  expireAll(): void;
  /** Serves `GET /_storage/history/<file>?expires=…&signature=…`; `undefined` for other paths. */
  route(request: Request): Response | undefined;
}

const routePrefix = "/_storage/history/";

/**
 * Parquet exports for a server: signs URLs with a secret made at start, and caches each run's
 * export until its row count changes.
 *
 * @example
 * ```ts
 * import { startEmulator } from "@effect-wandb/api/testing";
 * const server = await startEmulator(); // exports are on by default
 * await server.close();
 * ```
 */
export function parquetExports(
  server: ParquetServer,
  options?: ParquetExportOptions,
): ParquetExports {
  const signer = new UrlSigner(options?.signedUrlTtlSeconds ?? 300);
  const share = options?.runningExportedShare ?? 0;
  const files = new Map<string, Uint8Array<ArrayBuffer>>();
  const cache = new Map<number, { count: number; name: string; exportedEnd: number }>();

  const exportRun = (run: StoredRun) => {
    const count = server.store.history.count(run);
    const cached = cache.get(run.seq);
    if (cached !== undefined && cached.count === count) return cached;
    if (cached !== undefined) files.delete(cached.name);
    const last = server.store.history.lastStep(run);
    const exportedEnd = run.state === "running" ? Math.floor((last + 1) * share) : last + 1;
    const rows = [...server.store.history.rows(run, 0, exportedEnd)];
    const name = `${run.seq}-${count}-${crypto.randomUUID()}.parquet`;
    files.set(name, historyToParquet(rows, options?.rowGroupRows));
    const entry = { count, name, exportedEnd };
    cache.set(run.seq, entry);
    return entry;
  };

  const provider = (stale: boolean): ParquetHistoryProvider => ({
    parquetHistory: (run, liveKeys) => {
      const exported = exportRun(run);
      const url = `${server.storageUrl}${routePrefix}${exported.name}?${
        signer.sign(exported.name, stale)
      }`;
      const liveData: Array<HistoryRow> = [];
      for (
        const row of server.store.history.rows(run, exported.exportedEnd, Number.MAX_SAFE_INTEGER)
      ) {
        liveData.push(
          Object.fromEntries(liveKeys.filter((k) => k in row).map((k) => [k, row[k]])),
        );
      }
      return Promise.resolve({ parquetUrls: exported.exportedEnd > 0 ? [url] : [], liveData });
    },
  });

  return {
    provider: provider(false),
    staleProvider: provider(true),
    expireAll: () => signer.expireAll(),
    route: (request) => {
      const url = new URL(request.url);
      if (request.method !== "GET" || !url.pathname.startsWith(routePrefix)) return undefined;
      const name = url.pathname.slice(routePrefix.length);
      const refused = signer.refusal(name, url);
      if (refused !== undefined) return new Response(refused, { status: 403 });
      const bytes = files.get(name);
      if (bytes === undefined) return new Response("no such export", { status: 404 });
      return rangeResponse(bytes, request.headers.get("range"), "application/vnd.apache.parquet");
    },
  };
}

const rangePattern = /^bytes=(\d*)-(\d*)$/;

/**
 * A file answer honouring a single-range `Range` header, as storage buckets do: `206` with
 * `Content-Range` for `bytes=a-b`, `bytes=a-` and `bytes=-n`, `416` for a range past the end,
 * `200` with the whole file without one (or with one this server does not read).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rangeResponse } from "@effect-wandb/api/testing";
 * const r = rangeResponse(new Uint8Array([1, 2, 3, 4]), "bytes=-2", "application/octet-stream");
 * assert.ok(r.status === 206 && r.headers.get("content-range") === "bytes 2-3/4");
 * ```
 */
export function rangeResponse(
  bytes: Uint8Array<ArrayBuffer>,
  range: string | null,
  contentType: string,
): Response {
  const headers = { "content-type": contentType, "accept-ranges": "bytes" };
  const match = range === null ? null : rangePattern.exec(range.trim());
  if (match === null || (match[1] === "" && match[2] === "")) {
    return new Response(bytes, { headers });
  }
  const size = bytes.length;
  let start: number;
  let end: number; // inclusive
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) {
    return new Response("range not satisfiable", {
      status: 416,
      headers: { "content-range": `bytes */${size}` },
    });
  }
  return new Response(bytes.subarray(start, end + 1), {
    status: 206,
    headers: { ...headers, "content-range": `bytes ${start}-${end}/${size}` },
  });
}
