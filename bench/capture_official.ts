/**
 * `deno task capture:official-client <script.py> <out.jsonl>`: runs a script of the official W&B
 * Python client against the seeded local server through a recording proxy, and writes every
 * GraphQL request it sent (method, path, headers, JSON body) as one JSON line each, the way the
 * v0.26.1 capture in `tests/fixtures/` was made. The API key in the file is a fake 40 × "x".
 * Needs `WANDB_PYTHON`: a Python with the client installed (docs/benchmarks.md has the recipe).
 *
 *     WANDB_PYTHON=/tmp/wbenv/bin/python deno task capture:official-client \
 *       bench/python/new_surfaces.py tests/fixtures/captured-requests-v0.30.0.jsonl
 */
import { isServerVersion, startEmulator } from "../lib/testing/mod.ts";

const [script, out] = Deno.args;
const python = Deno.env.get("WANDB_PYTHON");
if (python === undefined || script === undefined || out === undefined) {
  console.error("usage: WANDB_PYTHON=… capture_official.ts <script.py> <out.jsonl>");
  Deno.exit(2);
}
const version = Deno.env.get("WANDB_SERVER_VERSION") ?? "latest";
if (!isServerVersion(version)) {
  console.error(`WANDB_SERVER_VERSION: ${version} is not one of the local server's releases`);
  Deno.exit(2);
}
const server = await startEmulator({ serverVersion: version });
const fakeKey = `Basic ${btoa(`api:${"x".repeat(40)}`)}`;
const lines: Array<string> = [];
let proxyUrl = "";
const proxy: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  async (request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.method === "GET" || request.method === "HEAD"
      ? undefined
      : new Uint8Array(await request.arrayBuffer());
    if (url.pathname === "/graphql" && body !== undefined) {
      const headers = Object.fromEntries(request.headers);
      if (headers["authorization"] !== undefined) headers["authorization"] = fakeKey;
      lines.push(JSON.stringify({
        method: request.method,
        path: url.pathname,
        headers,
        json: JSON.parse(new TextDecoder().decode(body)),
      }));
    }
    const forwarded = await fetch(`${server.url}${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      body,
      redirect: "manual",
    });
    if (url.pathname !== "/graphql") {
      return new Response(forwarded.body, { status: forwarded.status, headers: forwarded.headers });
    }
    // The proxy stands in for the server: the URLs the server names (a file's `url`, which the
    // client fetches with its key, as from W&B's own host) point at the proxy.
    const text = (await forwarded.text()).replaceAll(server.url, proxyUrl);
    const headers = new Headers(forwarded.headers);
    headers.delete("content-length");
    return new Response(text, { status: forwarded.status, headers });
  },
);
proxyUrl = `http://127.0.0.1:${proxy.addr.port}`;
try {
  const result = await new Deno.Command(python, {
    args: [script, `http://127.0.0.1:${proxy.addr.port}`, server.apiKey],
    stderr: "inherit",
  }).output();
  console.log(new TextDecoder().decode(result.stdout).trim());
  await Deno.writeTextFile(out, lines.join("\n") + "\n");
  console.log(`${lines.length} requests written to ${out}`);
} finally {
  await proxy.shutdown();
  await server.close();
}
