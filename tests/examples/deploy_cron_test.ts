// The Deno Deploy cron example, run as a process with `--once` (one tick, then exit) against the
// seeded local server: each tick exports a bounded slice, the next goes on, a branch timeline
// (no WANDB_EXPORT_ENABLED) exports nothing.
import assert from "node:assert/strict";

const example = new URL("../../examples/deploy_cron.ts", import.meta.url).pathname;

async function tick(cwd: string, enabled: boolean): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-kv",
      "--unstable-cron",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write=./export",
      "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_EXPORT_ENABLED,WANDB_EXPORT_PROJECT,WANDB_EXPORT_SEGMENTS_URL,WANDB_EXPORT_KV_PATH",
      example,
      "--once",
    ],
    cwd,
    clearEnv: true,
    env: {
      WANDB_EXPORT_KV_PATH: "export/kv.sqlite",
      ...(enabled ? { WANDB_EXPORT_ENABLED: "true" } : {}),
    },
    stderr: "inherit",
  }).output();
  assert.ok(output.success);
  return new TextDecoder().decode(output.stdout).trim();
}

Deno.test("examples/deploy_cron.ts: bounded ticks go on where the last stopped", async () => {
  const cwd = await Deno.makeTempDir();
  try {
    // As on a fresh clone: no ./export yet (the tick makes it).
    assert.match(await tick(cwd, false), /nothing exported/);
    assert.match(await tick(cwd, true), /^exported \d+ rows of 20 runs$/);
    assert.match(await tick(cwd, true), /^exported \d+ rows of 10 runs$/);
    assert.equal(await tick(cwd, true), "exported 0 rows of 0 runs");
    const runs = [...Deno.readDirSync(`${cwd}/export/segments/acme/mnist`)];
    assert.equal(runs.length, 30);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
