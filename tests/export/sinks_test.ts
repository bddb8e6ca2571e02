import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { parquetReadObjects } from "hyparquet";
import { BufferPool, writeBytes, writeCsv, writeNdjson, writeParquet } from "../../mod.ts";

const rows = [
  { _step: 0, loss: 1.25, note: "a,b" },
  { _step: 1, loss: 1.0, "val/loss": 1.5 },
  { _step: 2, weights: { _type: "histogram", values: [1, 2], bins: [0, 1, 2] } },
];

Deno.test("writeCsv() unions columns across rows and quotes per RFC 4180", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  const n = await Effect.runPromise(writeCsv(path, Stream.fromIterable(rows)));
  assert.equal(n, 3);
  assert.equal(
    await Deno.readTextFile(path),
    [
      "_step,loss,note,val/loss,weights",
      '0,1.25,"a,b",,',
      "1,1,,1.5,",
      '2,,,,"{""_type"":""histogram"",""values"":[1,2],""bins"":[0,1,2]}"',
      "",
    ].join("\n"),
  );
});

Deno.test("writeNdjson() and writeParquet() keep every value, media objects included", async () => {
  const ndjson = await Deno.makeTempFile();
  const parquet = await Deno.makeTempFile();
  await Effect.runPromise(writeNdjson(ndjson, Stream.fromIterable(rows)));
  await Effect.runPromise(writeParquet(parquet, Stream.fromIterable(rows), { rowGroupSize: 2 }));
  const lines = (await Deno.readTextFile(ndjson)).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines, rows);
  const bytes = await Deno.readFile(parquet);
  const read = await parquetReadObjects({ file: bytes.buffer as ArrayBuffer });
  assert.equal(read.length, 3);
  assert.equal(read[0]!["loss"], 1.25);
  assert.equal(read[1]!["val/loss"], 1.5);
  assert.deepEqual(JSON.parse(read[2]!["weights"] as string), rows[2]!.weights);
});

Deno.test("writeParquet() refuses a value that does not fit its column, naming it", async () => {
  const path = await Deno.makeTempFile();
  const error = await Effect.runPromise(Effect.flip(writeParquet(
    path,
    Stream.fromIterable([{ loss: 1 }, { loss: 2 }, { loss: "nan" }]),
    { rowGroupSize: 2, columns: ["loss"] },
  )));
  assert.equal(error._tag, "ExportError");
  assert.match(error.message, /Column 'loss' holds DOUBLE values but row 2 has "nan"/);
});

Deno.test("an unwritable path fails with ExportError", async () => {
  const dir = await Deno.makeTempDir();
  const error = await Effect.runPromise(
    Effect.flip(writeNdjson(dir, Stream.make({ a: 1 }))),
  );
  assert.equal(error._tag, "ExportError");
  assert.equal(error._tag === "ExportError" && error.path, dir);
});

Deno.test("writeBytes() gives pooled chunks back to their pool once written, unless told not to", async (t) => {
  const path = await Deno.makeTempFile();
  const encoder = new TextEncoder();
  // Two chunks taken from a pool, filled with text, and one plain chunk.
  const pooled = (pool: BufferPool, text: string) => {
    const chunk = pool.take(text.length);
    return chunk.subarray(0, encoder.encodeInto(text, chunk).written);
  };
  try {
    await t.step("by default: back to the pool they came from", async () => {
      const pool = new BufferPool(4);
      const a = pooled(pool, "a\n");
      const b = pooled(pool, "bb\n");
      const plain = encoder.encode("c\n");
      const written = await Effect.runPromise(writeBytes(path, Stream.make(a, b, plain)));
      assert.equal(written, 7);
      assert.equal(await Deno.readTextFile(path), "a\nbb\nc\n");
      const reused = [pool.take(1).buffer, pool.take(1).buffer];
      assert.ok(reused.includes(a.buffer) && reused.includes(b.buffer));
    });
    await t.step("recycle: false keeps them", async () => {
      const pool = new BufferPool(4);
      const a = pooled(pool, "a\n");
      await Effect.runPromise(writeBytes(path, Stream.make(a), { recycle: false }));
      assert.notEqual(pool.take(1).buffer, a.buffer);
    });
  } finally {
    await Deno.remove(path);
  }
});
