/**
 * `deno task bench:faults`: the fault matrix, timed. A local server (its own process) serves
 * 100 runs x 2,000 steps x 10 metrics at 20 ms per request, fault-free and then with each
 * fault of the matrix (10% HTTP 500, 5% 429 with `RateLimit-Reset: 1`, 2% dropped connections,
 * 1% truncated bodies, all mixed, and the server killed and restarted half-way); the library's plain export (`bench/client.ts defaults`, GraphQL
 * path) runs against each. Every export's rows are checked run by run against the fault-free
 * one, and its time is given as a ratio of the fault-free time.
 *
 *     deno task bench:faults [steps per run, default 2000]
 */
const steps = Number(Deno.args[0] ?? 2000);
import { clientArgs, lastJsonLine, type ServerProcess, spawnServer } from "./_processes.ts";

const deno = Deno.execPath();
const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });

const profiles: ReadonlyArray<readonly [string, Record<string, number>]> = [
  ["fault-free", {}],
  ["10% HTTP 500", { serverError: 0.1 }],
  ["5% 429 (reset 1 s)", { rateLimited: 0.05, resetSeconds: 1 }],
  ["2% dropped", { drop: 0.02 }],
  ["1% truncated", { truncate: 0.01 }],
  ["mixed", { serverError: 0.1, rateLimited: 0.05, drop: 0.02, truncate: 0.01, resetSeconds: 1 }],
];

/** Each run's rows, in order, keyed by run: what two exports must share. */
async function byRun(path: string): Promise<Map<string, string>> {
  const runs = new Map<string, Array<string>>();
  for (const line of (await Deno.readTextFile(path)).split("\n")) {
    if (line === "") continue;
    const run = /"run_path":"([^"]+)"/.exec(line)![1]!;
    runs.set(run, [...runs.get(run) ?? [], line]);
  }
  return new Map([...runs].map(([run, lines]) => [run, lines.join("\n")]));
}

/** The local server's script: the benchmark project, stored, with the given failure rates. */
const serverScript = (failureRate: Record<string, number>, port = 0, storagePath?: string) =>
  `import { startEmulator } from "${new URL("../lib/testing/mod.ts", import.meta.url).href}";
   const server = await startEmulator({
     seed: { benchmark: { runs: 100, steps: ${steps}, metrics: 10 } },
     latencyMs: 20, parquet: false, port: ${port},
     ${storagePath === undefined ? "" : `storagePath: ${JSON.stringify(storagePath)},`}
     ${
    Object.keys(failureRate).length > 0
      ? `failureRate: ${JSON.stringify({ ...failureRate, seed: 3 })},`
      : ""
  }
   });
   for (const run of server.store.runs.list("acme", "bench")) server.store.history.materialize(run);
   console.log(JSON.stringify({ url: server.url, apiKey: server.apiKey }));`;

let clean: { seconds: number; runs: Map<string, string> } | undefined;

/** Runs the plain export against `server` and reports it against the fault-free one. */
async function exportAndReport(
  name: string,
  server: ServerProcess,
  during?: (done: Promise<unknown>) => Promise<void>,
) {
  const out = `${outDir}faults.ndjson`;
  const started = performance.now();
  const exported = new Deno.Command(deno, {
    args: clientArgs("defaults", server, out, outDir),
    stderr: "null",
  }).output();
  await during?.(exported);
  const result = await exported;
  const seconds = (performance.now() - started) / 1000;
  if (!result.success) {
    console.log(`  ${name.padEnd(20)} FAILED`);
    return;
  }
  const runs = await byRun(out);
  await Deno.remove(out);
  const { peakRssMb } = lastJsonLine<{ peakRssMb: number }>(result.stdout);
  if (clean === undefined) clean = { seconds, runs };
  const lost = [...clean.runs].filter(([run, rows]) => runs.get(run) !== rows).length;
  console.log(
    `  ${name.padEnd(20)} ${seconds.toFixed(2)} s = ${
      (seconds / clean.seconds).toFixed(2)
    }x the fault-free time, peak RSS ${peakRssMb} MB, ${
      lost === 0 ? "every run's rows identical" : `${lost} runs differ`
    }`,
  );
}

console.log(`Fault matrix, 100 runs x ${steps} steps x 10 metrics, 20 ms/request:`);
for (const [name, failureRate] of profiles) {
  const server = await spawnServer(["eval", serverScript(failureRate)]);
  await exportAndReport(name, server);
  await server.stop();
}

// The server killed (SIGKILL) half-way through the export and restarted on the same port from
// its SQLite file 300 ms later: the client retries the refused connections until it is back.
{
  const storagePath = `${outDir}faults-server.sqlite`;
  await Deno.remove(storagePath).catch(() => {});
  let server = await spawnServer(["eval", serverScript({}, 0, storagePath)]);
  const port = Number(new URL(server.url).port);
  await exportAndReport("killed + restarted", server, async (done) => {
    const halfway = new Promise((resolve) => setTimeout(resolve, (clean!.seconds * 1000) / 2));
    if (await Promise.race([halfway.then(() => false), done.then(() => true)])) return;
    await server.stop("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 300));
    server = await spawnServer(["eval", serverScript({}, port, storagePath)]);
  });
  await server.stop();
  await Deno.remove(storagePath).catch(() => {});
}
