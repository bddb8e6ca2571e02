/**
 * `deno task emulator`: serves the seeded local W&B server until interrupted.
 *
 *     deno task emulator [--port 8080] [--storage-port 0] [--latency-ms 0]
 *
 * Exit codes: 0 after Ctrl-C, 2 for bad usage (an unknown flag, a port that is not a number).
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as CliError from "effect/cli/CliError";
import * as Command from "effect/cli/Command";
import * as Flag from "effect/cli/Flag";
import { libraryVersion } from "../core/config.ts";
import { denoCliLayer } from "../cli/platform.ts";
import { type Emulator, startEmulator } from "./emulator.ts";
import { type ServerVersion, serverVersions } from "./server_versions.ts";
import { liveRunPresets } from "./runs/live.ts";

/** The `emulator` command's flags, as `effect/cli` parses them. */
export interface EmulatorInput {
  /** `--port`: the API's port. */
  readonly port: number;
  /** `--storage-port`: object storage's port. */
  readonly storagePort: number;
  /** `--latency-ms`: latency added to every request. */
  readonly latencyMs: number;
  readonly serverVersion: ServerVersion;
  readonly live: boolean;
}

/** The exit code of the last run of the command: 0, or 2 (bad usage). */
let exitCode = 0;

const port = (name: string, description: string, fallback: number) =>
  Flag.Int(name).pipe(Flag.withDescription(description), Flag.withDefault(fallback));

/** What the server prints once it listens: where it is, its key, and every seeded project. */
export function banner(server: Emulator): string {
  const projects = server.seed.projects.map((p) => `${p.entity}/${p.name}`);
  return [
    `Local W&B server at ${server.url} (object storage at ${server.storageUrl})`,
    `  WANDB_BASE_URL=${server.url}`,
    `  WANDB_API_KEY=${server.apiKey}   (user ${server.seed.users[0]?.username ?? "alice"}; ` +
    `entities ${server.seed.entities.map((e) => e.name).join(", ")})`,
    `Projects: ${projects.join(", ")}.`,
    ...(server.liveRuns.length === 0
      ? []
      : [`Live runs, logging now: ${server.liveRuns.map((r) => r.path).join(", ")}.`]),
    `Acting as W&B Server ${
      server.serverVersion === "latest" ? "SaaS (latest)" : server.serverVersion
    }.`,
    "Ctrl-C stops it.",
  ].join("\n");
}

/** The `emulator` command of `effect/cli`. */
// deno-lint-ignore ban-types
export const emulatorCommand: Command.Command<"emulator", EmulatorInput, {}, never, never> = Command
  .make(
    "emulator",
    {
      port: port("port", "the API's port on 127.0.0.1 (default: 8080; 0 picks a free one)", 8080),
      storagePort: port(
        "storage-port",
        "object storage's port on 127.0.0.1 (default: 0, a free one)",
        0,
      ),
      latencyMs: port("latency-ms", "milliseconds added to every request (default: 0)", 0),
      serverVersion: Flag.Literals("server-version", serverVersions).pipe(
        Flag.withDescription(
          "the W&B Server release to act as: its schema and features (default: latest, as SaaS)",
        ),
        Flag.withDefault("latest" as const),
      ),
      live: Flag.Boolean("live").pipe(
        Flag.withDescription(
          "start four live runs in acme/live: healthy, diverging (NaN loss), stalling, crashing",
        ),
        Flag.withDefault(false),
      ),
    },
    (input) =>
      Effect.gen(function* () {
        for (const [flag, value] of [["port", input.port], ["storage-port", input.storagePort]]) {
          if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 65535) {
            console.error(`--${flag} takes a port from 0 to 65535, not ${value}`);
            exitCode = 2;
            return;
          }
        }
        const server = yield* Effect.promise(() =>
          startEmulator({
            port: input.port,
            storagePort: input.storagePort,
            latencyMs: input.latencyMs,
            serverVersion: input.serverVersion,
            liveRuns: input.live ? liveRunPresets : [],
          })
        );
        yield* Effect.callback<void>((resume) => {
          const stop = () => resume(Effect.promise(() => server.close()));
          Deno.addSignalListener("SIGINT", stop);
          // Said once Ctrl-C is listened for: a signal right after the banner stops it cleanly.
          console.log(banner(server));
          return Effect.sync(() => Deno.removeSignalListener("SIGINT", stop));
        });
      }),
  ).pipe(
    Command.withDescription(
      "Serve the local W&B server with its seeded sample data on 127.0.0.1 until Ctrl-C",
    ),
  );

/**
 * Runs the command on `args` and gives its exit code: 0, or 2 for bad usage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./main.ts";
 * assert.equal(await main(["--fast"]), 2);
 * ```
 */
export async function main(args: ReadonlyArray<string>): Promise<number> {
  exitCode = 0;
  const exit = await Effect.runPromiseExit(
    Command.run(emulatorCommand, { version: libraryVersion }).pipe(
      Effect.provide(denoCliLayer(args)),
    ),
  );
  if (exit._tag === "Success") return exitCode;
  const failure = exit.cause.reasons.find((reason) => reason._tag === "Fail");
  const error = failure?._tag === "Fail" ? failure.error : undefined;
  return error instanceof CliError.ShowHelp && error.errors.length === 0 ? 0 : 2;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
