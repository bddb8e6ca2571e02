/**
 * `deno task bench:imports`: what importing the package costs, and what bounds it. Each line is
 * a fresh Deno process that imports the modules named and reports its resident set size, V8
 * heap and time, against the floor measured in the same run: Effect's modules the client is
 * built on (Effect, Stream, Schema, Layer, HttpClient, FetchHttpClient, HttpClientRequest). The
 * root entry's target is the floor + 10 MB, a history-only job's (the `./client` and
 * `./history` entries) the floor + 5 MB; every other entry is reported beside them. The last two
 * lines load the same code bundled by `deno bundle` (as `deno task export` runs the CLI), which
 * shows that much of the cost is the number of modules, not their code.
 *
 *     deno task bench:imports
 */
import { bundled } from "./_processes.ts";

const deno = Deno.execPath();
const root = new URL("../", import.meta.url);
const bundleUrl = async (entry: string, name: string) =>
  new URL(await bundled(entry, name), import.meta.url).href;

const entries = (JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
  exports: Record<string, string>;
}).exports;
const entry = (name: string) => new URL(entries[name]!, root).href;

/** What Effect's modules the client is built on cost: the floor every target is measured from. */
const floor = [
  "effect/Effect",
  "effect/Stream",
  "effect/Schema",
  "effect/Layer",
  "effect/http/HttpClient",
  "effect/http/FetchHttpClient",
  "effect/http/HttpClientRequest",
];

/** What each process imports, with the name it is reported under and its target over the floor. */
const steps: ReadonlyArray<readonly [string, ReadonlyArray<string>, number?]> = [
  ["empty Deno program", []],
  ["floor: Effect, Stream, Schema, Layer, HttpClient…", floor],
  ["@effect-wandb/api (mod.ts)", [entry(".")], 10],
  ["history-only job (./client + ./history)", [entry("./client"), entry("./history")], 5],
  ...Object.keys(entries).filter((name) => name !== "." && name !== "./cli").map((
    name,
  ): readonly [string, ReadonlyArray<string>] => [`entry ${name}`, [entry(name)]]),
  ["the export CLI (lib/cli/main.ts)", [entry("./cli")]],
  ["mod.ts bundled (deno bundle)", [await bundleUrl("mod.ts", "mod")]],
  ["the CLI bundled (deno task export)", [await bundleUrl("lib/cli/main.ts", "cli")]],
];

// The child is a program that imports the modules statically, as a program that uses the package
// does, and reads its own /proc status once they are evaluated. (Importing them dynamically
// instead charges whichever module comes first with ~4 MB of Deno's module loading: the same
// entries measured that way read 4–5 MB higher, the floor alone the same.) Its time is from the
// process's start, Deno's own start-up included.
const probe = (modules: ReadonlyArray<string>) =>
  `${modules.map((m) => `import ${JSON.stringify(m)};`).join("\n")}
  const ms = performance.now();
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
  // Five processes, the median by RSS: one is warming Deno's caches, and a process's RSS
  // varies by a megabyte or two from one run to the next.
  const costs: Array<Cost> = [];
  for (let i = 0; i < 5; i++) {
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
  return costs.sort((a, b) => a.rssMb - b.rssMb)[2]!;
}

const rows: Array<Cost & { readonly name: string; readonly overFloorMb?: number }> = [];
console.log("import cost (median of 5 processes):");
for (const [name, modules, target] of steps) {
  const c = await cost(modules);
  const base = rows[1];
  const over = base === undefined ? undefined : c.rssMb - base.rssMb;
  rows.push({ name, ...c, ...(over === undefined ? {} : { overFloorMb: over }) });
  const empty = rows[0]!;
  const verdict = target === undefined || over === undefined
    ? ""
    : `  target ≤ floor + ${target} MB: ${over <= target ? "met" : "NOT MET"}`;
  console.log(
    `  ${name.padEnd(44)} RSS ${c.rssMb.toFixed(1).padStart(5)} MB (${
      over === undefined
        ? `${(c.rssMb / empty.rssMb).toFixed(2)}x empty`
        : `floor ${over >= 0 ? "+" : ""}${over.toFixed(1)} MB`
    }), V8 heap ${c.heapMb.toFixed(1)} MB, ${c.ms.toFixed(0)} ms${verdict}`,
  );
}
await Deno.remove(probeFile);
await Deno.writeTextFile(`${outDir}imports.json`, JSON.stringify(rows, null, 2));
