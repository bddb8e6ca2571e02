import assert from "node:assert/strict";
import { ConfigProvider, Duration, Effect, Redacted } from "effect";
import { apiConfigFromEnv, apiOptionsConfig, makeApiConfig } from "../../mod.ts";

const key = "k".repeat(40);

Deno.test("makeApiConfig() fills defaults and keeps the key redacted", () => {
  const config = Effect.runSync(makeApiConfig({ apiKey: key }));
  assert.equal(config.baseUrl, "https://api.wandb.ai");
  assert.equal(Duration.toMillis(config.timeout), 19_000);
  assert.equal(config.concurrency, 16);
  assert.equal(String(config.apiKey), "<redacted>");
  assert.equal(Redacted.value(config.apiKey), key);
  assert.ok(!JSON.stringify(config).includes(key));
  assert.ok(!Deno.inspect(config, { depth: 10 }).includes(key));
});

Deno.test("makeApiConfig() rejects bad options without echoing the key", async (t) => {
  const cases: Array<[string, Parameters<typeof makeApiConfig>[0], string]> = [
    ["empty key", { apiKey: "" }, "apiKey"],
    ["key with spaces", { apiKey: "abc def" }, "apiKey"],
    ["bad url", { apiKey: key, baseUrl: "ftp://x" }, "baseUrl"],
    ["bad entity", { apiKey: key, entity: "a b" }, "entity"],
    ["zero concurrency", { apiKey: key, concurrency: 0 }, "concurrency"],
    ["negative timeout", { apiKey: key, timeout: -5 }, "timeout"],
  ];
  for (const [name, options, argument] of cases) {
    await t.step(name, () => {
      const error = Effect.runSync(Effect.flip(makeApiConfig(options)));
      assert.equal(error._tag, "InvalidArgumentError");
      assert.equal(error.argument, argument);
      assert.ok(!error.message.includes("abc def"));
    });
  }
});

Deno.test("apiOptionsConfig reads the WANDB_* names", () => {
  const options = Effect.runSync(apiOptionsConfig.parse(ConfigProvider.fromUnknown({
    WANDB_API_KEY: key,
    WANDB_BASE_URL: "http://127.0.0.1:1234/",
    WANDB_ENTITY: "acme",
    WANDB_PROJECT: "mnist",
    WANDB_HTTP_TIMEOUT: "2.5",
  })));
  const config = Effect.runSync(makeApiConfig(options));
  assert.equal(config.baseUrl, "http://127.0.0.1:1234");
  assert.equal(config.entity, "acme");
  assert.equal(config.project, "mnist");
  assert.equal(Duration.toMillis(config.timeout), 2500);
});

Deno.test("apiConfigFromEnv works under a scoped --allow-env", async (t) => {
  // The test task grants --allow-env for the five WANDB_* names only, so this also proves that
  // nothing enumerates the environment.
  const names = ["WANDB_API_KEY", "WANDB_BASE_URL", "WANDB_ENTITY", "WANDB_PROJECT"];
  const saved = new Map(names.map((n) => [n, Deno.env.get(n)]));
  try {
    await t.step("a missing key is a ConfigError", () => {
      for (const n of names) Deno.env.delete(n);
      const error = Effect.runSync(Effect.flip(apiConfigFromEnv));
      assert.equal(error._tag, "ConfigError");
    });
    await t.step("present variables become the config", () => {
      Deno.env.set("WANDB_API_KEY", key);
      Deno.env.set("WANDB_ENTITY", "acme");
      const config = Effect.runSync(apiConfigFromEnv);
      assert.equal(config.entity, "acme");
      assert.equal(config.baseUrl, "https://api.wandb.ai");
      assert.equal(Redacted.value(config.apiKey), key);
    });
    await t.step("reading any other variable is not allowed here", () => {
      assert.throws(() => Deno.env.get("HOME"), Deno.errors.NotCapable);
    });
  } finally {
    for (const [n, v] of saved) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
});

Deno.test("apiConfigFromEnv names the --allow-env flag when Deno refuses a variable", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const script = `
    import { Effect } from "effect";
    import { apiConfigFromEnv } from "${root}mod.ts";
    const error = Effect.runSync(Effect.flip(apiConfigFromEnv));
    console.log(JSON.stringify({ tag: error._tag, flag: error.flag, message: error.message }));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--config=${root}deno.json`,
      "--allow-env=WANDB_API_KEY",
      `--allow-read=${root}`,
      "-",
    ],
    env: { WANDB_API_KEY: key, WANDB_BASE_URL: "http://127.0.0.1:1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { stdout, stderr } = await child.output();
  const result = JSON.parse(new TextDecoder().decode(stdout).trim() || "{}");
  assert.equal(result.tag, "RuntimePermissionError", new TextDecoder().decode(stderr));
  assert.equal(
    result.flag,
    "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT",
  );
  assert.match(
    result.message,
    /^Deno denied reading WANDB_BASE_URL, WANDB_ENTITY, WANDB_PROJECT, WANDB_HTTP_TIMEOUT/,
  );
  assert.ok(!result.message.includes(key));
});
