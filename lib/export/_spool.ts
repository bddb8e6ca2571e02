/**
 * Records read once and written in several formats: the stream is copied to a temporary file
 * (each record in V8's serialization, which keeps `NaN`, `Infinity`, big integers and nested
 * values as they are) while the union of its keys is gathered, then read back from that file
 * as often as there are formats. CSV and Parquet need every column before their first row, so
 * without a spool each of them reads the stream twice, and every format once more: the server
 * would be asked five times for `csv,ndjson,parquet`.
 *
 * @module
 */
import { deserialize, serialize } from "node:v8";
import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import * as Stream from "effect/Stream";
import { writeAll } from "../core/_write_all.ts";
import { ExportError, type ExportRecord } from "./sinks.ts";

/** A stream copied to disk: its columns, and its records read back from the copy. */
export interface Spool {
  /** Every key of every record, in the order first seen. */
  readonly columns: ReadonlyArray<string>;
  readonly records: Stream.Stream<ExportRecord, ExportError>;
}

/** Frames of the file: a 4-byte little-endian length, then the serialized record. */
const frameHeaderBytes = 4;

/** How the spool files are named: hidden, and recognisable if a killed export left one. */
export const spoolPrefix = ".effect-wandb-spool-";

/**
 * Copies `records` to a file in `dir`, removed when the scope closes. Memory holds one chunk of
 * records at a time, writing and reading. The file goes beside the export's own files (not to
 * the system's temporary directory), where the export may write.
 */
export function spoolRecords<E, R>(
  records: Stream.Stream<ExportRecord, E, R>,
  dir: string,
): Effect.Effect<Spool, E | ExportError, R | Scope.Scope> {
  return Effect.gen(function* () {
    const path = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => Deno.makeTempFile({ dir, prefix: spoolPrefix }),
        catch: (e) => new ExportError({ path: "(spool)", message: String(e) }),
      }),
      (file) => Effect.promise(() => Deno.remove(file).catch(() => {})),
    );
    const failed = (e: unknown) => new ExportError({ path, message: String(e) });
    const columns = new Set<string>();
    const file = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => Deno.open(path, { write: true }), catch: failed }),
      (f) => Effect.sync(() => f.close()),
    );
    yield* Stream.runForEachArray(records, (chunk) =>
      Effect.tryPromise({
        try: async () => {
          const frames = chunk.map((record) => {
            for (const key of Object.keys(record)) columns.add(key);
            return serialize(record);
          });
          const bytes = new Uint8Array(
            frames.reduce((n, frame) => n + frameHeaderBytes + frame.length, 0),
          );
          const view = new DataView(bytes.buffer);
          let at = 0;
          for (const frame of frames) {
            view.setUint32(at, frame.length, true);
            bytes.set(frame, at + frameHeaderBytes);
            at += frameHeaderBytes + frame.length;
          }
          await writeAll(file, bytes);
        },
        catch: failed,
      }));
    return {
      columns: [...columns],
      // A reader of its own each time the stream runs.
      records: Stream.suspend(() => Stream.fromAsyncIterable(readFrames(path), failed)),
    };
  });
}

/** The records of a spool file, a block of them at a time. */
async function* readFrames(path: string): AsyncGenerator<ExportRecord> {
  using file = await Deno.open(path);
  let pending = new Uint8Array(0);
  const block = new Uint8Array(256 * 1024);
  for (let read = await file.read(block); read !== null; read = await file.read(block)) {
    const bytes = new Uint8Array(pending.length + read);
    bytes.set(pending);
    bytes.set(block.subarray(0, read), pending.length);
    const view = new DataView(bytes.buffer);
    let at = 0;
    while (at + frameHeaderBytes <= bytes.length) {
      const length = view.getUint32(at, true);
      if (at + frameHeaderBytes + length > bytes.length) break;
      yield deserialize(bytes.subarray(at + frameHeaderBytes, at + frameHeaderBytes + length));
      at += frameHeaderBytes + length;
    }
    pending = bytes.slice(at);
  }
  if (pending.length > 0) throw new Error(`the spool ${path} ends inside a record`);
}
