// `deno task watch`: bad usage exits 2 with a line naming what is wrong (the rule and the field
// for a rules file), and a tick against the embedded local server delivers each alert once,
// remembering across runs of the command (its state file).
import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";

const quietly = async (args: ReadonlyArray<string>) => {
  const write = Deno.stderr.writeSync;
  const lines: Array<string> = [];
  Deno.stderr.writeSync = (bytes: Uint8Array) => {
    lines.push(new TextDecoder().decode(bytes));
    return bytes.length;
  };
  try {
    return { code: await main(args), stderr: lines.join("") };
  } finally {
    Deno.stderr.writeSync = write;
  }
};

Deno.test("watch: a bad rules file, webhook or project is exit 2 with one line saying why", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/rules.json`,
      JSON.stringify([
        { name: "ok", kind: "nonFinite", metric: "loss" },
        { name: "spike", kind: "above", metric: "loss", threshold: "ten" },
      ]),
    );
    const bad = await quietly([
      "watch",
      "acme/mnist",
      "--rules",
      `${dir}/rules.json`,
      "--webhook",
      "https://h.example/x",
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rules\[1\] \("spike"\): threshold: Expected number/);
    const missing = await quietly([
      "watch",
      "acme/mnist",
      "--rules",
      `${dir}/none.json`,
      "--webhook",
      "https://h.example/x",
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /none\.json/);
    const hook = await quietly([
      "watch",
      "acme/mnist",
      "--rules",
      `${dir}/rules.json`,
      "--webhook",
      "slack",
    ]);
    assert.equal(hook.code, 2);
    assert.match(hook.stderr, /--webhook: an http\(s\) URL/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("watch --local --once: each alert delivered once, remembered by the next run", async () => {
  const dir = await Deno.makeTempDir();
  const got: Array<string> = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    got.push(req.headers.get("idempotency-key") ?? "");
    await req.body?.cancel();
    return new Response("ok");
  });
  try {
    await Deno.writeTextFile(
      `${dir}/rules.json`,
      JSON.stringify({ rules: [{ name: "long", kind: "runningLongerThan", for: "1 millis" }] }),
    );
    const args = [
      "watch",
      "acme/live",
      "--local",
      "--once",
      "--rules",
      `${dir}/rules.json`,
      "--webhook",
      `http://127.0.0.1:${server.addr.port}/`,
      "--state",
      `${dir}/state.json`,
    ];
    const first = await quietly(args);
    const second = await quietly(args);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    // The four live runs of the local server, running: four alerts, and none the second time.
    assert.deepEqual(got.sort(), [
      "acme/live/crashing#long",
      "acme/live/diverging#long",
      "acme/live/healthy#long",
      "acme/live/stalling#long",
    ]);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
