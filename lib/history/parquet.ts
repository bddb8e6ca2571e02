/**
 * Reading W&B history exports (Parquet) into history rows.
 *
 * @module
 */
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import type { HistoryRow } from "./queries.ts";

/**
 * The Parquet key-value metadata entry listing the columns that hold JSON text (W&B media,
 * histograms, lists): readers parse them back so both history paths yield identical rows.
 */
export const jsonColumnsMetadataKey = "effect-wandb.json_columns";

/**
 * Decodes one Parquet history file into rows, in file order. Null cells are left out of the
 * row (a key a step did not log is absent, as in GraphQL rows); 64-bit integers become numbers;
 * JSON columns named in {@link jsonColumnsMetadataKey} are parsed back into objects.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { readParquetHistory, writeParquet } from "@effect-wandb/api";
 * const path = await Deno.makeTempFile();
 * await Effect.runPromise(writeParquet(path, Stream.make({ _step: 0, loss: 1 })));
 * const rows = await readParquetHistory(await Deno.readFile(path));
 * console.assert(rows[0]!.loss === 1);
 * ```
 */
export async function readParquetHistory(bytes: Uint8Array): Promise<Array<HistoryRow>> {
  const file = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const jsonEntry = metadata.key_value_metadata?.find((kv) => kv.key === jsonColumnsMetadataKey);
  const jsonColumns = new Set<string>(jsonEntry?.value ? JSON.parse(jsonEntry.value) : []);
  const objects = await parquetReadObjects({ file, metadata });
  const columns = metadata.schema.slice(1).map((element) => element.name);
  const rows: Array<HistoryRow> = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i]!;
    const row: Record<string, unknown> = {};
    for (const key of columns) {
      const value = object[key];
      if (value === null || value === undefined) continue;
      row[key] = typeof value === "bigint"
        ? Number(value)
        : jsonColumns.has(key) && typeof value === "string"
        ? JSON.parse(value)
        : value;
    }
    rows[i] = row;
  }
  return rows;
}
