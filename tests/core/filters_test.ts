import assert from "node:assert/strict";
import { Effect } from "effect";
import {
  and,
  config,
  encodeFilters,
  encodeOrder,
  field,
  nor,
  or,
  runField,
  summary,
} from "../../mod.ts";

const encode = (f: Parameters<typeof encodeFilters>[0]) => Effect.runSync(encodeFilters(f));

Deno.test("filter builder produces exactly the JSON the server expects", async (t) => {
  await t.step("plain equality is the bare value", () => {
    assert.equal(encode(runField.state.eq("finished")), '{"state":"finished"}');
  });
  await t.step("every comparison operator", () => {
    const lr = config("lr");
    assert.deepEqual(
      JSON.parse(encode(and(
        lr.ne(1),
        lr.gt(1),
        lr.gte(1),
        lr.lt(1),
        lr.lte(1),
        lr.in([1, 2]),
        lr.nin([3]),
        lr.exists(),
        runField.displayName.regex("^run-"),
      ))),
      {
        $and: [
          { "config.lr": { $ne: 1 } },
          { "config.lr": { $gt: 1 } },
          { "config.lr": { $gte: 1 } },
          { "config.lr": { $lt: 1 } },
          { "config.lr": { $lte: 1 } },
          { "config.lr": { $in: [1, 2] } },
          { "config.lr": { $nin: [3] } },
          { "config.lr": { $exists: true } },
          { displayName: { $regex: "^run-" } },
        ],
      },
    );
  });
  await t.step("logical operators nest", () => {
    assert.equal(
      encode(or(nor(runField.state.eq("running")), runField.tags.in(["baseline"]))),
      '{"$or":[{"$nor":[{"state":"running"}]},{"tags":{"$in":["baseline"]}}]}',
    );
  });
  await t.step("summary metric names may contain slashes", () => {
    assert.equal(
      encode(summary("val/loss").lt(0.5)),
      '{"summary_metrics.val/loss":{"$lt":0.5}}',
    );
  });
  await t.step("no filter is {}", () => assert.equal(encode(undefined), "{}"));
  await t.step("raw JSON passes through", () => {
    assert.equal(
      encode({ "config.model.layers": { $gte: 4 } }),
      '{"config.model.layers":{"$gte":4}}',
    );
  });
});

Deno.test("encodeFilters() rejects bad filters with a typed error and a location", async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["unknown top operator", { $xor: [] }, /unsupported operator '\$xor'/],
    ["unknown comparison", { state: { $like: "x" } }, /unsupported operator '\$like'/],
    ["$in needs an array", { state: { $in: "x" } }, /\$in must be an array/],
    ["$and needs an array", { $and: { state: "x" } }, /must be an array of filters/],
    ["NaN cannot be sent", { "config.lr": { $lt: Number.NaN } }, /NaN/],
    ["$exists must be boolean", { state: { $exists: 1 } }, /\$exists must be a boolean/],
    ["undefined cannot be sent", { state: undefined }, /undefined/],
  ];
  for (const [name, filter, message] of cases) {
    await t.step(name, () => {
      const error = Effect.runSync(Effect.flip(encodeFilters(filter)));
      assert.equal(error._tag, "InvalidArgumentError");
      assert.equal(error.argument, "filters");
      assert.match(error.message, message);
    });
  }
});

Deno.test("encodeOrder() normalises and validates order keys", () => {
  const order = (o: string | undefined) => Effect.runSync(encodeOrder(o));
  assert.equal(order(undefined), "+created_at");
  assert.equal(order(""), "+created_at");
  assert.equal(order("-summary_metrics.val/loss"), "-summary_metrics.val/loss");
  assert.equal(order("createdAt"), "+createdAt");
  assert.equal(order(field("config.lr.value").asc), "+config.lr.value");
  const error = Effect.runSync(Effect.flip(encodeOrder("+{bad}")));
  assert.equal(error._tag, "InvalidArgumentError");
});

Deno.test("encodeFilters() refuses values nested past the bound or inside themselves, typed", async (t) => {
  const refusal = (filter: Parameters<typeof encodeFilters>[0]) => {
    const error = Effect.runSync(Effect.flip(encodeFilters(filter)));
    assert.equal(error._tag, "InvalidArgumentError");
    return error.message;
  };
  await t.step("a value nested 200,000 deep", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    assert.match(refusal({ "config.x": deep }), /nests deeper than 64 levels/);
  });
  await t.step("operators nested past the bound", () => {
    let deep: Record<string, unknown> = runField.state.eq("finished");
    for (let i = 0; i < 100; i++) deep = { $and: [deep] };
    assert.match(refusal(deep), /^filters\.\$and\[0\].*nests deeper than 64 levels/);
  });
  await t.step("a cycle", () => {
    const cyclic: Record<string, unknown> = { v: 1 };
    cyclic.self = cyclic;
    assert.match(refusal({ "config.x": cyclic }), /filters\.config\.x\.self contains itself/);
  });
  await t.step("an array that holds itself", () => {
    const list: Array<unknown> = [1];
    list.push(list);
    assert.match(refusal({ "config.x": { $in: list } }), /contains itself/);
  });
});

Deno.test("encodeFilters() writes a big integer read from W&B as its exact digits", () => {
  const big = 9007199254740993n;
  assert.equal(encode(config("big").gt(big)), '{"config.big":{"$gt":9007199254740993}}');
  assert.equal(
    encode({ "summary_metrics.n": { $in: [1, big] } }),
    '{"summary_metrics.n":{"$in":[1,9007199254740993]}}',
  );
});
