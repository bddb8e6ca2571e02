/**
 * Integrations on the local server: an entity's Slack channels and generic webhooks
 * (`Entity.integrations`), creating a webhook, and acme's seeded pair.
 *
 * @module
 */
import { GraphQLError } from "graphql";
import type { ResolverContext, ServerResource } from "../resource.ts";
import { offsetPage } from "../pages.ts";
import { integrationsSdl } from "./sdl.ts";
import { type SeedIntegration, seedIntegrations } from "./seed.ts";
import { IntegrationStore, type StoredIntegration } from "./store.ts";

/** The GraphQL view of an integration (its `__typename` picks its fields). */
export function integrationView(integration: StoredIntegration): Record<string, unknown> {
  return integration.kind === "slack"
    ? {
      __typename: "SlackIntegration",
      id: btoa(`Integration:${integration.id}`),
      teamName: integration.teamName,
      channelName: integration.channelName,
    }
    : {
      __typename: "GenericWebhookIntegration",
      id: btoa(`Integration:${integration.id}`),
      name: integration.name,
      urlEndpoint: integration.urlEndpoint,
      createdAt: null,
    };
}

const integrations =
  (ctx: ResolverContext, entity: string) =>
  (args: { after?: string | null; first?: number | null }) => {
    // Who may see an entity's integrations: its members (others get a 403).
    ctx.canRead(entity);
    const page = offsetPage(ctx.store.integrations.list(entity), args.after, args.first, 50);
    return { ...page, edges: page.edges.map((e) => ({ ...e, node: integrationView(e.node) })) };
  };

/**
 * The integrations resource of the local server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integrationsResource } from "@effect-wandb/api/testing";
 * assert.ok(integrationsResource.rootFields?.createGenericWebhookIntegration !== undefined);
 * ```
 */
export const integrationsResource: ServerResource<IntegrationStore, SeedIntegration> = {
  open: (db) => new IntegrationStore(db),
  sdl: integrationsSdl,
  entityFields: (ctx, entity) => ({ integrations: integrations(ctx, entity) }),
  rootFields: {
    createGenericWebhookIntegration: (
      { input }: { input: { entityName: string; urlEndpoint: string; name: string } },
      ctx,
    ) => {
      ctx.checkEntity(input.entityName);
      let url: URL;
      try {
        url = new URL(input.urlEndpoint);
      } catch {
        throw new GraphQLError(`invalid urlEndpoint ${JSON.stringify(input.urlEndpoint)}`);
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new GraphQLError(`a webhook must be http(s), not ${url.protocol}`);
      }
      const created = ctx.store.integrations.create(input.entityName, {
        kind: "webhook",
        name: input.name,
        urlEndpoint: input.urlEndpoint,
      });
      return { integration: integrationView(created), clientMutationId: null };
    },
  },
  seed: () => seedIntegrations,
  load: (store, _core, integrations) => {
    for (const { entity, ...integration } of integrations) {
      store.integrations.create(entity, integration);
    }
  },
};
