// W&B's JSON: the tolerant parser, the printer, and the bytes checker the export paths use.
import assert from "node:assert/strict";
import { parseWandbJson, printWandbJson, WandbJsonError } from "../../mod.ts";
import { checkWandbJsonBytes, HAS_NON_FINITE, rewriteNonFiniteBytes } from "../../lib/graphql.ts";

const encoder = new TextEncoder();
const check = (text: string): number => {
  const bytes = encoder.encode(text);
  return checkWandbJsonBytes(bytes, 0, bytes.length);
};
const parses = (text: string): boolean => {
  try {
    parseWandbJson(text);
    return true;
  } catch (e) {
    assert.ok(e instanceof WandbJsonError, `${text}: ${e}`);
    return false;
  }
};

Deno.test("parseWandbJson() reads what Python's json.loads reads", () => {
  const row = parseWandbJson(
    '{"a": NaN, "b": [Infinity, -Infinity, {"c": NaN}], "s": "NaN Infinity", "n": null}',
  );
  assert.ok(Number.isNaN(row.a));
  assert.deepEqual(row.b, [Infinity, -Infinity, { c: NaN }]);
  assert.equal(row.s, "NaN Infinity");
  assert.equal(row.n, null);
  // Integers beyond 2^53 are exact; floats and integers written as floats stay numbers.
  assert.deepEqual(parseWandbJson('{"i": 9007199254740993, "f": 1.5e300, "e": 1e20}'), {
    i: 9007199254740993n,
    f: 1.5e300,
    e: 1e20,
  });
  assert.equal(parseWandbJson("[NaN, -9007199254740993]")[1], -9007199254740993n);
  assert.equal(parseWandbJson("9007199254740991"), 9007199254740991);
  // "__proto__" is an own key, as JSON.parse makes it, on both paths.
  for (const text of ['{"__proto__": 1}', '{"__proto__": NaN}']) {
    const value = parseWandbJson(text);
    assert.ok(Object.hasOwn(value, "__proto__"));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  }
  assert.equal(parseWandbJson('"tab\\t\\u00e9"'), "tab\té");
});

Deno.test("parseWandbJson() refuses what is not W&B's JSON, saying where", () => {
  const cases: ReadonlyArray<readonly [string, number]> = [
    ['{"a": nan}', 6],
    ['{"a": Inf}', 6],
    ['{"a": NaN,}', 10],
    ['{"a": -NaN}', 6],
    ['{"a": NaN', 9],
    ['{"a": "x\\q"}', 6],
    ["[1] 2", 4],
  ];
  for (const [text, offset] of cases) {
    assert.throws(
      () => parseWandbJson(text),
      (e: unknown) => e instanceof WandbJsonError && e.offset === offset,
      text,
    );
  }
  // Nesting is bounded, not a stack overflow.
  assert.throws(
    () => parseWandbJson("[".repeat(10_000) + "NaN" + "]".repeat(10_000)),
    WandbJsonError,
  );
});

Deno.test("printWandbJson() writes non-finite numbers as asked and bigints as digits", () => {
  const value = { a: NaN, b: [Infinity, -Infinity], c: 9007199254740993n, d: undefined, e: "NaN" };
  assert.equal(printWandbJson(value), '{"a":null,"b":[null,null],"c":9007199254740993,"e":"NaN"}');
  assert.equal(
    printWandbJson(value, "string"),
    '{"a":"NaN","b":["Infinity","-Infinity"],"c":9007199254740993,"e":"NaN"}',
  );
  const tokens = printWandbJson(value, "token");
  assert.equal(tokens, '{"a":NaN,"b":[Infinity,-Infinity],"c":9007199254740993,"e":"NaN"}');
  const { d: _, ...printed } = value;
  assert.deepEqual(parseWandbJson(tokens), printed);
  assert.equal(printWandbJson({ a: 1 }, "token"), '{"a":1}');
});

Deno.test("checkWandbJsonBytes() accepts exactly what parseWandbJson() parses", () => {
  const valid = [
    '{"_step":0,"loss":0.5,"acc":-1.25e-3,"n":10}',
    '{"_step": 1, "loss": NaN, "grad": -Infinity, "m": [Infinity]}',
    '{"media":{"_type":"image-file","path":"a/b.png","size":12},"t":true,"f":false,"z":null}',
    '{"k\\"ey":"v\\u00e9\\n","émoji 😀":1}',
    "{}",
    "[]",
    '{"a":[[],{},[{"b":[1,2,{"c":"d"}]}]]}',
  ];
  for (const text of valid) {
    assert.ok(check(text) >= 0, text);
    assert.equal(
      (check(text) & HAS_NON_FINITE) !== 0,
      /NaN|Infinity/.test(text.replace(/"[^"]*"/g, "")),
    );
  }
  // Every one-byte change of every valid text: the checker and the parser agree on each.
  const replacements = ["", "x", "0", "-", ".", "e", "}", "]", ",", ":", '"', "N", " ", "\\"];
  let compared = 0;
  for (const text of valid) {
    for (let i = 0; i < text.length; i++) {
      for (const r of replacements) {
        const mutated = text.slice(0, i) + r + text.slice(i + 1);
        assert.equal(check(mutated) >= 0, parses(mutated), mutated);
        compared++;
      }
    }
  }
  assert.ok(compared > 2_000, `${compared}`);
});

Deno.test("rewriteNonFiniteBytes() changes the tokens only outside strings", () => {
  const text = '{"NaN":NaN,"s":"-Infinity, NaN","l":[Infinity,-Infinity]}';
  const bytes = encoder.encode(text);
  const out = (nonFinite: "null" | "string" | "token") =>
    new TextDecoder().decode(rewriteNonFiniteBytes(bytes, 0, bytes.length, nonFinite));
  assert.equal(out("null"), '{"NaN":null,"s":"-Infinity, NaN","l":[null,null]}');
  assert.equal(out("string"), '{"NaN":"NaN","s":"-Infinity, NaN","l":["Infinity","-Infinity"]}');
  assert.equal(out("token"), text);
});
