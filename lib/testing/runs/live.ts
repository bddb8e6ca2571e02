/**
 * Live runs on the local server: a run that logs a history row (and its summary, a heartbeat
 * and a console line) at a chosen rate while the server runs, then finishes, crashes, fails, or
 * stalls (stops heartbeating while its state stays `running`, as a hung process looks to W&B).
 * What a job that follows or watches runs needs to be tested against.
 *
 * @module
 */
import { parseWandbJson, printWandbJson } from "../../core/wandb_json.ts";
import type { EmulatorStore } from "../store.ts";
import type { StoredRun } from "./store.ts";

/** How a live run ends once it has logged its steps. */
export type LiveRunEnd = "finished" | "crashed" | "failed" | "stall";

/** What a live run does. */
export interface LiveRunOptions {
  /**
   * Its project, created if need be.
   * @default {"acme/live"}
   */
  readonly project?: string | undefined;
  /** Its run id; a random one when absent. */
  readonly name?: string | undefined;
  /**
   * Milliseconds between two rows (and heartbeats).
   * @default {200}
   */
  readonly everyMs?: number | undefined;
  /**
   * Rows it logs before it ends (steps 0 … steps-1).
   * @default {50}
   */
  readonly steps?: number | undefined;
  /**
   * How it ends: its final state, or `"stall"`: no more rows nor heartbeats, still `running`.
   * @default {"finished"}
   */
  readonly end?: LiveRunEnd | undefined;
  /** Row `step`'s metrics (`_step`, `_runtime` and `_timestamp` are added). A loss curve by default. */
  readonly row?: ((step: number) => Readonly<Record<string, unknown>>) | undefined;
  /** Its config (plain values). */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
}

/** A live run, running. */
export interface LiveRun {
  /** Its run id. */
  readonly name: string;
  /** `entity/project/name`. */
  readonly path: string;
  /** Rows logged so far. */
  readonly logged: number;
  /** Resolves once it has ended (or was stopped). */
  readonly done: Promise<void>;
  /** Stops it where it is: no more rows, its state as it is. */
  stop(): void;
}

/** The default row: a loss falling and an accuracy rising, with a little noise. */
const lossCurve = (step: number) => ({
  loss: Math.round((2 * Math.exp(-step / 20) + 0.05 + 0.01 * Math.sin(step)) * 1e6) / 1e6,
  accuracy: Math.round((1 - Math.exp(-step / 15)) * 1e6) / 1e6,
});

/**
 * Live runs for the seeded server (`deno task emulator --live`): one healthy, one whose loss
 * turns NaN, one that stops heartbeating, one that crashes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { liveRunPresets } from "@effect-wandb/api/testing";
 * assert.ok(liveRunPresets.some((p) => p.end === "stall"));
 * ```
 */
export const liveRunPresets: ReadonlyArray<LiveRunOptions> = [
  { name: "healthy", steps: 600, everyMs: 1000, end: "finished" },
  {
    name: "diverging",
    steps: 600,
    everyMs: 1000,
    end: "failed",
    row: (step) => ({ ...lossCurve(step), ...(step >= 30 ? { loss: NaN } : {}) }),
  },
  { name: "stalling", steps: 40, everyMs: 1000, end: "stall" },
  { name: "crashing", steps: 60, everyMs: 1000, end: "crashed" },
];

/**
 * Starts a live run in `store`, logging on timers of this process until it ends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startEmulator } from "@effect-wandb/api/testing";
 * const server = await startEmulator();
 * const live = server.startLiveRun({ name: "quick", steps: 3, everyMs: 5 });
 * await live.done;
 * assert.equal(server.store.runs.get("acme", "live", "quick")?.state, "finished");
 * await server.close();
 * ```
 */
export function startLiveRun(store: EmulatorStore, options?: LiveRunOptions): LiveRun {
  const [entity = "acme", projectName = "live"] = (options?.project ?? "acme/live").split("/");
  store.projects.create(entity, projectName, { description: "Runs logging as the server runs" });
  const name = options?.name ?? crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  const steps = options?.steps ?? 50;
  const everyMs = options?.everyMs ?? 200;
  const end = options?.end ?? "finished";
  const metrics = options?.row ?? lossCurve;
  const started = Date.now();
  let run: StoredRun = store.runs.insert(entity, projectName, {
    name,
    displayName: `live-${name}`,
    state: "running",
    config: options?.config ?? { lr: 0.001, end },
    createdAt: new Date(started).toISOString(),
    username: "alice",
  });
  run = store.runs.update(run, { heartbeatAt: new Date(started).toISOString() });
  let logged = 0;
  let stopped = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const tick = () => {
    if (stopped) return;
    const now = Date.now();
    const runtime = (now - started) / 1000;
    const row = {
      _step: logged,
      _runtime: runtime,
      _timestamp: now / 1000,
      ...metrics(logged),
    };
    const current = store.runs.get(entity, projectName, name);
    if (current === undefined) return stop();
    store.history.append(current, [row]);
    const summary = { ...(parseWandbJson(current.summaryJson) as object), ...row };
    store.runs.update(current, {
      summaryJson: printWandbJson(summary, "token"),
      heartbeatAt: new Date(now).toISOString(),
    });
    store.console.append(current.seq, [{
      timestamp: new Date(now).toISOString(),
      level: "",
      label: "",
      line: `step ${logged}: ${printWandbJson(metrics(logged), "token")}`,
    }]);
    logged++;
    if (logged < steps) return;
    if (end !== "stall") {
      store.runs.update(store.runs.get(entity, projectName, name)!, { state: end });
    }
    stop();
  };
  const timer = setInterval(tick, everyMs);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    finish();
  };
  tick();
  return {
    name,
    path: `${entity}/${projectName}/${name}`,
    get logged() {
      return logged;
    },
    done,
    stop,
  };
}
