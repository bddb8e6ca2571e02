/**
 * `deno task check:official-client`: the official W&B Python client (`wandb.Api()`) pointed at
 * the seeded local server, calling what its users call for runs, history, files and artifacts
 * (bench/python/api_calls.py). Exits 1 when any call fails. Needs `WANDB_PYTHON`: a Python with
 * `wandb` installed (CI has none; run it by hand when the server's schema changes).
 *
 *     WANDB_PYTHON=/path/to/python deno task check:official-client
 */
import { startEmulator } from "../lib/testing/mod.ts";

const python = Deno.env.get("WANDB_PYTHON");
if (python === undefined) {
  console.error("Set WANDB_PYTHON to a Python that has the official wandb client installed.");
  Deno.exit(2);
}
const server = await startEmulator();
try {
  const result = await new Deno.Command(python, {
    args: [new URL("./python/api_calls.py", import.meta.url).pathname, server.url, server.apiKey],
    stderr: "inherit",
  }).output();
  const lines = new TextDecoder().decode(result.stdout).trim().split("\n");
  for (const line of lines) console.log(line);
  const failed = lines.filter((line) => line.split("\t")[1] === "FAIL").length;
  console.log(`${lines.length - failed} calls answered, ${failed} failed`);
  if (!result.success || failed > 0) Deno.exitCode = 1;
} finally {
  await server.close();
}
