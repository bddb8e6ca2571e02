// The Deno Deploy watch example, run as a process with `--once` against the seeded local server
// and its live runs: an alert per run and rule, kept in KV so the next tick sends none again; a
// branch timeline (no WANDB_WATCH_ENABLED) watches nothing.
import assert from "node:assert/strict";

const example = new URL("../../examples/watch_cron.ts", import.meta.url).pathname;

async function tick(cwd: string, env: Record<string, string>): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-kv",
      "--unstable-cron",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write=./watch",
      "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_WATCH_ENABLED,WANDB_WATCH_PROJECT,WANDB_WATCH_RULES,WANDB_WATCH_WEBHOOK,WANDB_WATCH_KV_PATH",
      example,
      "--once",
    ],
    cwd,
    clearEnv: true,
    env: { WANDB_WATCH_KV_PATH: "watch/kv.sqlite", ...env },
    stderr: "inherit",
  }).output();
  assert.ok(output.success);
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("examples/watch_cron.ts: alerts once per run and rule across ticks, none on a branch", async () => {
  const cwd = await Deno.makeTempDir();
  const got: Array<string> = [];
  const hook = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    got.push(`${req.headers.get("idempotency-key")} ${(await req.json()).text}`);
    return new Response("ok");
  });
  try {
    const env = {
      WANDB_WATCH_ENABLED: "true",
      WANDB_WATCH_WEBHOOK: `http://127.0.0.1:${hook.addr.port}/hook`,
      WANDB_WATCH_RULES: JSON.stringify([{
        name: "long",
        kind: "runningLongerThan",
        for: "1 millis",
      }]),
    };
    assert.match(await tick(cwd, {}), /nothing watched/);
    assert.equal(await tick(cwd, env), "watched 4 runs, 4 alerts delivered");
    assert.equal(await tick(cwd, env), "watched 4 runs, 0 alerts delivered");
    assert.equal(got.length, 4);
    assert.ok(
      got.every((line) => /^acme\/live\/\w+#long :rotating_light: \*long\* on </.test(line)),
      got.join("\n"),
    );
  } finally {
    await hook.shutdown();
    await Deno.remove(cwd, { recursive: true });
  }
});
