/**
 * `deno task check:official-client`: the official W&B Python client (`wandb.Api()`) pointed at
 * the seeded local server, calling what its users call for runs, history, files and artifacts
 * (bench/python/api_calls.py) and the newest surfaces (bench/python/new_surfaces.py), once per
 * W&B Server release the local server can act as (or the one `WANDB_SERVER_VERSION` names).
 * Exits 1 when any call fails where that release supports it. Needs `WANDB_PYTHON`: a Python
 * with `wandb` installed (CI has none; run it by hand when the server's schema changes).
 *
 *     WANDB_PYTHON=/path/to/python deno task check:official-client
 */
import { Effect, Layer, Stream } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api } from "../mod.ts";
import {
  type Emulator,
  isServerVersion,
  serverVersions,
  startEmulator,
} from "../lib/testing/mod.ts";

/** Rows of a run of acme/mnist as this client's default scan reads them from `server`. */
const ourRowCount = (server: Emulator, run: string) =>
  Effect.runPromise(
    Effect.flatMap(Api, (api) => Stream.runCount(api.scanHistory(`acme/mnist/${run}`))).pipe(
      Effect.provide(
        Api.layer({ apiKey: server.apiKey, baseUrl: server.url }).pipe(
          Layer.provide(FetchHttpClient.layer),
        ),
      ),
    ),
  );

const python = Deno.env.get("WANDB_PYTHON");
if (python === undefined) {
  console.error("Set WANDB_PYTHON to a Python that has the official wandb client installed.");
  Deno.exit(2);
}
const only = Deno.env.get("WANDB_SERVER_VERSION");
if (only !== undefined && !isServerVersion(only)) {
  console.error(`WANDB_SERVER_VERSION: ${only} is not one of the local server's releases`);
  Deno.exit(2);
}
const scripts = ["api_calls.py", "new_surfaces.py"];
// What an older release may refuse, as the official client says it: "not enabled on this wandb
// server version", "not supported on this wandb server version", "requires W&B server …".
const refusedByRelease = /server version|not supported|requires W&B server|upgrade your server/i;
let failures = 0;
for (const version of only === undefined ? serverVersions : [only]) {
  const server = await startEmulator({ serverVersion: version });
  try {
    for (const script of scripts) {
      const result = await new Deno.Command(python, {
        args: [new URL(`./python/${script}`, import.meta.url).pathname, server.url, server.apiKey],
        stderr: "inherit",
      }).output();
      const lines = new TextDecoder().decode(result.stdout).trim().split("\n");
      let failed = 0;
      let refused = 0;
      for (const line of lines) {
        const [name, status, value] = line.split("\t");
        if (name === "running run.scan_history" && status === "ok") {
          // Both clients over the same running run: the same rows, each step once.
          const [, id, rows, steps] = /^'(\w+) (\d+) rows (\d+) steps'$/.exec(value ?? "") ?? [];
          const ours = await ourRowCount(server, id ?? "");
          const agree = rows === steps && Number(rows) === ours;
          console.log(
            `${version}\trunning run: official ${rows} rows (${steps} steps), ours ${ours}: ${
              agree ? "agree" : "DIFFER"
            }`,
          );
          if (!agree) failed++;
        }
        if (status !== "FAIL") continue;
        if (version !== "latest" && refusedByRelease.test(value ?? "")) {
          refused++;
          console.log(`${version}\t${name}\trefused by the release: ${value}`);
        } else {
          failed++;
          console.log(`${version}\t${name}\tFAIL\t${value}`);
        }
      }
      console.log(
        `${version} ${script}: ${
          lines.length - failed - refused
        } calls answered, ${refused} refused by the release, ${failed} failed`,
      );
      failures += failed + (result.success ? 0 : 1);
    }
  } finally {
    await server.close();
  }
}
if (failures > 0) Deno.exitCode = 1;
