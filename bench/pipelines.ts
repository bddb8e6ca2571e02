/**
 * `deno task bench:pipelines`: the export pipelines, as ratios measured in one run.
 *
 * 1. Incremental sync: a 100-run project (2,000 steps x 10 metrics each) at 20 ms per request is
 *    synced once (a full export), then one run (1%) gains 1,000 steps and it is synced again:
 *    requests and time of the second sync against the first.
 * 2. The CLI against the library: the same history export (100 runs x 2,000 steps, 20 ms per
 *    request, the benchmark server in its own process) by `export … --what history` and by the
 *    library's plain call (`bench/client.ts defaults`), each a process of its own: wall time
 *    and peak RSS (VmHWM from /proc). The CLI runs as modules, with its task's V8 flags, and as
 *    `deno task export` runs it: bundled, with those flags.
 *
 *     deno task bench:pipelines
 *
 * (`--allow-all`: Deno reads another process's /proc/<pid>/status only with every permission.)
 */
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";
import { Checkpoints, syncProject } from "../lib/sync/mod.ts";
import { startEmulator } from "../lib/testing/mod.ts";
import { benchServer, bundled, clientArgs } from "./_processes.ts";

const deno = Deno.execPath();
const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });

// 1. Incremental sync.
{
  const server = await startEmulator({
    seed: { benchmark: { runs: 100, steps: 2000, metrics: 10 } },
    latencyMs: 20,
  });
  for (const run of server.store.runs.list("acme", "bench")) server.store.history.materialize(run);
  const out = await Deno.makeTempDir({ dir: outDir });
  const layer = Layer.merge(
    Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
      Layer.provide(FetchHttpClient.layer),
    ),
    Checkpoints.file(`${out}/.checkpoint.json`),
  );
  const sync = async () => {
    server.resetRequests();
    const started = performance.now();
    const report = await Effect.runPromise(
      syncProject({ project: "acme/bench", out }).pipe(Effect.provide(layer)),
    );
    return {
      seconds: (performance.now() - started) / 1000,
      requests: server.requests.length,
      rows: report.rows,
    };
  };
  const full = await sync();
  const [grown] = server.store.runs.list("acme", "bench");
  const rows = [...server.store.history.rows(grown!, 0, 2000)];
  for (let step = 2000; step < 3000; step++) rows.push({ ...rows[step % 2000]!, _step: step });
  server.store.history.set(grown!, rows);
  server.store.runs.update(grown!, { heartbeatAt: "2099-01-01T00:00:00" });
  const incremental = await sync();
  console.log("Incremental sync, 100 runs x 2,000 steps, 1 run +1,000 steps, 20 ms/request:");
  console.log(
    `  full sync        ${full.rows} rows, ${full.requests} requests, ${full.seconds.toFixed(2)} s`,
  );
  console.log(
    `  incremental sync ${incremental.rows} rows, ${incremental.requests} requests, ${
      incremental.seconds.toFixed(2)
    } s`,
  );
  console.log(
    `  incremental / full: ${
      (100 * incremental.requests / full.requests).toFixed(1)
    }% of the requests, ${(100 * incremental.seconds / full.seconds).toFixed(1)}% of the time`,
  );
  await server.close();
  await Deno.remove(out, { recursive: true });
}

// 2. The CLI against the library, each a process of its own.
{
  const server = await benchServer(100, 2000, 10, 20);
  const { url, apiKey } = server;
  /** Runs a process to its end: wall seconds and peak RSS (the kernel's high-water mark). */
  const measure = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
    const started = performance.now();
    const child = new Deno.Command(deno, { args: [...args], env, stdout: "null", stderr: "null" })
      .spawn();
    let peakKb = 0;
    const sampler = setInterval(() => {
      try {
        const status = Deno.readTextFileSync(`/proc/${child.pid}/status`);
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch { /* the process has ended */ }
    }, 10);
    const status = await child.status;
    clearInterval(sampler);
    if (!status.success) throw new Error(`${args.join(" ")} failed`);
    return { seconds: (performance.now() - started) / 1000, peakMb: Math.round(peakKb / 1024) };
  };
  const library = await measure(clientArgs("defaults", server, `${outDir}library.ndjson`, outDir));
  const cliBundle = new URL(await bundled("lib/cli/main.ts", "cli"), import.meta.url).pathname;
  const cliArgs = (v8Flags: ReadonlyArray<string>, script = "../lib/cli/main.ts") => [
    "run",
    ...v8Flags,
    "--allow-net=127.0.0.1",
    "--allow-read",
    `--allow-write=${outDir}`,
    "--allow-env=WANDB_API_KEY,WANDB_BASE_URL,TERM,NO_COLOR,FORCE_COLOR",
    new URL(script, import.meta.url).pathname,
    "export",
    "acme/bench",
    "--what",
    "history",
    "--out",
    `${outDir}cli`,
  ];
  const cliEnv = { WANDB_API_KEY: apiKey, WANDB_BASE_URL: url };
  const cli = await measure(cliArgs([]), cliEnv);
  // The CLI as its task runs it: V8 told to keep its heap small (a bounded export needs little).
  const taskFlags = ["--v8-flags=--max-old-space-size=96,--max-semi-space-size=1"];
  const cliSmallHeap = await measure(cliArgs(taskFlags), cliEnv);
  // As `deno task export` runs it: bundled, with its V8 flags (after the bundle's first run,
  // which writes its V8 code cache).
  await measure(cliArgs(taskFlags, cliBundle), cliEnv);
  const cliTask = await measure(cliArgs(taskFlags, cliBundle), cliEnv);
  console.log("History export, 100 runs x 2,000 steps x 10 metrics, 20 ms/request:");
  console.log(
    `  library (plain call) ${library.seconds.toFixed(2)} s, peak RSS ${library.peakMb} MB`,
  );
  console.log(`  export CLI           ${cli.seconds.toFixed(2)} s, peak RSS ${cli.peakMb} MB`);
  console.log(
    `  export CLI, its task's V8 flags ${
      cliSmallHeap.seconds.toFixed(2)
    } s, peak RSS ${cliSmallHeap.peakMb} MB`,
  );
  console.log(
    `  export CLI as its task runs it (bundled, V8 flags) ${
      cliTask.seconds.toFixed(2)
    } s, peak RSS ${cliTask.peakMb} MB`,
  );
  console.log(`  CLI / library: ${(100 * cli.seconds / library.seconds).toFixed(0)}% of the time`);
  await server.stop();
  await Deno.remove(`${outDir}cli`, { recursive: true });
  await Deno.remove(`${outDir}library.ndjson`);
}
