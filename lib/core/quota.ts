/**
 * Adaptive throttling: W&B's answers say how much of a project's quota is left in the current
 * window (`RateLimit-Remaining`, scaled 0–1000) and when the window resets (`RateLimit-Reset`,
 * seconds). A client that only reacts to 429s spends its quota and then waits out every
 * refusal; this one watches the quota fall, estimates what each request costs of it, and holds
 * new requests of a project when those in flight would use up what is left, until the window
 * resets. A long export under a quota then meets few 429s.
 *
 * @module
 */

/** What the pacer knows of one project's quota. */
interface QuotaState {
  /** The last `RateLimit-Remaining` seen (0–1000), if any. */
  remaining: number | undefined;
  /** When the window resets (epoch ms). */
  resetAt: number;
  /** The quota one request costs, on the 0–1000 scale (a running average of the drops seen). */
  costPerRequest: number;
  /** Requests of this project in flight. */
  inFlight: number;
}

/**
 * Paces requests per project by the `RateLimit-*` headers of the answers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QuotaPacer } from "@effect-wandb/api/graphql";
 * let now = 0;
 * const pacer = new QuotaPacer(() => now);
 * pacer.observe("acme/mnist", { "ratelimit-remaining": "30", "ratelimit-reset": "5" });
 * pacer.observe("acme/mnist", { "ratelimit-remaining": "20", "ratelimit-reset": "5" });
 * // Each request costs 10 of 1000: two are left, so a third in flight must wait for the reset.
 * pacer.started("acme/mnist");
 * pacer.started("acme/mnist");
 * assert.equal(pacer.delayMillis("acme/mnist"), 5000);
 * assert.equal(pacer.delayMillis("acme/other"), 0);
 * ```
 */
export class QuotaPacer {
  private readonly projects = new Map<string, QuotaState>();

  /** @param now The clock (epoch ms); tests pass their own. */
  constructor(private readonly now: () => number = Date.now) {}

  private state(project: string): QuotaState {
    let state = this.projects.get(project);
    if (state === undefined) {
      state = { remaining: undefined, resetAt: 0, costPerRequest: 0, inFlight: 0 };
      this.projects.set(project, state);
    }
    return state;
  }

  /** How long a new request of `project` should wait before it is sent (0: send it). */
  delayMillis(project: string): number {
    const state = this.projects.get(project);
    if (state?.remaining === undefined || state.costPerRequest === 0) return 0;
    const wait = state.resetAt - this.now();
    if (wait <= 0) return 0;
    // The requests the quota still allows, less those already on their way.
    const allowed = Math.floor(state.remaining / state.costPerRequest) - state.inFlight;
    return allowed >= 1 ? 0 : wait;
  }

  /** A request of `project` is sent. */
  started(project: string): void {
    this.state(project).inFlight++;
  }

  /** A request of `project` got its answer (or failed). */
  finished(project: string): void {
    const state = this.state(project);
    state.inFlight = Math.max(0, state.inFlight - 1);
  }

  /** Reads the quota headers of an answer of `project` (lower-case names). */
  observe(project: string, headers: Readonly<Record<string, string | undefined>>): void {
    const remaining = Number(headers["ratelimit-remaining"]);
    const reset = Number(headers["ratelimit-reset"]);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const state = this.state(project);
    // A drop is what requests cost; a rise is a new window, which says nothing of the cost; the
    // first answer says nothing either (the window may have been in use before).
    const drop = state.remaining === undefined ? 0 : state.remaining - remaining;
    if (drop > 0) {
      state.costPerRequest = state.costPerRequest === 0
        ? drop
        : state.costPerRequest * 0.8 + drop * 0.2;
    }
    // Answers overtake each other: a small rise is an older answer arriving late, and the
    // lower figure stands; a rise of several requests' worth is a new window.
    const newWindow = state.remaining === undefined ||
      remaining - state.remaining > 3 * Math.max(state.costPerRequest, 1);
    state.remaining = newWindow ? remaining : Math.min(state.remaining!, remaining);
    state.resetAt = this.now() + reset * 1000;
  }
}
