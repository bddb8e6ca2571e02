/**
 * `deno task bench:imports`: what importing the package costs, and what bounds it. Each line is
 * a fresh Deno process that imports the modules named (cumulatively, in this order) and reports
 * its resident set size, V8 heap and time, against an empty Deno program in the same run. The
 * modules below ours are what Effect and graphql-js cost loaded as modules; the last two lines
 * load the same code bundled by `deno bundle` (as `deno task export` runs the CLI), which shows
 * that most of the cost is the number of modules, not their code.
 *
 *     deno task bench:imports
 */
import { bundled } from "./_processes.ts";

const deno = Deno.execPath();
const root = new URL("../", import.meta.url);
const bundleUrl = async (entry: string, name: string) =>
  new URL(await bundled(entry, name), import.meta.url).href;

/** What each process imports, with the name it is reported under. */
const steps: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["empty Deno program", []],
  ["effect/Effect", ["effect/Effect"]],
  ["+ Stream, Schema", ["effect/Effect", "effect/Stream", "effect/Schema"]],
  ["+ effect/http HttpClient", [
    "effect/Effect",
    "effect/Stream",
    "effect/Schema",
    "effect/http/HttpClient",
    "effect/http/FetchHttpClient",
  ]],
  ["+ graphql printer, parser", [
    "effect/Effect",
    "effect/Stream",
    "effect/Schema",
    "effect/http/HttpClient",
    "effect/http/FetchHttpClient",
    "graphql/language/printer",
    "graphql/language/parser",
  ]],
  ["@effect-wandb/api (mod.ts)", [new URL("mod.ts", root).href]],
  ["the export CLI (lib/cli/main.ts)", [new URL("lib/cli/main.ts", root).href]],
  ["mod.ts bundled (deno bundle)", [await bundleUrl("mod.ts", "mod")]],
  ["the CLI bundled (deno task export)", [await bundleUrl("lib/cli/main.ts", "cli")]],
];

// The child reads its own /proc status right after its imports, so the numbers are its own.
const probe = (modules: ReadonlyArray<string>) => `
  const started = performance.now();
  for (const m of ${JSON.stringify(modules)}) await import(m);
  const ms = performance.now() - started;
  const status = Deno.readTextFileSync("/proc/self/status");
  const kb = (key) => Number(new RegExp(key + ":\\\\s+(\\\\d+)").exec(status)[1]);
  console.log(JSON.stringify({
    rssMb: kb("VmRSS") / 1024,
    anonMb: kb("RssAnon") / 1024,
    heapMb: Deno.memoryUsage().heapUsed / 1048576,
    ms,
  }));`;

const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });
const probeFile = `${outDir}import_probe.js`;

interface Cost {
  readonly rssMb: number;
  readonly anonMb: number;
  readonly heapMb: number;
  readonly ms: number;
}

async function cost(modules: ReadonlyArray<string>): Promise<Cost> {
  // Three processes, the median by RSS: one is warming Deno's caches.
  const costs: Array<Cost> = [];
  for (let i = 0; i < 3; i++) {
    // A file run as a program (not `deno eval`, which costs ~8 MB more), under bench/out/ so
    // that deno.json's import map applies.
    await Deno.writeTextFile(probeFile, probe(modules));
    const result = await new Deno.Command(deno, {
      // Reading /proc/self takes every permission in Deno.
      args: ["run", "--allow-all", probeFile],
      cwd: root.pathname,
      stderr: "inherit",
    }).output();
    if (!result.success) throw new Error(`importing ${modules.join(", ")} failed`);
    costs.push(JSON.parse(new TextDecoder().decode(result.stdout).trim()));
  }
  return costs.sort((a, b) => a.rssMb - b.rssMb)[1]!;
}

const rows: Array<Cost & { readonly name: string }> = [];
console.log("import cost (median of 3 processes):");
for (const [name, modules] of steps) {
  const c = await cost(modules);
  rows.push({ name, ...c });
  const empty = rows[0]!;
  console.log(
    `  ${name.padEnd(34)} RSS ${c.rssMb.toFixed(1).padStart(5)} MB (${
      (c.rssMb / empty.rssMb).toFixed(2)
    }x empty; anonymous ${c.anonMb.toFixed(1)} MB), V8 heap ${c.heapMb.toFixed(1)} MB, ${
      c.ms.toFixed(0)
    } ms`,
  );
}
await Deno.remove(probeFile);
await Deno.writeTextFile(`${outDir}imports.json`, JSON.stringify(rows, null, 2));
