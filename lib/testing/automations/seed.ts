/**
 * The seeded automations of acme, one of each kind a team sets up first: failed runs of mnist to
 * its Slack channel, a loss spike in mnist (switched off), and the `prod` alias of the raw MNIST
 * dataset to its on-call webhook with a templated payload.
 *
 * @module
 */
import type { CoreSeed } from "../seed.ts";
import { seedArtifacts } from "../artifacts/seed.ts";

/** An automation of a seeded entity, its scope and integration named rather than numbered. */
export interface SeedAutomation {
  readonly entity: string;
  readonly name: string;
  readonly description: string | null;
  readonly enabled: boolean;
  /** Who created it. */
  readonly createdBy: string;
  /** A project of the entity, or a collection `project/name`. */
  readonly scope: { readonly project: string } | { readonly collection: string };
  readonly eventType: string;
  /** The event's filter, as the official client encodes it. */
  readonly eventFilter: unknown;
  readonly actionType: "NOTIFICATION" | "GENERIC_WEBHOOK" | "NO_OP";
  /** The action's input, with the integration by name (Slack by channel, a webhook by name). */
  readonly action: Readonly<Record<string, unknown>> & { readonly integration?: string };
}

const noRunFilter = JSON.stringify({ $and: [] });

/**
 * The seeded automations (none when the seed has no mnist project, and none on a collection
 * when it has no artifacts).
 */
export function seedAutomations(core: CoreSeed): Array<SeedAutomation> {
  if (!core.runs.some((r) => r.project === "mnist")) return [];
  const withArtifacts = seedArtifacts(core).length > 0;
  return automations.filter((a) => withArtifacts || !("collection" in a.scope));
}

const automations: ReadonlyArray<SeedAutomation> = [
  {
    entity: "acme",
    name: "failed-runs-to-slack",
    description: "Tell #ml-alerts when an mnist run fails",
    enabled: true,
    createdBy: "alice",
    scope: { project: "mnist" },
    eventType: "RUN_STATE",
    eventFilter: { run_filter: noRunFilter, run_state_filter: { states: ["FAILED"] } },
    actionType: "NOTIFICATION",
    action: {
      integration: "#ml-alerts",
      title: "Run failed",
      message: "${run_name} in ${project_name} failed",
      severity: "ERROR",
    },
  },
  {
    entity: "acme",
    name: "loss-spike",
    description: null,
    enabled: false,
    createdBy: "alice",
    scope: { project: "mnist" },
    eventType: "RUN_METRIC",
    eventFilter: {
      run_filter: JSON.stringify({ $and: [{ display_name: { $contains: "sweep" } }] }),
      run_metric_filter: {
        threshold_filter: {
          name: "loss",
          agg_op: "AVERAGE",
          window_size: 5,
          cmp_op: "$gt",
          threshold: 2.5,
        },
      },
      metric_filter: null,
    },
    actionType: "NO_OP",
    action: { noOp: true },
  },
  {
    entity: "acme",
    name: "prod-dataset-webhook",
    description: "Page on-call when a dataset version becomes prod",
    enabled: true,
    createdBy: "bob",
    scope: { collection: "mnist/mnist-raw" },
    eventType: "ADD_ARTIFACT_ALIAS",
    eventFilter: { $or: [{ $and: [{ alias: { $eq: "prod" } }] }] },
    actionType: "GENERIC_WEBHOOK",
    action: {
      integration: "on-call",
      requestPayload: JSON.stringify({ text: "${artifact_version_string} is now prod" }),
    },
  },
];
