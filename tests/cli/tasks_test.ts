// The deno.json tasks that run the CLI, with their own arguments and permissions. `deno task
// export` runs the CLI from a bundle (`deno task bundle:cli`): one module graph of a few files
// loads in a third less memory than our 51 TypeScript modules and Effect's hundreds of
// JavaScript ones; the bundle must export what the modules do. `deno task demo` is the README's
// first command: it must work with the narrow permissions it asks for.
import assert from "node:assert/strict";
import { main } from "../../lib/cli/main.ts";

const root = new URL("../../", import.meta.url).pathname;
const deno = Deno.execPath();

/** The arguments (after `deno`) of the `deno <subcommand> …` command that task `name` runs. */
async function taskArgs(name: string, subcommand: string): Promise<Array<string>> {
  const tasks = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks;
  const command = (tasks[name] as string).split("&&").map((c) => c.trim())
    .find((c) => c.startsWith(`deno ${subcommand} `));
  assert.ok(command !== undefined, `the ${name} task runs deno ${subcommand}`);
  return command.split(/\s+/).slice(1);
}

/** `args` with the argument equal to `from` (which must be there) replaced by `to`. */
function replaced(args: ReadonlyArray<string>, from: string, to: string): Array<string> {
  const at = args.indexOf(from);
  assert.ok(at >= 0, `${args.join(" ")} has ${from}`);
  return args.with(at, to);
}

/** `args` with the value after `flag` (which must be `was`) replaced by `value`. */
function withFlag(args: ReadonlyArray<string>, flag: string, was: string, value: string) {
  const at = args.indexOf(flag);
  assert.ok(at >= 0 && args[at + 1] === was, `${args.join(" ")} has ${flag} ${was}`);
  return args.with(at + 1, value);
}

/** The `deno bundle …` arguments of the `bundle:cli` task, writing to `outDir` instead. */
async function bundleArgs(outDir: string): Promise<Array<string>> {
  const args = await taskArgs("bundle:cli", "bundle");
  assert.ok(args.at(-1) === "lib/cli/main.ts");
  return withFlag(args, "--outdir", ".build/cli", outDir);
}

Deno.test("the export task's bundle exports the same rows as the CLI's modules", async () => {
  const work = await Deno.makeTempDir();
  try {
    const built = await new Deno.Command(deno, {
      args: await bundleArgs(`${work}/cli`),
      cwd: root,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.ok(built.success, new TextDecoder().decode(built.stderr));
    const exportArgs = (out: string) => [
      "export",
      "acme/mnist",
      "--local",
      "--format",
      "ndjson",
      "--what",
      "runs,history",
      "--out",
      out,
    ];
    const ran = await new Deno.Command(deno, {
      args: [
        "run",
        "--allow-net=127.0.0.1",
        `--allow-read=${work}`,
        `--allow-write=${work}`,
        "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_ENTITY,WANDB_PROJECT,WANDB_HTTP_TIMEOUT,TERM,NO_COLOR,FORCE_COLOR",
        `${work}/cli/main.js`,
        ...exportArgs(`${work}/bundled`),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(ran.code, 0, new TextDecoder().decode(ran.stderr));
    assert.match(new TextDecoder().decode(ran.stdout), /Exported 30 runs/);
    assert.equal(await main(exportArgs(`${work}/modules`)), 0);
    // Each --local run starts a fresh server with the same seed: the same runs and rows, in the
    // same order, byte for byte.
    const history = await Deno.readTextFile(`${work}/bundled/history.ndjson`);
    assert.ok(history.split("\n").length > 9_000);
    assert.equal(history, await Deno.readTextFile(`${work}/modules/history.ndjson`));
    assert.equal(
      await Deno.readTextFile(`${work}/bundled/runs.ndjson`),
      await Deno.readTextFile(`${work}/modules/runs.ndjson`),
    );
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("deno task demo exports everything with no more than its task's permissions", async () => {
  // The task reads the repository (its ./export included) and writes only to ./export: here a
  // temporary directory instead, with the same narrow permissions, so that a part needing more
  // (a spool in the system's temporary directory, say) fails this test.
  const out = await Deno.makeTempDir();
  try {
    let args = await taskArgs("demo", "run");
    args = replaced(args, "--allow-read=.", `--allow-read=.,${out}`);
    args = replaced(args, "--allow-write=./export", `--allow-write=${out}`);
    args = withFlag(args, "--out", "export", out);
    const ran = await new Deno.Command(deno, { args, cwd: root, stdout: "piped", stderr: "piped" })
      .output();
    const stdout = new TextDecoder().decode(ran.stdout);
    assert.equal(ran.code, 0, stdout + new TextDecoder().decode(ran.stderr));
    const names = (await Array.fromAsync(Deno.readDir(out), (e) => e.name)).sort();
    assert.deepEqual(names, [
      "history.csv",
      "history.ndjson",
      "runs.csv",
      "runs.ndjson",
      "system.csv",
      "system.ndjson",
    ]);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
