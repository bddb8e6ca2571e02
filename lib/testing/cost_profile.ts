/**
 * A SaaS-like cost profile for the local server: what W&B's hosted service charges a client, so
 * that benchmarks judge the GraphQL and Parquet history paths on the costs they meet there rather
 * than on a flat latency per request.
 *
 * - Every request: a round trip of `latencyMs`, give or take `jitterMs`.
 * - GraphQL history pages: server time per row served. The official client scans about 730 rows/s
 *   on W&B's SaaS with sequential 1,000-row pages (openrlbenchmark issue #26): 1,000 / 730 =
 *   1.37 s per page, of which a round trip is ~0.1 s, leaves ~1.27 s of server time per 1,000
 *   rows, so `historyRowMicros` is 1,270.
 * - Runs: server time per run a `Runs` answer carries, more for each JSON field it parses and
 *   sends. wandb/wandb#508 (2019) lists ~4,100 runs with their config and summary in 1 min 32 s
 *   at 50 runs a page: ≈ 22 ms a run, ≈ 2 ms of it the page's round trip (0.1 s / 50), so ~20 ms
 *   of server time per fully loaded run. W&B does not publish how that splits between the
 *   fields: ours is 0.2 ms for the light fields, 5 ms each for config, summary and history keys,
 *   3 ms for system metrics (18.2 ms a full run).
 * - A per-project quota, as W&B documents its rate limits: every answer says
 *   `RateLimit-Remaining` (the quota left in the window, scaled 0–1000) and `RateLimit-Reset`
 *   (seconds until the window resets); an exhausted quota answers HTTP 429 with both. The size of
 *   the quota is ours to choose (W&B does not publish its read limits).
 * - Storage (signed URLs: Parquet exports, files, artifacts): a first-byte latency and a fixed
 *   bandwidth per connection, as object storage has.
 *
 * @module
 */

/** The costs the local server charges (see the module documentation). */
export interface CostProfile {
  /** Round trip of every request, in ms. */
  readonly latencyMs: number;
  /** Up to this many ms more or less, at random (reproducibly). */
  readonly jitterMs: number;
  /** Server time per row of a GraphQL history answer, in µs. */
  readonly historyRowMicros: number;
  /**
   * Server time per run of a `Runs` answer, in µs: `light` for every run, and each heavy field
   * on top for the runs that carry it. None when absent.
   */
  readonly runMicros?: RunCost | undefined;
  /** Requests per project per window, or none. */
  readonly projectQuota?: { readonly requests: number; readonly windowSeconds: number } | undefined;
  /** Object storage: time to the first byte (ms) and bytes per second per connection. */
  readonly storage: { readonly firstByteMs: number; readonly bytesPerSecond: number };
}

/** What a run of a `Runs` answer costs the server, in µs (see {@link CostProfile.runMicros}). */
export interface RunCost {
  readonly light: number;
  readonly config: number;
  readonly summaryMetrics: number;
  readonly systemMetrics: number;
  readonly historyKeys: number;
}

/**
 * W&B's SaaS as the public figures describe it (see the module documentation); the quota, 600
 * requests per project per 10 s, is our assumption.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { saasCostProfile } from "@effect-wandb/api/testing";
 * // A sequential 1,000-row page costs what the official client sees on SaaS: ~1.37 s.
 * const page = saasCostProfile.latencyMs + 1000 * saasCostProfile.historyRowMicros / 1000;
 * assert.ok(Math.abs(page - 1370) < 50);
 * ```
 */
export const saasCostProfile: CostProfile = {
  latencyMs: 100,
  jitterMs: 30,
  historyRowMicros: 1270,
  runMicros: {
    light: 200,
    config: 5000,
    summaryMetrics: 5000,
    systemMetrics: 3000,
    historyKeys: 5000,
  },
  projectQuota: { requests: 600, windowSeconds: 10 },
  storage: { firstByteMs: 80, bytesPerSecond: 40 * 1024 * 1024 },
};

/** What the quota says of one request. */
export interface QuotaAnswer {
  /** Whether the request may go on (`false`: answer 429). */
  readonly allowed: boolean;
  /** The `RateLimit-Remaining` and `RateLimit-Reset` headers. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Fixed windows of `requests` per project: each request takes one; none left means 429 until the
 * window resets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProjectQuota } from "@effect-wandb/api/testing";
 * const quota = new ProjectQuota({ requests: 2, windowSeconds: 10 }, () => 0);
 * assert.equal(quota.take("acme/mnist").headers["RateLimit-Remaining"], "500");
 * assert.equal(quota.take("acme/mnist").allowed, true);
 * assert.equal(quota.take("acme/mnist").allowed, false);
 * assert.equal(quota.take("acme/other").allowed, true);
 * ```
 */
export class ProjectQuota {
  private readonly windows = new Map<string, { startedAt: number; used: number }>();

  /**
   * @param limit Requests per project per window.
   * @param now The clock (ms); tests pass their own.
   */
  constructor(
    private readonly limit: { readonly requests: number; readonly windowSeconds: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one request of `project`'s quota. */
  take(project: string): QuotaAnswer {
    const now = this.now();
    const length = this.limit.windowSeconds * 1000;
    let window = this.windows.get(project);
    if (window === undefined || now - window.startedAt >= length) {
      window = { startedAt: now, used: 0 };
      this.windows.set(project, window);
    }
    const allowed = window.used < this.limit.requests;
    if (allowed) window.used++;
    const left = this.limit.requests - window.used;
    return {
      allowed,
      headers: {
        "RateLimit-Remaining": String(Math.floor((1000 * left) / this.limit.requests)),
        "RateLimit-Reset": String(Math.max(1, Math.ceil((window.startedAt + length - now) / 1000))),
      },
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A body sent as object storage sends it: after `firstByteMs`, at `bytesPerSecond`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { throttledBody } from "@effect-wandb/api/testing";
 * const body = throttledBody(new Response(new Uint8Array(1000)).body!, { firstByteMs: 5, bytesPerSecond: 100_000 });
 * const started = performance.now();
 * assert.equal((await new Response(body).arrayBuffer()).byteLength, 1000);
 * assert.ok(performance.now() - started >= 14);
 * ```
 */
export function throttledBody(
  body: ReadableStream<Uint8Array>,
  storage: CostProfile["storage"],
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let started: number | undefined;
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (started === undefined) {
        await sleep(storage.firstByteMs);
        started = performance.now();
      }
      const { value, done } = await reader.read();
      if (done) return controller.close();
      // Pieces of 64 KiB, each sent when the bandwidth allows.
      for (let at = 0; at < value.length; at += 65536) {
        const piece = value.subarray(at, at + 65536);
        sent += piece.length;
        const due = started + (sent / storage.bytesPerSecond) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        controller.enqueue(piece);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * How many history rows an answer carries: each row is a JSON string holding `"_step"`, as W&B
 * sends it (escaped inside the GraphQL JSON).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { historyRowsIn } from "@effect-wandb/api/testing";
 * assert.equal(historyRowsIn('{"history":["{\\"_step\\":0}","{\\"_step\\":1}"]}'), 2);
 * ```
 */
export function historyRowsIn(answer: string): number {
  let rows = 0;
  for (
    let at = answer.indexOf('\\"_step\\"');
    at >= 0;
    at = answer.indexOf('\\"_step\\"', at + 9)
  ) {
    rows++;
  }
  return rows;
}

const occurrences = (text: string, needle: string) => {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    count++;
  }
  return count;
};

/**
 * The server time, in µs, of the runs a `Runs` answer carries: each run (every run fragment has
 * `historyLineCount`) at the light cost, plus each heavy field it carries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runCostMicros } from "@effect-wandb/api/testing";
 * const cost = { light: 1, config: 10, summaryMetrics: 100, systemMetrics: 1000, historyKeys: 10000 };
 * const answer = '{"edges":[{"node":{"historyLineCount":3,"config":"{}"}},{"node":{"historyLineCount":1,"config":null}}]}';
 * assert.equal(runCostMicros(answer, cost), 2 * 1 + 2 * 10);
 * ```
 */
export function runCostMicros(answer: string, cost: RunCost): number {
  const runs = occurrences(answer, '"historyLineCount":');
  if (runs === 0) return 0;
  return runs * cost.light +
    Math.min(runs, occurrences(answer, '"config":')) * cost.config +
    Math.min(runs, occurrences(answer, '"summaryMetrics":')) * cost.summaryMetrics +
    Math.min(runs, occurrences(answer, '"systemMetrics":')) * cost.systemMetrics +
    Math.min(runs, occurrences(answer, '"historyKeys":')) * cost.historyKeys;
}
