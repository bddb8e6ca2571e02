// The fault matrix, CI-sized: a multi-run history export against servers that fail in each of
// the ways W&B does, and one killed and restarted mid-export. Every export must equal the
// fault-free one byte for byte (every row exactly once, in order), and no retry may come sooner
// than the server asked.
import assert from "node:assert/strict";
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, writeBytes } from "../../mod.ts";
import {
  type EmulatorOptions,
  type RecordedRequest,
  startEmulator,
} from "../../lib/testing/mod.ts";
import { linesByRun } from "../_exports.ts";

const project = "acme/cifar10";
const scan = { runConcurrency: 3, mode: "graphql", pageSize: 40 } as const;

/** Exports every history of {@link project} as NDJSON to `path` through `baseUrl`. */
const exportHistories = (baseUrl: string, apiKey: string, path: string) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const api = yield* Api;
      return yield* writeBytes(
        path,
        api.scanHistories(api.runs(project), { ...scan, format: "ndjson" }),
      );
    }).pipe(
      Effect.provide(Api.layer({ apiKey, baseUrl }).pipe(Layer.provide(FetchHttpClient.layer))),
    ),
  );

/** Runs the export against a server started with `options`; returns the bytes and the log. */
async function exportAgainst(options: EmulatorOptions) {
  const dir = await Deno.makeTempDir();
  const server = await startEmulator(options);
  try {
    await exportHistories(server.url, server.apiKey, `${dir}/h.ndjson`);
    return {
      lines: linesOf(await Deno.readTextFile(`${dir}/h.ndjson`)),
      requests: [...server.requests],
    };
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const linesOf = (text: string) => text.split("\n").filter((line) => line !== "");

/**
 * Compares two exports run by run: runs are exported concurrently, so they interleave in any
 * order, but each run's rows must come exactly once and in step order. The first difference
 * is reported, not a diff of hundreds of thousands of bytes.
 */
function assertSameExport(actual: ReadonlyArray<string>, expected: ReadonlyArray<string>) {
  const want = linesByRun(expected);
  const got = linesByRun(actual);
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort());
  for (const [run, lines] of want) {
    const mine = got.get(run)!;
    const differs = mine.findIndex((line, i) => line !== lines[i]);
    assert.equal(differs, -1, `${run}: row ${differs} differs: ${mine[differs]?.slice(0, 120)}`);
    assert.equal(mine.length, lines.length, `${run}: ${mine.length} rows, not ${lines.length}`);
  }
}

/** Each retry of a request the server answered with 429 came at least `seconds` later. */
function assertRetriesWaited(requests: ReadonlyArray<RecordedRequest>, seconds: number): number {
  const same = (a: RecordedRequest, b: RecordedRequest) =>
    a.operationName === b.operationName &&
    JSON.stringify(a.variables) === JSON.stringify(b.variables);
  let checked = 0;
  requests.forEach((request, i) => {
    if (request.status !== 429) return;
    const retry = requests.slice(i + 1).find((later) => same(later, request));
    assert.ok(retry !== undefined, `the 429 of ${request.operationName} was never retried`);
    // Timers may fire a millisecond early of the requested instant; never more.
    assert.ok(
      retry.receivedAt - request.receivedAt >= seconds * 1000 - 2,
      `retried after ${retry.receivedAt - request.receivedAt} ms, asked ${seconds} s`,
    );
    checked++;
  });
  return checked;
}

Deno.test("fault matrix: every row exactly once under each fault, retries never early", async (t) => {
  const clean = await exportAgainst({});
  assert.ok(clean.lines.length > 1000, `only ${clean.lines.length} rows: too few to test`);
  const profiles: ReadonlyArray<readonly [string, NonNullable<EmulatorOptions["failureRate"]>]> = [
    ["10% HTTP 500", { serverError: 0.10, seed: 1 }],
    ["5% HTTP 429 with RateLimit-Reset", { rateLimited: 0.05, resetSeconds: 1, seed: 2 }],
    ["2% dropped connections", { drop: 0.02, seed: 3 }],
    ["1% truncated bodies", { truncate: 0.01, seed: 4 }],
    [
      "mixed",
      {
        serverError: 0.10,
        rateLimited: 0.05,
        drop: 0.02,
        truncate: 0.01,
        resetSeconds: 1,
        seed: 5,
      },
    ],
  ];
  for (const [name, failureRate] of profiles) {
    await t.step(name, async () => {
      // Seeds chosen so that each profile's faults do fire within this export.
      const faulty = await exportAgainst({ failureRate });
      assertSameExport(faulty.lines, clean.lines);
      const failed = faulty.requests.filter((r) => r.status !== 200).length;
      const truncated = faulty.requests.length - clean.requests.length - failed;
      assert.ok(failed + truncated > 0, "no fault fired: the profile tested nothing");
      if ((failureRate.rateLimited ?? 0) > 0) {
        assert.ok(assertRetriesWaited(faulty.requests, 1) > 0, "no 429 was answered");
      }
    });
  }
});

Deno.test("fault matrix: the server killed and restarted mid-export loses and repeats nothing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const clean = await exportAgainst({});
    // A file-backed server, so a restart keeps its data; restarted on the same port.
    const storagePath = `${dir}/wandb.sqlite`;
    let server = await startEmulator({ storagePath });
    const { url, apiKey } = server;
    const port = Number(new URL(url).port);
    const exported = exportHistories(url, apiKey, `${dir}/h.ndjson`);
    while (server.requests.filter((r) => r.operationName === "HistoryPage").length < 10) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const before = server.requests.length;
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    server = await startEmulator({ storagePath, port });
    try {
      await exported;
      assert.ok(before > 0 && server.requests.length > 0, "the export did not span the restart");
      assertSameExport(linesOf(await Deno.readTextFile(`${dir}/h.ndjson`)), clean.lines);
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
