// Deno's refusals are their own typed error wherever the library touches a permission: a sink
// writing outside `--allow-write`, a download into a directory the program may not write. Each
// runs in a child process with narrow permissions, against the local server in this one.
import assert from "node:assert/strict";
import { startEmulator } from "../../lib/testing/mod.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Runs `script` with `--allow-write=allowed` only; gives what it printed as JSON. */
async function runWith(script: string, allowed: string, env: Record<string, string>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      `--config=${root}deno.json`,
      "--allow-net=127.0.0.1",
      "--allow-read",
      `--allow-write=${allowed}`,
      "--allow-env=SERVER_URL,SERVER_KEY,DENIED",
      "-",
    ],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { stdout, stderr } = await child.output();
  const text = new TextDecoder().decode(stdout).trim();
  assert.ok(text.length > 0, new TextDecoder().decode(stderr));
  return JSON.parse(text);
}

Deno.test("writing or downloading where --allow-write does not reach is a RuntimePermissionError", async () => {
  const server = await startEmulator();
  const allowed = await Deno.makeTempDir();
  const denied = await Deno.makeTempDir();
  try {
    const result = await runWith(
      `
      import { Effect, Layer, Stream } from "effect";
      import { FetchHttpClient } from "effect/http";
      import { Api, writeNdjson } from "${root}mod.ts";
      const out = Deno.env.get("DENIED");
      const sink = await Effect.runPromise(Effect.flip(writeNdjson(out + "/runs.ndjson", Stream.make({ a: 1 }))));
      const download = await Effect.runPromise(Effect.gen(function* () {
        const api = yield* Api;
        const run = (yield* Stream.runCollect(Stream.take(api.runs("acme/mnist"), 1)))[0];
        const file = yield* api.file(run, "output.log").pipe(
          Effect.catchTag("NotFoundError", () =>
            Stream.runHead(api.files(run)).pipe(Effect.map((f) => f._tag === "Some" ? f.value : undefined)))
        );
        return yield* Effect.flip(api.downloadFile(file, { root: out }));
      }).pipe(Effect.provide(Api.layer({ apiKey: Deno.env.get("SERVER_KEY"), baseUrl: Deno.env.get("SERVER_URL") })
        .pipe(Layer.provide(FetchHttpClient.layer)))));
      console.log(JSON.stringify({
        sink: { tag: sink._tag, flag: sink.flag, message: sink.message },
        download: { tag: download._tag, flag: download.flag, message: download.message },
      }));
      `,
      allowed,
      { SERVER_URL: server.url, SERVER_KEY: server.apiKey, DENIED: denied },
    );
    assert.equal(result.sink.tag, "RuntimePermissionError");
    assert.equal(result.sink.flag, `--allow-write=${denied}/runs.ndjson`);
    assert.match(result.sink.message, /^Deno denied write access to /);
    assert.equal(result.download.tag, "RuntimePermissionError");
    assert.ok(result.download.flag.startsWith(`--allow-write=${denied}`), result.download.flag);
    assert.deepEqual([...Deno.readDirSync(denied)], []);
  } finally {
    await server.close();
    await Deno.remove(allowed, { recursive: true });
    await Deno.remove(denied, { recursive: true });
  }
});
