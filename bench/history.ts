/**
 * `deno task bench:history`: history export speed and memory, as ratios against a baseline
 * measured in the same run.
 *
 * A local W&B server (its own process) serves 100 runs x 10,000 steps x 10 metrics (1M rows)
 * with 20 ms of latency per request, from rows stored as W&B stores them. Clients (each its own
 * process, so peak RSS is its own) export every row to NDJSON: the Python client's way
 * (baseline: one run, one 1,000-step window at a time, every row parsed and printed again), our
 * GraphQL path and our Parquet path (both `scanHistories(…, { format: "ndjson" })` into `writeBytes`, recycling
 * their buffers through a `BufferPool`), and the README's plain code with every default, run
 * as modules and bundled by `deno bundle` (one module graph of a few files, as a memory-bound
 * job ships it), on 30 runs (300k rows) and on all, in three alternating rounds whose medians
 * are the figures. Then our paths export 5M rows (100 runs x 50,000 steps): the bundled defaults
 * and both paths as modules, each once as it is and once with V8 told to keep its heap small
 * (old space 64 MB, semi-spaces 4 MB). Results go to stdout and bench/out/history.json.
 *
 * With `WANDB_PYTHON` naming a Python that has the official `wandb` client, that client's own
 * `scan_history` export (bench/python/scan_history.py) runs on 30 of the runs, three times, and
 * our paths are also given as ratios of its median rate.
 *
 *     [WANDB_PYTHON=/path/to/python] deno task bench:history [--quick] [--capped-only | --no-5m]
 */
import {
  benchServer,
  bundled,
  clientArgs,
  type ClientArgsOptions,
  lastJsonLine,
  officialClient,
} from "./_processes.ts";

const quick = Deno.args.includes("--quick");
/** A Python with the official `wandb` client installed: its own `scan_history` export runs too. */
const python = Deno.env.get("WANDB_PYTHON");
const deno = Deno.execPath();
const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });

interface ClientResult {
  readonly mode: string;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

async function withServer<A>(
  runs: number,
  steps: number,
  body: (url: string, apiKey: string) => Promise<A>,
): Promise<A> {
  const server = await benchServer(runs, steps, 10, 20);
  try {
    return await body(server.url, server.apiKey);
  } finally {
    await server.stop();
  }
}

async function client(
  mode: string,
  url: string,
  apiKey: string,
  rows: string,
  options: ClientArgsOptions = {},
): Promise<ClientResult> {
  const out = `${outDir}${mode}-${rows}.ndjson`;
  // The previous client's file is flushed first, so that its write-back does not slow this one.
  await new Deno.Command("sync").output();
  const result = await new Deno.Command(deno, {
    args: clientArgs(mode, { url, apiKey }, out, outDir, options),
    stderr: "inherit",
  }).output();
  if (!result.success) throw new Error(`the ${mode} client failed`);
  await Deno.remove(out);
  return lastJsonLine(result.stdout);
}

/** The middle value (the mean of the two middle ones for an even count). */
const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const steps1m = quick ? 1_000 : 10_000;
/** Rounds of the defaults client on 30 runs and on all. */
const defaultsRounds = quick ? 1 : 3;
const steps5m = quick ? 5_000 : 50_000;
console.log(`Exporting 100 runs x ${steps1m} steps x 10 metrics, 20 ms latency per request…`);
const skipOneMillion = Deno.args.includes("--capped-only");
// The plain defaults client as a memory-bound job would ship it: bundled by `deno bundle`.
const defaultsBundle = await bundled("bench/client.ts", "client");
const report = (name: string, r: ClientResult, note = "") =>
  console.log(
    `  ${name.padEnd(8)} ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${
      Math.round(r.rows / r.seconds)
    } rows/s, peak RSS ${r.peakRssMb} MB${note}`,
  );
// Deno writes a module's V8 code cache on its first run, which costs that run ~25 MB more: a
// scheduled job runs its bundle many times, so the bundle runs once before it is measured.
let warm = false;
const warmUp = async (url: string, key: string) => {
  if (!warm) await client("defaults", url, key, "warm-up", { maxRuns: 1, script: defaultsBundle });
  warm = true;
};
/** The defaults client on 30 runs (300k rows) and all, as modules and bundled. */
const defaultsRuns: Array<ClientResult & { readonly runs: number; readonly bundled: boolean }> = [];
const oneMillion = skipOneMillion ? [] : await withServer(100, steps1m, async (url, key) => {
  const results: Array<ClientResult> = [];
  for (const mode of ["baseline", "graphql", "parquet", "defaults"]) {
    const r = await client(mode, url, key, "1m");
    report(mode, r);
    results.push(r);
  }
  await warmUp(url, key);
  // No runs first: what the runtime and the modules hold before any row (the floor under the
  // peaks that follow, as modules and bundled). Then 30 runs and all, as modules and bundled,
  // in alternating rounds: one export's time and peak move ±10% between runs here.
  const shapes = [
    ...[false, true].map((bundle) => ({ runs: 0, bundle, round: 1 })),
    ...Array.from(
      { length: defaultsRounds },
      (_, i) =>
        [30, 100].flatMap((runs) =>
          [false, true].map((bundle) => ({ runs, bundle, round: i + 1 }))
        ),
    )
      .flat(),
  ];
  for (const { runs, bundle, round } of shapes) {
    const r = await client("defaults", url, key, `${runs}-runs`, {
      maxRuns: runs,
      script: bundle ? defaultsBundle : undefined,
    });
    report(
      "defaults",
      r,
      `, ${runs === 0 ? "no rows: the runtime and its modules alone" : `${runs} runs`}${
        bundle ? ", bundled" : ""
      }${runs === 0 ? "" : `, round ${round}`}`,
    );
    defaultsRuns.push({ ...r, runs, bundled: bundle });
  }
  for (const runs of [30, 100]) {
    for (const bundle of [false, true]) {
      const of = defaultsRuns.filter((r) => r.runs === runs && r.bundled === bundle);
      console.log(
        `  defaults, ${runs} runs${bundle ? ", bundled" : ", as modules"}: median ${
          median(of.map((r) => r.seconds)).toFixed(2)
        } s, peak RSS ${median(of.map((r) => r.peakRssMb))} MB (${of.length} rounds)`,
      );
    }
  }
  if (python !== undefined) {
    // The official client itself, on 30 of the runs (300k rows, the issue's export), as many
    // rounds as ours (its time moved 14.5–19.9 s between runs here): the median of its rate is
    // what the ratios below are against.
    const rounds: Array<ClientResult> = [];
    for (let round = 1; round <= defaultsRounds; round++) {
      const out = `${outDir}python-1m.ndjson`;
      const args = [url, key, out, quick ? "10" : "30"];
      const r = await officialClient(python, "scan_history.py", args)
        .finally(() => Deno.remove(out).catch(() => {})) as ClientResult;
      console.log(
        `  ${"python".padEnd(8)} ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${
          Math.round(r.rows / r.seconds)
        } rows/s, peak RSS ${r.peakRssMb} MB (the official client, with its wandb-core)${
          defaultsRounds > 1 ? `, round ${round}` : ""
        }`,
      );
      rounds.push(r);
    }
    results.push({
      mode: "python",
      rows: rounds[0]!.rows,
      seconds: median(rounds.map((r) => r.seconds)),
      peakRssMb: median(rounds.map((r) => r.peakRssMb)),
    });
  }
  return results;
});
const rate = (r: ClientResult) => r.rows / r.seconds;
const [baseline, graphql, parquet, defaults, official] = oneMillion as Array<
  ClientResult | undefined
>;
const ratio = (r: ClientResult | undefined) =>
  r === undefined || baseline === undefined ? undefined : rate(r) / rate(baseline);
if (!skipOneMillion) {
  console.log(`GraphQL path / baseline: ${ratio(graphql)!.toFixed(1)}x`);
  console.log(`Parquet path / baseline: ${ratio(parquet)!.toFixed(1)}x`);
  console.log(`Defaults / baseline: ${ratio(defaults)!.toFixed(1)}x`);
  if (official !== undefined) {
    for (
      const [name, r] of [["GraphQL path", graphql], ["Parquet path", parquet], [
        "Defaults",
        defaults,
      ]] as const
    ) {
      console.log(`${name} / the official client: ${(rate(r!) / rate(official)).toFixed(1)}x`);
    }
    // The issue's measure: the README's export, 300k and 1M rows, medians of the rounds.
    for (const runs of [30, 100]) {
      const of = defaultsRuns.filter((r) => r.runs === runs && !r.bundled);
      const rows = of[0]!.rows;
      console.log(
        `Defaults, ${runs} runs as modules (median of ${of.length}) / the official client: ${
          (rows / median(of.map((r) => r.seconds)) / rate(official)).toFixed(1)
        }x`,
      );
    }
  }
}

if (!Deno.args.includes("--no-5m")) {
  console.log(`Exporting 100 runs x ${steps5m} steps x 10 metrics for peak memory…`);
}
// The same exports with V8's heap kept small: if rows were retained, these would die of heap
// exhaustion; finishing shows the live data is bounded, and the RSS is what a memory-bound job
// pays. Without the flags V8 lets garbage pile up to a few hundred MB before collecting it.
const smallHeap = ["--max-old-space-size=64", "--max-semi-space-size=4"];
const capped = Deno.args.includes("--capped-only"); // only the small-heap 5M runs
const fiveMillion = Deno.args.includes("--no-5m")
  ? []
  : await withServer(100, steps5m, async (url, key) => {
    const results: Array<
      ClientResult & { readonly v8Flags?: ReadonlyArray<string>; readonly bundled?: boolean }
    > = [];
    // The bundled defaults, as they are and as a memory-bound job runs them (small heap).
    await warmUp(url, key);
    for (const v8Flags of capped ? [smallHeap] : [[], smallHeap]) {
      const r = await client("defaults", url, key, "5m", { script: defaultsBundle, v8Flags });
      console.log(
        `  defaults ${r.rows} rows in ${
          r.seconds.toFixed(1)
        } s, peak RSS ${r.peakRssMb} MB, bundled${
          v8Flags.length > 0 ? `, with ${v8Flags.join(" ")}` : ""
        }`,
      );
      results.push({ ...r, bundled: true, v8Flags });
    }
    for (const mode of ["graphql", "parquet"]) {
      if (!capped) {
        const r = await client(mode, url, key, "5m");
        console.log(
          `  ${mode.padEnd(8)} ${r.rows} rows in ${
            r.seconds.toFixed(1)
          } s, peak RSS ${r.peakRssMb} MB`,
        );
        results.push(r);
      }
      const c = await client(mode, url, key, "5m", { v8Flags: smallHeap });
      console.log(
        `  ${mode.padEnd(8)} ${c.rows} rows in ${
          c.seconds.toFixed(1)
        } s, peak RSS ${c.peakRssMb} MB, with ${smallHeap.join(" ")}`,
      );
      results.push({ ...c, v8Flags: smallHeap });
    }
    return results;
  });

await Deno.writeTextFile(
  `${outDir}${skipOneMillion ? "history-capped" : "history"}.json`,
  JSON.stringify(
    {
      oneMillion,
      ratios: { graphql: ratio(graphql), parquet: ratio(parquet), defaults: ratio(defaults) },
      vsOfficialClient: official === undefined ? undefined : {
        graphql: rate(graphql!) / rate(official),
        parquet: rate(parquet!) / rate(official),
        defaults: rate(defaults!) / rate(official),
      },
      defaultsRuns,
      fiveMillion,
    },
    null,
    2,
  ),
);
