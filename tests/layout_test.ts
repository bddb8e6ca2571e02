/**
 * The shape of the code base, checked: small files, a small root entry, no import cycle, and
 * every resource folder wired into its composition (the client's facade and the local
 * server's list of resources) — so "where are artifacts?" has one answer on each side.
 */
import assert from "node:assert/strict";
import { serverResources } from "../lib/testing/resources.ts";

const root = new URL("../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root))) as {
  exports: Record<string, string>;
};

async function* sourceFiles(dir: URL): AsyncGenerator<URL> {
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) yield* sourceFiles(url);
    else if (entry.name.endsWith(".ts")) yield url;
  }
}

const run = async (...args: Array<string>) => {
  const output = await new Deno.Command(Deno.execPath(), { args, cwd: root, stdout: "piped" })
    .output();
  assert.ok(output.success, `deno ${args.join(" ")} failed`);
  return new TextDecoder().decode(output.stdout);
};

Deno.test("no file in lib/ is over 700 lines", async () => {
  const long: Array<string> = [];
  for await (const file of sourceFiles(new URL("lib/", root))) {
    const lines = (await Deno.readTextFile(file)).split("\n").length - 1;
    if (lines > 700) long.push(`${file.pathname.slice(root.pathname.length)}: ${lines}`);
  }
  assert.deepEqual(long, []);
});

Deno.test("the root entry exports at most 150 names", async () => {
  const doc = JSON.parse(await run("doc", "--json", "mod.ts")) as {
    nodes: Record<string, { symbols: Array<{ name: string }> }>;
  };
  const names = new Set(
    Object.values(doc.nodes).flatMap((module) => module.symbols.map((s) => s.name)),
  );
  assert.ok(names.size > 50, `only ${names.size} names: is deno doc reading mod.ts?`);
  assert.ok(names.size <= 150, `mod.ts exports ${names.size} names`);
});

Deno.test("no entry point reaches an import cycle", async () => {
  const edges = new Map<string, Set<string>>();
  for (const entry of Object.values(config.exports)) {
    const info = JSON.parse(await run("info", "--json", entry)) as {
      modules: Array<
        { specifier: string; dependencies?: Array<{ code?: { specifier: string } }> }
      >;
    };
    for (const m of info.modules) {
      if (!m.specifier.startsWith("file:")) continue;
      const to = edges.get(m.specifier) ?? new Set<string>();
      // Only imports that run count: a type-only import does not load a module.
      for (const d of m.dependencies ?? []) {
        if (d.code?.specifier.startsWith("file:")) to.add(d.code.specifier);
      }
      edges.set(m.specifier, to);
    }
  }
  assert.ok(edges.size > 100, `only ${edges.size} modules seen`);
  const state = new Map<string, "visiting" | "done">();
  const cycles: Array<string> = [];
  const visit = (module: string, path: Array<string>) => {
    if (state.get(module) === "done") return;
    if (state.get(module) === "visiting") {
      cycles.push(
        [...path.slice(path.indexOf(module)), module].map((m) => m.slice(root.href.length)).join(
          " -> ",
        ),
      );
      return;
    }
    state.set(module, "visiting");
    for (const next of edges.get(module) ?? []) visit(next, [...path, module]);
    state.set(module, "done");
  };
  for (const module of edges.keys()) visit(module, []);
  assert.deepEqual(cycles, []);
});

Deno.test("every resource folder of the local server is in its list of resources", async () => {
  const folders: Array<string> = [];
  for await (const entry of Deno.readDir(new URL("lib/testing/", root))) {
    if (!entry.isDirectory) continue;
    try {
      await Deno.stat(new URL(`lib/testing/${entry.name}/resource.ts`, root));
      folders.push(entry.name);
    } catch {
      // Not a resource (the schema's folder).
    }
  }
  assert.deepEqual(folders.sort(), Object.keys(serverResources).sort());
});

Deno.test("every resource slice of the client is composed into the Api and has an entry", async () => {
  const composition = await Deno.readTextFile(new URL("lib/api/api.ts", root));
  const slices: Array<string> = [];
  for await (const entry of Deno.readDir(new URL("lib/", root))) {
    if (!entry.isDirectory) continue;
    try {
      await Deno.stat(new URL(`lib/${entry.name}/api.ts`, root));
      if (entry.name !== "api") slices.push(entry.name);
    } catch {
      // Shared machinery (core, cli, testing, …), not a resource.
    }
  }
  assert.ok(slices.length >= 10, `only ${slices.length} slices`);
  for (const slice of slices) {
    assert.ok(composition.includes(`"../${slice}/api.ts"`), `lib/api/api.ts misses ${slice}`);
    assert.ok(config.exports[`./${slice}`] === `./lib/${slice}/mod.ts`, `no entry ./${slice}`);
  }
});
