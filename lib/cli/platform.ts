/**
 * The few platform services `effect/cli` asks for, on Deno's own APIs: arguments and standard
 * output (Stdio), the terminal's size (Terminal) and paths (Path). There is no
 * `@effect/platform-deno`, and `@effect/platform-node` would bring a hundred npm packages and
 * ~120 MB of resident memory to a command that needs none of them. The export command reads no
 * files through `effect/cli` and runs no child processes: those two services refuse.
 *
 * @module
 */
import * as ConfigProvider from "effect/ConfigProvider";
import * as Effect from "effect/Effect";
import * as FileSystem from "effect/FileSystem";
import * as Layer from "effect/Layer";
import * as Path from "effect/Path";
import * as Sink from "effect/Sink";
import * as Stdio from "effect/Stdio";
import * as Stream from "effect/Stream";
import * as Terminal from "effect/Terminal";
import * as TerminalCapabilities from "effect/cli/TerminalCapabilities";
import * as ChildProcessSpawner from "effect/process/ChildProcessSpawner";
import { envVarsProvider } from "../core/env.ts";

const encoder = new TextEncoder();

/** Writes to a Deno stream whole, text or bytes. */
const writerSink = (stream: { writeSync(p: Uint8Array): number }) =>
  Sink.forEach((chunk: string | Uint8Array) =>
    Effect.sync(() => {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      for (let at = 0; at < bytes.length;) at += stream.writeSync(bytes.subarray(at));
    })
  );

const isTerminal = (stream: { isTerminal(): boolean }) => Effect.sync(() => stream.isTerminal());

/** Stdio over `Deno.args`, `Deno.stdout`, `Deno.stderr` and `Deno.stdin`. */
const stdio = (args: ReadonlyArray<string>): Stdio.Stdio =>
  Stdio.make({
    args: Effect.succeed(args),
    stdout: () => writerSink(Deno.stdout),
    stderr: () => writerSink(Deno.stderr),
    stdin: Stream.empty,
    stdinIsTerminal: isTerminal(Deno.stdin),
    stdoutIsTerminal: isTerminal(Deno.stdout),
    stderrIsTerminal: isTerminal(Deno.stderr),
  });

const consoleSize = () => {
  try {
    return Deno.consoleSize();
  } catch {
    return { columns: 80, rows: 24 };
  }
};

/** A terminal that can be written to and measured; this command never reads from it. */
const terminal: Terminal.Terminal = Terminal.make({
  columns: Effect.sync(() => consoleSize().columns),
  rows: Effect.sync(() => consoleSize().rows),
  size: Effect.die("effect-wandb's CLI does not follow terminal resizes"),
  readInput: Effect.die("effect-wandb's CLI does not read the terminal"),
  readLine: Effect.die("effect-wandb's CLI does not read the terminal"),
  display: (text) =>
    Effect.sync(() => {
      Deno.stdout.writeSync(encoder.encode(text));
    }),
});

/**
 * Everything `Command.run` of `effect/cli` needs, for the given arguments, on Deno.
 *
 * @example
 * ```ts
 * import { Effect } from "effect";
 * import { Command } from "effect/cli";
 * import { denoCliLayer } from "./platform.ts";
 * const hello = Command.make("hello", {}, () => Effect.void);
 * await Effect.runPromise(Command.run(hello, { version: "1" }).pipe(Effect.provide(denoCliLayer([]))));
 * ```
 */
export function denoCliLayer(
  args: ReadonlyArray<string>,
): Layer.Layer<
  | Stdio.Stdio
  | Terminal.Terminal
  | Path.Path
  | FileSystem.FileSystem
  | ChildProcessSpawner.ChildProcessSpawner
> {
  const io = Layer.succeed(Stdio.Stdio, stdio(args));
  // Colours from the variables read above and the TTY state of stdout: effect/cli's default
  // reads `process.env` whole, which a scoped `--allow-env` refuses.
  const capabilities = TerminalCapabilities.layer.pipe(
    Layer.provide(io),
    // The variables effect/cli reads to pick colours, read one by one.
    Layer.provide(
      Layer.succeed(
        ConfigProvider.ConfigProvider,
        envVarsProvider(["NO_COLOR", "FORCE_COLOR", "TERM"]),
      ),
    ),
  );
  return Layer.mergeAll(
    capabilities,
    io,
    Layer.succeed(Terminal.Terminal, terminal),
    Path.layer,
    FileSystem.layerNoop({}),
    Layer.succeed(
      ChildProcessSpawner.ChildProcessSpawner,
      ChildProcessSpawner.make(() => Effect.die("effect-wandb's CLI runs no child processes")),
    ),
  );
}
