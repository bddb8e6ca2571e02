/**
 * Integrations: the Slack channels and webhooks an entity connected W&B to, for automations to
 * notify through (Python's `api.integrations()`, `slack_integrations()`, `webhook_integrations()`).
 *
 * Everything here is also reachable through the `Api` (its `IntegrationsApi` slice); import this
 * entry for the functions over a `WandbClient`, the types, and what the `Api` builds on.
 *
 * @example The slice of the Api this folder owns, as a type
 * ```ts
 * import type { IntegrationsApi } from "@effect-wandb/api/integrations";
 * type Methods = keyof IntegrationsApi;
 * ```
 *
 * @module
 */
export { type IntegrationsApi, integrationsApi } from "./api.ts";
export {
  createWebhookIntegration,
  type Integration,
  listIntegrations,
  type SlackIntegration,
  type WebhookIntegration,
} from "./operations.ts";
export {
  type CreateWebhookData,
  createWebhookIntegrationMutation,
  type IntegrationNodeData,
  type IntegrationsData,
  integrationsQuery,
} from "./queries.ts";
