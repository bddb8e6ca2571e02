import assert from "node:assert/strict";
import { Effect, Stream } from "effect";
import { spoolRecords } from "../../lib/export/_spool.ts";

/** The spool files in the temporary directory (found without reading TMPDIR). */
async function spoolFiles(): Promise<Array<string>> {
  const probe = await Deno.makeTempFile();
  await Deno.remove(probe);
  const names: Array<string> = [];
  for await (const entry of Deno.readDir(probe.slice(0, probe.lastIndexOf("/")))) {
    if (entry.name.startsWith("effect-wandb-spool-")) names.push(entry.name);
  }
  return names;
}

Deno.test("a spool gives back every record as it was, as often as it is read", async () => {
  const big = "x".repeat(300 * 1024); // a record larger than one read of the file
  const records = [
    { _step: 0, loss: Number.NaN, lr: Infinity, low: -Infinity },
    { _step: 1, count: 12345678901234567890n, media: { _type: "image-file", size: [28, 28] } },
    { _step: 2, text: big, missing: null },
    ...Array.from({ length: 5_000 }, (_, i) => ({ _step: 3 + i, loss: i / 7 })),
  ];
  const { columns, first, second, left } = await Effect.runPromise(Effect.scoped(
    Effect.gen(function* () {
      const spool = yield* spoolRecords(Stream.fromIterable(records).pipe(Stream.rechunk(100)));
      const first = yield* Stream.runCollect(spool.records);
      const second = yield* Stream.runCollect(spool.records);
      const left = yield* Effect.promise(spoolFiles);
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
  assert.ok(left.length > 0, "the spool file exists while the scope is open");
  for (const name of await spoolFiles()) assert.ok(!left.includes(name), `${name} left behind`);
});
