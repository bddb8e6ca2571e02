/**
 * A scheduled W&B export on Deno Deploy: every 15 minutes, new history rows of a project's runs
 * are exported, a bounded slice per tick, with progress in Deno KV.
 *
 * Written for today's Deno Deploy:
 * - The cron is registered at module top level (Deploy reads crons when the module loads), with
 *   an explicit `backoffSchedule` for a tick that throws.
 * - Ticks never overlap and an instance can be evicted (SIGINT, then SIGKILL 5 s later), so a
 *   tick does a bounded slice (`maxRuns` runs, claimed until `tickMinutes` have passed) and every
 *   unit is safe to repeat: each page is a segment committed to KV with the run's progress in
 *   one atomic write, under an expiring lease. A tick killed mid-run loses at most the page in
 *   hand, which the next tick writes again under the same key.
 * - Branch timelines run crons too, each with its own KV: only an environment with
 *   `WANDB_EXPORT_ENABLED=true` (set on the production timeline only) exports.
 * - Memory stays far under Deploy's 512 MB: history is streamed page by page (see bench/).
 * - Deploy has no disk that lasts: segments go to `WANDB_EXPORT_SEGMENTS_URL` (any store that
 *   takes an idempotent PUT of `<url>/<entity>/<project>/<run>/<firstStep>.ndjson`, e.g. an R2 or
 *   S3 bucket behind a signing proxy, or a warehouse's ingest endpoint), or, run locally, to
 *   ./export/segments/.
 *
 * Locally, against the seeded local server (no key needed): one tick now (`--once`, then exit),
 * or the cron itself (drop `--once`; it ticks at the next quarter hour):
 *
 *     WANDB_EXPORT_ENABLED=true WANDB_EXPORT_KV_PATH=export/kv.sqlite \
 *       deno run --unstable-kv --unstable-cron --allow-net=127.0.0.1 --allow-read --allow-write=./export \
 *       --allow-env=WANDB_API_KEY,WANDB_BASE_URL,WANDB_EXPORT_ENABLED,WANDB_EXPORT_PROJECT,WANDB_EXPORT_SEGMENTS_URL,WANDB_EXPORT_KV_PATH \
 *       examples/deploy_cron.ts --once
 */
import { Effect, Layer } from "effect";
import { FetchHttpClient } from "effect/http";
import { Api, ExportError } from "../mod.ts";
import { exportWithLeases } from "../lib/sync/mod.ts";

const env = (name: string): string | undefined => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
};

const enabled = env("WANDB_EXPORT_ENABLED") === "true";
const project = env("WANDB_EXPORT_PROJECT") ?? "acme/mnist";
const segmentsUrl = env("WANDB_EXPORT_SEGMENTS_URL");
const apiKey = env("WANDB_API_KEY");
/** Runs per tick, and minutes after which a tick claims no more runs. */
const maxRuns = 20;
const tickMinutes = 10;

/** PUT of a segment to the store: idempotent by its key, as a retried page needs. */
const putSegment = (run: string, firstStep: number, bytes: Uint8Array) =>
  Effect.tryPromise({
    try: async () => {
      const response = await fetch(`${segmentsUrl}/${run}/${firstStep}.ndjson`, {
        method: "PUT",
        headers: { "content-type": "application/x-ndjson" },
        body: bytes as Uint8Array<ArrayBuffer>,
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
    catch: (e) => new ExportError({ path: `${run}/${firstStep}`, message: String(e) }),
  });

/** W&B when a key is set, else the seeded local server (loaded only then). */
const apiLayer = (): Layer.Layer<Api, unknown> =>
  apiKey === undefined
    ? Layer.unwrap(
      Effect.promise(() => import("../lib/testing/layer.ts")).pipe(
        Effect.map(({ testApiLayer }) => testApiLayer()),
      ),
    )
    : Api.layer({ apiKey, baseUrl: env("WANDB_BASE_URL") }).pipe(
      Layer.provide(FetchHttpClient.layer),
    );

/** One tick: a bounded slice of the export, every unit committed as it is done. */
async function tick(): Promise<void> {
  if (!enabled) {
    console.log("WANDB_EXPORT_ENABLED is not true here (a branch timeline?): nothing exported");
    return;
  }
  // On Deploy, the project's KV; locally, a file of your choice (or Deno's default one), in a
  // folder made if need be (a fresh clone has no ./export yet).
  const kvPath = env("WANDB_EXPORT_KV_PATH");
  const kvDir = kvPath?.includes("/") ? kvPath.slice(0, kvPath.lastIndexOf("/")) : undefined;
  if (kvDir !== undefined && kvDir !== "") await Deno.mkdir(kvDir, { recursive: true });
  const kv = await Deno.openKv(kvPath);
  try {
    const report = await Effect.runPromise(
      exportWithLeases({
        project,
        out: "export/segments",
        kv,
        // Each instance (and each tick) is a worker of its own: leases keep them apart.
        worker: `tick-${crypto.randomUUID()}`,
        leaseMillis: 60_000,
        maxRuns,
        deadline: Date.now() + tickMinutes * 60_000,
        writeSegment: segmentsUrl === undefined ? undefined : putSegment,
      }).pipe(Effect.provide(apiLayer())),
    );
    console.log(
      `exported ${report.rows} rows of ${report.runsExported.length} runs` +
        (report.runsTakenOver.length > 0 ? ` (${report.runsTakenOver.length} taken over)` : ""),
    );
  } finally {
    kv.close();
  }
}

if (Deno.args.includes("--once")) {
  await tick();
} else {
  Deno.cron("effect-wandb export", "*/15 * * * *", {
    // A tick that throws is tried again after 1 minute, then 5: later work waits for the next
    // tick.
    backoffSchedule: [60_000, 300_000],
  }, tick);
}
