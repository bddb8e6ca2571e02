/**
 * Launch's values: run queues, queued runs, and the spec of a queue to create.
 *
 * @module
 */
import { parseWandbJson } from "../core/wandb_json.ts";

/** The project W&B keeps an entity's run queues in. */
export const launchProject = "model-registry";

/** A run queue (Python's `RunQueue`). */
export interface RunQueue {
  readonly id: string;
  readonly name: string;
  readonly entity: string;
  /** `PROJECT` or `USER`. */
  readonly access: string;
  /** `DISABLED` or `V0`, or `null`. */
  readonly prioritizationMode: string | null;
  readonly externalLinks: Readonly<Record<string, unknown>>;
  /** The resource the queue runs on (`local-container`, `kubernetes`, …), from its config. */
  readonly type: string | null;
  /** The default resource config, decoded. */
  readonly defaultResourceConfig: Readonly<Record<string, unknown>>;
  /** Template variables: name to JSON schema. */
  readonly templateVariables: Readonly<Record<string, unknown>>;
}

/** A run on a queue (Python's `QueuedRun`). */
export interface QueuedRun {
  /** The item's id on its queue. */
  readonly id: string;
  readonly queueName: string;
  readonly entity: string;
  /** Where the run is logged. */
  readonly project: string;
  /** The project that holds the queue. */
  readonly projectQueue: string;
}

/** A JSON object W&B stores as text (a queue's links, a resource config), `{}` for none. */
export const jsonObject = (text: string | null): Readonly<Record<string, unknown>> => {
  if (text === null || text === "") return {};
  const parsed = parseWandbJson(text);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
};

/** What {@link createRunQueue} and {@link upsertRunQueue} take. */
export interface RunQueueSpec {
  readonly name: string;
  /** `local-container`, `local-process`, `kubernetes`, `sagemaker`, `gcp-vertex`. */
  readonly resource: string;
  readonly entity: string;
  /** `DISABLED` or `V0`. */
  readonly prioritizationMode?: "DISABLED" | "V0" | undefined;
  readonly config?: Readonly<Record<string, unknown>> | undefined;
  readonly templateVariables?: Readonly<Record<string, unknown>> | undefined;
  readonly externalLinks?: Readonly<Record<string, string>> | undefined;
}
