/**
 * `deno task bench:hostile`: what a broken or hostile server costs a client with the default
 * settings: the time from the request to its typed error, and the client's extra peak memory
 * over its own peak after a normal request (both measured in the client's own process: VmHWM).
 *
 * The local server runs here, with each case's fault queued for the `GetViewer` requests; the
 * client (bench/hostile_client.ts, a process of its own) first lists a page of runs (the normal
 * peak), then asks for the viewer and reports what it met.
 *
 *     deno task bench:hostile [case …]
 */
import { startEmulator } from "../lib/testing/mod.ts";
import type { Fault } from "../lib/testing/mod.ts";

const outDir = new URL("./out/", import.meta.url).pathname;
await Deno.mkdir(outDir, { recursive: true });

interface Case {
  readonly name: string;
  /** The fault of every `GetViewer` request; `undefined` for the cases the server itself plays. */
  readonly fault?: Fault | undefined;
  /** The server is not there (a closed port) or hangs up at once. */
  readonly dead?: boolean | undefined;
  /** The client's `maxResponseBytes`, when not the default. */
  readonly maxResponseBytes?: number | undefined;
}

const viewer = (fault: Fault): Fault => ({ ...fault, operationName: "GetViewer" });

const cases: ReadonlyArray<Case> = [
  { name: "HTTP 503, every time", fault: viewer({ status: 503 }) },
  { name: "a server that never answers", fault: viewer({ kind: "delay", ms: 600_000 }) },
  { name: "nothing listening (connection refused)", dead: true },
  { name: "a 200 whose body never ends", fault: viewer({ kind: "endless" }) },
  // The bound of the case above: an answer is read whole up to the limit before it can be
  // refused, so the extra memory follows the limit (64 MB by default), not the body.
  {
    name: "  the same, maxResponseBytes 8 MB",
    fault: viewer({ kind: "endless" }),
    maxResponseBytes: 8 * 1024 * 1024,
  },
  {
    name: "Content-Length: 5 GB, fast data",
    fault: viewer({ kind: "endless", declaredLength: 5e9 }),
  },
  { name: "HTTP 401 with a 10 MB body", fault: viewer({ status: 401, body: "x".repeat(1e7) }) },
  {
    name: "a 200 with a 1 MB GraphQL error",
    fault: viewer({
      status: 200,
      body: JSON.stringify({ data: null, errors: [{ message: "e".repeat(1e6) }] }),
    }),
  },
  { name: "a 200 HTML login page", fault: viewer({ kind: "html", status: 200 }) },
  { name: "a 200 of binary garbage", fault: viewer({ kind: "garbage" }) },
  { name: "a proxy's 502 HTML page, every time", fault: viewer({ kind: "html", status: 502 }) },
  {
    name: "a connection reset mid-answer, every time",
    fault: viewer({ kind: "reset", afterBytes: 30 }),
  },
  {
    name: "a 307 to another origin",
    fault: viewer({ kind: "redirect", location: "http://127.0.0.1:9/graphql" }),
  },
  {
    name: "429 with Retry-After: 600",
    fault: viewer({ status: 429, headers: { "Retry-After": "600" } }),
  },
];

const chosen = Deno.args.length === 0
  ? cases
  : cases.filter((c) => Deno.args.some((a) => c.name.includes(a)));

interface Outcome {
  readonly tag: string;
  readonly reason?: string;
  readonly seconds: number;
  readonly normalPeakMb: number;
  readonly peakMb: number;
  readonly message: string;
}

const results: Array<Outcome & { readonly name: string }> = [];
for (const c of chosen) {
  const server = await startEmulator();
  let target = server.url;
  if (c.dead) {
    const gone = await startEmulator({ seed: false });
    target = gone.url;
    await gone.close();
  }
  // More faults than any budget takes requests.
  if (c.fault !== undefined) server.injectFaults(...Array(1_000).fill(c.fault));
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      // Deno lets a program read /proc/self only with every permission.
      "--allow-all",
      new URL("./hostile_client.ts", import.meta.url).pathname,
      server.url,
      target,
      server.apiKey,
      ...(c.maxResponseBytes === undefined ? [] : [String(c.maxResponseBytes)]),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  server.clearFaults();
  await server.close();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!;
  const outcome = JSON.parse(line) as Outcome;
  results.push({ name: c.name, ...outcome });
  console.log(
    `${c.name.padEnd(44)} ${
      `${outcome.tag}${outcome.reason ? `(${outcome.reason})` : ""}`.padEnd(32)
    } ` +
      `${outcome.seconds.toFixed(2).padStart(6)} s  +${
        (outcome.peakMb - outcome.normalPeakMb).toFixed(1)
      } MB ` +
      `(normal peak ${
        outcome.normalPeakMb.toFixed(1)
      } MB)  message ${outcome.message.length} chars`,
  );
}
await Deno.writeTextFile(`${outDir}hostile.json`, JSON.stringify(results, null, 2));
