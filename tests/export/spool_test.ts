import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { spoolPrefix, spoolRecords } from "../../lib/export/_spool.ts";

/** The spool files in `dir`. */
const spoolFiles = (dir: string) =>
  Array.fromAsync(Deno.readDir(dir), (entry) => entry.name).then((names) =>
    names.filter((name) => name.startsWith(spoolPrefix))
  );

Deno.test("a spool gives back every record as it was, as often as it is read", async () => {
  const big = "x".repeat(300 * 1024); // a record larger than one read of the file
  const records = [
    { _step: 0, loss: Number.NaN, lr: Infinity, low: -Infinity },
    { _step: 1, count: 12345678901234567890n, media: { _type: "image-file", size: [28, 28] } },
    { _step: 2, text: big, missing: null },
    ...Array.from({ length: 5_000 }, (_, i) => ({ _step: 3 + i, loss: i / 7 })),
  ];
  const dir = await Deno.makeTempDir();
  const { columns, first, second, left } = await Effect.runPromise(Effect.scoped(
    Effect.gen(function* () {
      const spool = yield* spoolRecords(
        Stream.fromIterable(records).pipe(Stream.rechunk(100)),
        dir,
      );
      const first = yield* Stream.runCollect(spool.records);
      const second = yield* Stream.runCollect(spool.records);
      const left = yield* Effect.promise(() => spoolFiles(dir));
      return { columns: spool.columns, first, second, left };
    }),
  ));
  assert.deepEqual(columns, [
    "_step",
    "loss",
    "lr",
    "low",
    "count",
    "media",
    "text",
    "missing",
  ]);
  assert.deepEqual(first, records);
  assert.deepEqual(second, records);
  assert.equal(left.length, 1, "the spool file is in the directory while the scope is open");
  assert.deepEqual(await spoolFiles(dir), [], "the spool file is removed with the scope");
  await Deno.remove(dir);
});
