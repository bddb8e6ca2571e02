// The byte-level readers of GraphQL answers: structure checks, and history rows unescaped
// exactly as JSON.parse would read them.
import assert from "node:assert/strict";
import { readGraphqlStrings } from "../../lib/core/json_bytes.ts";
import { readHistoryPageNdjson } from "../../lib/history/ndjson.ts";
import { prng } from "../../lib/testing/mod.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const utf8 = new TextDecoder();

/** The strings of `data.run.history` as a reader of raw string bodies sees them, or undefined. */
function strings(body: string): Array<string> | undefined {
  const found: Array<string> = [];
  const ok = readGraphqlStrings(["run", "history"])(bytes(body), (src, start) => {
    let i = start;
    while (i < src.length && src[i] !== 0x22) i += src[i] === 0x5c ? 2 : 1;
    if (i >= src.length) return -1;
    found.push(utf8.decode(src.subarray(start, i)));
    return i + 1;
  });
  return ok ? found : undefined;
}

Deno.test("readGraphqlStrings() finds the list whatever the spacing and key order", () => {
  assert.deepEqual(strings('{"data":{"run":{"history":["a","b"]}}}'), ["a", "b"]);
  assert.deepEqual(
    strings(
      ' {\n "errors" : null ,\n "data" : { "x": [1, {"y": "]"}], "run" : {\n' +
        ' "id": "r", "history" : [ "a" , "b\\"c" ] , "z": {} } } } \n',
    ),
    ["a", 'b\\"c'],
  );
  assert.deepEqual(strings('{"data":{"run":{"history":[]}},"extensions":{"cost":1}}'), []);
});

Deno.test("readGraphqlStrings() gives up on anything but a complete, error-free answer", () => {
  const refused = [
    '{"data":{"run":{"history":["a"]}},"errors":[{"message":"no"}]}',
    '{"errors":[],"data":{"run":{"history":["a"]}}}',
    '{"data":{"run":null}}',
    '{"data":null}',
    '{"data":{"run":{"other":["a"]}}}',
    '{"data":{"run":{"history":["a",1]}}}',
    '{"data":{"run":{"history":["a","b"]}}',
    '{"data":{"run":{"history":["a","b',
    '{"data":{"run":{"history":["a"]}}} trailing',
    '["data"]',
    "",
  ];
  for (const body of refused) assert.equal(strings(body), undefined, body);
});

/** A random string of the characters JSON rows hold, escapes and non-ASCII included. */
function randomText(random: () => number): string {
  const alphabet = [
    '"',
    "\\",
    "/",
    "\n",
    "\r",
    "\t",
    "\b",
    "\f",
    "\u0001",
    "é",
    "€",
    "😀",
    "a",
    " ",
  ];
  let text = "";
  const length = Math.floor(random() * 12);
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

Deno.test("readHistoryPageNdjson() unescapes rows exactly as JSON.parse reads them", () => {
  const random = prng(11);
  for (let round = 0; round < 200; round++) {
    const rows = Array.from(
      { length: 1 + Math.floor(random() * 5) },
      (_, step) =>
        JSON.stringify({ _step: step, [randomText(random)]: randomText(random), x: random() }),
    );
    const body = JSON.stringify({ data: { project: { run: { history: rows } } } });
    const page = readHistoryPageNdjson(bytes(body), rows.length);
    assert.ok(page !== undefined, body);
    const lines = utf8.decode(page.bytes).split("\n");
    assert.equal(lines.pop(), "");
    assert.deepEqual(lines, rows);
    assert.deepEqual(Array.from(page.steps), rows.map((_, step) => step));
    assert.deepEqual(
      Array.from(page.ends),
      lines.map((_, i) => lines.slice(0, i + 1).join("\n").length + 1)
        .map((end) => new TextEncoder().encode(utf8.decode(page.bytes).slice(0, end)).length),
    );
  }
});

Deno.test("readHistoryPageNdjson() decodes \\u escapes, pairs and lone surrogates", () => {
  // As a server that escapes all non-ASCII would send them.
  const body = '{"data":{"project":{"run":{"history":["{\\"_step\\":0,\\"a\\":\\"' +
    '\\u00e9\\u20ac\\ud83d\\ude00\\ud800x\\"}"]}}}}';
  const page = readHistoryPageNdjson(bytes(body), 1)!;
  assert.equal(utf8.decode(page.bytes), '{"_step":0,"a":"é€😀\ufffdx"}\n');
});

Deno.test("readHistoryPageNdjson() tags rows, reads steps, and refuses non-object rows", () => {
  const page = (rows: Array<string>) =>
    readHistoryPageNdjson(
      bytes(JSON.stringify({ data: { project: { run: { history: rows } } } })),
      rows.length,
      { id: 'a"b', path: "e/p/a" },
    );
  const tagged = page(['{"_step":5,"x":1}', "{}", ' { "_step" : 7 } ', '{"loss":1}'])!;
  assert.deepEqual(utf8.decode(tagged.bytes).trim().split("\n").map((l) => JSON.parse(l)), [
    { _step: 5, x: 1, run_id: 'a"b', run_path: "e/p/a" },
    { run_id: 'a"b', run_path: "e/p/a" },
    { _step: 7, run_id: 'a"b', run_path: "e/p/a" },
    { loss: 1, run_id: 'a"b', run_path: "e/p/a" },
  ]);
  assert.deepEqual(Array.from(tagged.steps), [5, -1, 7, -1]);
  for (const bad of ["[1]", "1", '"{}"', "{", ""]) {
    assert.equal(page(['{"_step":0}', bad]), undefined, bad);
  }
});
