/**
 * `deno task bench:saas`: both history paths under a SaaS-like cost profile (`saasCostProfile`:
 * ~100 ms round trips with jitter, 1.27 ms of server time per GraphQL history row, a per-project
 * quota, object storage at 40 MB/s per connection after 80 ms), 20 runs x 5,000 steps x 10
 * metrics, each client a process of its own. The baseline (the official client's way: one run,
 * one 1,000-row page at a time, ~730 rows/s as on SaaS) is measured on 2 runs: its rate does not
 * depend on how many runs there are, and all 20 would take over two minutes.
 *
 * With `WANDB_PYTHON` naming a Python that has the official `wandb` client, that client's own
 * `scan_history` export (bench/python/scan_history.py) runs on 2 runs too.
 *
 *     [WANDB_PYTHON=/path/to/python] deno task bench:saas
 */
import { benchServer, clientArgs, lastJsonLine, officialClient } from "./_processes.ts";

const deno = Deno.execPath();
/** A Python with the official `wandb` client installed: its own `scan_history` runs too. */
const python = Deno.env.get("WANDB_PYTHON");
const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });

const server = await benchServer(20, 5000, 10, "saas");

interface Result {
  readonly mode: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}
const client = async (mode: string, maxRuns?: number): Promise<Result> => {
  const out = `${outDir}saas-${mode}.ndjson`;
  const result = await new Deno.Command(deno, {
    args: clientArgs(mode, server, out, outDir, { maxRuns }),
    stderr: "inherit",
  }).output();
  if (!result.success) throw new Error(`the ${mode} client failed`);
  await Deno.remove(out);
  return lastJsonLine(result.stdout);
};
console.log("SaaS-like profile, 20 runs x 5,000 steps x 10 metrics:");
const results: Array<Result> = [];
for (const [mode, maxRuns] of [["baseline", 2], ["graphql"], ["parquet"], ["defaults"]] as const) {
  const r = await client(mode, maxRuns);
  results.push(r);
  console.log(
    `  ${mode.padEnd(8)} ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${
      Math.round(r.rows / r.seconds)
    } rows/s, peak RSS ${r.peakRssMb} MB`,
  );
}
if (python !== undefined) {
  // The official client itself on 2 runs: its rate under the profile is what the profile was
  // derived from (~730 rows/s on SaaS), so this checks the derivation.
  const out = `${outDir}saas-python.ndjson`;
  const r = await officialClient(python, "scan_history.py", [server.url, server.apiKey, out, "2"])
    .finally(() => Deno.remove(out).catch(() => {})) as Result;
  results.push(r);
  console.log(
    `  ${"python".padEnd(8)} ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${
      Math.round(r.rows / r.seconds)
    } rows/s, peak RSS ${r.peakRssMb} MB (the official client, with its wandb-core)`,
  );
}
const rate = (r: Result) => r.rows / r.seconds;
const official = results.find((r) => r.mode === "python");
for (const r of results.slice(1, 4)) {
  console.log(
    `${r.mode} / baseline: ${(rate(r) / rate(results[0]!)).toFixed(1)}x${
      official === undefined
        ? ""
        : `, / the official client: ${(rate(r) / rate(official)).toFixed(1)}x`
    }`,
  );
}
await Deno.writeTextFile(`${outDir}saas.json`, JSON.stringify(results, null, 2));
await server.stop();
