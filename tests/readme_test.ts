// Every TypeScript block of the README is type-checked and run as written, against a fresh local
// server, with the permissions the README tells a user to give (the host swapped for the local
// server's): the README cannot drift from the code. A block that is only a fragment says so in
// its fence (```ts fragment) and is type-checked only.
import assert from "node:assert/strict";
import { liveRunPresets, startEmulator } from "../lib/testing/mod.ts";

const root = new URL("../", import.meta.url).pathname;
const readme = await Deno.readTextFile(`${root}README.md`);

interface Block {
  readonly line: number;
  readonly info: string;
  readonly code: string;
}

/** The fenced TypeScript blocks of a Markdown text, with the line each starts at. */
function tsBlocks(text: string): ReadonlyArray<Block> {
  const blocks: Array<Block> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)\b(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: Array<string> = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!);
    blocks.push({ line: start + 1, info: open[2]!.trim(), code: body.join("\n") });
  }
  return blocks;
}

const deno = (args: ReadonlyArray<string>, options: Deno.CommandOptions = {}) =>
  new Deno.Command(Deno.execPath(), {
    args: [...args],
    stdout: "piped",
    stderr: "piped",
    ...options,
  })
    .output();

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const blocks = tsBlocks(readme);

Deno.test("the README's TypeScript blocks are found", () => {
  assert.ok(blocks.length >= 4, `${blocks.length} blocks`);
});

/**
 * A directory for one block, outside the package, with a `deno.json` whose imports are the
 * package's own plus `@effect-wandb/api` mapped to this working tree: what `deno add
 * jsr:@effect-wandb/api npm:effect` gives a user, pointed at the code under test.
 */
async function userProject(): Promise<string> {
  const dir = await Deno.makeTempDir();
  const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({
      imports: {
        ...config.imports,
        "@effect-wandb/api": `${root}mod.ts`,
        "@effect-wandb/api/testing": `${root}lib/testing/mod.ts`,
      },
      nodeModulesDir: "none",
    }),
  );
  return dir;
}

for (const block of blocks) {
  Deno.test(`README.md:${block.line}: the block ${block.info === "fragment" ? "type-checks" : "runs as written"}`, async () => {
    const cwd = await userProject();
    const file = `${cwd}/block_${block.line}.ts`;
    await Deno.writeTextFile(file, block.code);
    // With the seeded live runs of `deno task emulator --live`, for the blocks that follow them.
    const server = await startEmulator({ liveRuns: liveRunPresets });
    try {
      const checked = await deno(["check", file], { cwd });
      assert.ok(checked.success, text(checked.stderr));
      if (block.info === "fragment") return;
      const ran = await deno([
        "run",
        "--no-prompt",
        "--allow-net=127.0.0.1",
        "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT",
        "--allow-read",
        "--allow-write=.",
        file,
      ], {
        cwd,
        clearEnv: true,
        env: { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url },
      });
      assert.ok(ran.success, `${text(ran.stdout)}\n${text(ran.stderr)}`);
    } finally {
      await server.close();
      await Deno.remove(cwd, { recursive: true });
    }
  });
}
