/** Processes the benchmarks start: a server that prints `{ url, apiKey }`, and timed clients. */

/** A local server in a process of its own, once it has printed where it listens. */
export interface ServerProcess {
  readonly url: string;
  readonly apiKey: string;
  /** Stops it (`SIGTERM`, or the signal given) and waits for it to end. */
  stop(signal?: Deno.Signal): Promise<void>;
  /**
   * The CPU time it has used so far (all threads, user and system), in seconds; `undefined`
   * where `/proc` does not say (not Linux).
   */
  cpuSeconds(): Promise<number | undefined>;
}

/**
 * The CPU time process `pid` has used, from `/proc/<pid>/stat` (read with `cat`: Deno reads
 * `/proc` only with every permission, and the benchmarks have `--allow-run`).
 */
async function cpuSecondsOf(pid: number): Promise<number | undefined> {
  try {
    const { stdout, success } = await new Deno.Command("cat", {
      args: [`/proc/${pid}/stat`],
      stderr: "null",
    }).output();
    if (!success) return undefined;
    // The fields after the command's name (which may hold spaces) in parentheses: utime and
    // stime are the 14th and 15th, in clock ticks (100 a second on Linux).
    const text = new TextDecoder().decode(stdout);
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Starts `deno <args>` and waits for its first line, `{ url, apiKey }`. */
export async function spawnServer(args: ReadonlyArray<string>): Promise<ServerProcess> {
  const server = new Deno.Command(Deno.execPath(), {
    args: [...args],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = server.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the benchmark server stopped before it was ready");
    text += value;
  }
  const { url, apiKey } = JSON.parse(text.split("\n")[0]!);
  return {
    url,
    apiKey,
    stop: async (signal = "SIGTERM") => {
      server.kill(signal);
      await server.status;
    },
    cpuSeconds: () => cpuSecondsOf(server.pid),
  };
}

/**
 * Bundles `entry` (a path under the repository) as `deno task bundle:cli` bundles the CLI: one
 * module graph of a few files instead of our 51 modules and Effect's hundreds, which is what
 * a memory-bound job should run. Returns the bundle's path relative to bench/ (for
 * {@link ClientArgsOptions.script}); it lands under bench/out/bundles/<name>/.
 */
export async function bundled(entry: string, name: string): Promise<string> {
  const root = new URL("../", import.meta.url).pathname;
  const outDir = `bench/out/bundles/${name}`;
  await Deno.remove(`${root}${outDir}`, { recursive: true }).catch(() => {});
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--code-splitting",
      "--outdir",
      outDir,
      entry,
    ],
    cwd: root,
    stderr: "inherit",
  }).output();
  if (!result.success) throw new Error(`deno bundle ${entry} failed`);
  const main = entry.slice(entry.lastIndexOf("/") + 1).replace(/\.ts$/, ".js");
  return `out/bundles/${name}/${main}`;
}

/** `bench/server.ts` with its arguments. */
export const benchServer = (
  runs: number,
  steps: number,
  metrics: number,
  latency: number | "saas",
): Promise<ServerProcess> =>
  spawnServer([
    "run",
    "--allow-net=127.0.0.1",
    new URL("./server.ts", import.meta.url).pathname,
    String(runs),
    String(steps),
    String(metrics),
    String(latency),
  ]);

/** How {@link clientArgs} runs a client. */
export interface ClientArgsOptions {
  /** The client script in bench/, or a bundle of it ({@link bundled}). @default {"client.ts"} */
  readonly script?: string | undefined;
  /** Export at most this many runs (`client.ts` only). */
  readonly maxRuns?: number | undefined;
  readonly v8Flags?: ReadonlyArray<string> | undefined;
}

/** The arguments that run a bench client in `mode` against `server`, writing `out`. */
export const clientArgs = (
  mode: string,
  server: { readonly url: string; readonly apiKey: string },
  out: string,
  outDir: string,
  options?: ClientArgsOptions,
): Array<string> => [
  "run",
  ...(options?.v8Flags === undefined || options.v8Flags.length === 0
    ? []
    : [`--v8-flags=${options.v8Flags.join(",")}`]),
  "--allow-net=127.0.0.1",
  "--allow-read",
  `--allow-write=${outDir}`,
  new URL(`./${options?.script ?? "client.ts"}`, import.meta.url).pathname,
  mode,
  server.url,
  server.apiKey,
  out,
  ...(options?.maxRuns === undefined ? [] : [String(options.maxRuns)]),
];

/** The JSON a client process printed on its last line: what it measured. */
export const lastJsonLine = <A>(stdout: Uint8Array): A =>
  JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").pop()!);

/** What a client process reports on its last line. */
export interface OfficialClientResult {
  readonly mode: string;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly rows?: number;
  readonly bytes?: number;
}

/**
 * Runs one of bench/python/'s scripts with `python` (a Python with the official `wandb` client,
 * from `WANDB_PYTHON`) and returns the JSON of its last line.
 */
export async function officialClient(
  python: string,
  script: string,
  args: ReadonlyArray<string>,
): Promise<OfficialClientResult> {
  const result = await new Deno.Command(python, {
    args: [new URL(`./python/${script}`, import.meta.url).pathname, ...args],
    stderr: "inherit",
  }).output();
  if (!result.success) throw new Error(`the official client (${script}) failed`);
  return lastJsonLine(result.stdout);
}
