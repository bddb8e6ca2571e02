/**
 * `deno task emulator`: serves the seeded local W&B server until interrupted.
 *
 *     deno task emulator [--port 8080] [--latency-ms 0]
 *
 * @module
 */
import { startEmulator } from "./emulator.ts";

if (import.meta.main) {
  const flag = (name: string, fallback: number) => {
    const i = Deno.args.indexOf(`--${name}`);
    const value = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 0) {
      console.error(`--${name} must be a non-negative integer`);
      Deno.exit(2);
    }
    return value;
  };
  const server = await startEmulator({
    port: flag("port", 8080),
    latencyMs: flag("latency-ms", 0),
  });
  console.log(`Local W&B server at ${server.url}`);
  console.log(`  WANDB_BASE_URL=${server.url}`);
  console.log(`  WANDB_API_KEY=${server.apiKey}   (user alice; entities alice, acme)`);
  console.log("Projects: acme/mnist, acme/cifar10, acme/empty, alice/scratch. Ctrl-C stops it.");
  Deno.addSignalListener("SIGINT", () => {
    server.close().then(() => Deno.exit(0));
  });
}
