/**
 * The integrations' slice of the `Api`: an entity's Slack channels and webhooks.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Integration, SlackIntegration, WebhookIntegration } from "./operations.ts";

/** The integrations' methods of the `Api`. */
export interface IntegrationsApi {
  /** An entity's integrations (Python's `api.integrations(entity)`); the default entity's. */
  integrations(entity?: string): Stream.Stream<Integration, WandbError>;
  /** Its Slack integrations (Python's `api.slack_integrations(entity=…)`). */
  slackIntegrations(entity?: string): Stream.Stream<SlackIntegration, WandbError>;
  /** Its webhook integrations (Python's `api.webhook_integrations(entity)`). */
  webhookIntegrations(entity?: string): Stream.Stream<WebhookIntegration, WandbError>;
  /** Connects an entity to a webhook that automations can notify. */
  createWebhookIntegration(
    webhook: { readonly name: string; readonly urlEndpoint: string },
    entity?: string,
  ): Effect.Effect<WebhookIntegration, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));

/** Builds the integrations' slice. */
export function integrationsApi(context: ApiContext): IntegrationsApi {
  const { client, paths } = context;
  const all = (entity?: string) =>
    Stream.unwrap(
      Effect.map(
        Effect.zip(paths.entity(entity), operations),
        ([name, m]) => m.listIntegrations(client, name),
      ),
    );
  return {
    integrations: all,
    slackIntegrations: (entity) =>
      Stream.filter(all(entity), (i): i is SlackIntegration => i._tag === "SlackIntegration"),
    webhookIntegrations: (entity) =>
      Stream.filter(all(entity), (i): i is WebhookIntegration => i._tag === "WebhookIntegration"),
    createWebhookIntegration: (webhook, entity) =>
      Effect.flatMap(
        Effect.zip(paths.entity(entity), operations),
        ([name, m]) => m.createWebhookIntegration(client, name, webhook),
      ),
  };
}
