/**
 * The seeded integrations: acme's Slack channel for ML alerts and its on-call webhook.
 *
 * @module
 */
import type { NewIntegration } from "./store.ts";

/** An integration of a seeded entity. */
export type SeedIntegration = NewIntegration & { readonly entity: string };

/** The seeded integrations. */
export const seedIntegrations: ReadonlyArray<SeedIntegration> = [
  { entity: "acme", kind: "slack", teamName: "acme-workspace", channelName: "#ml-alerts" },
  {
    entity: "acme",
    kind: "webhook",
    name: "on-call",
    urlEndpoint: "https://hooks.example.com/wandb",
  },
];
