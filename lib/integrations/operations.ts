/**
 * Integrations (Python's `api.integrations()`, `api.slack_integrations()`,
 * `api.webhook_integrations()`): what an entity connected W&B to, for automations to notify
 * through.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import type * as Stream from "effect/Stream";
import { InvalidArgumentError, NotFoundError, type RequestError } from "../core/errors.ts";
import { paginate } from "../core/pagination.ts";
import { checkedStream, positiveInteger } from "../core/_arguments.ts";
import type { WandbClient } from "../core/transport.ts";
import {
  createWebhookIntegrationMutation,
  type IntegrationNodeData,
  integrationsQuery,
} from "./queries.ts";

/** A Slack channel an entity connected (Python's `SlackIntegration`). */
export interface SlackIntegration {
  readonly _tag: "SlackIntegration";
  readonly id: string;
  /** The Slack workspace. */
  readonly teamName: string;
  readonly channelName: string;
}

/** A generic webhook an entity connected (Python's `WebhookIntegration`). */
export interface WebhookIntegration {
  readonly _tag: "WebhookIntegration";
  readonly id: string;
  readonly name: string;
  /** Where notifications are POSTed. */
  readonly urlEndpoint: string;
}

/** An integration of an entity. */
export type Integration = SlackIntegration | WebhookIntegration;

const toIntegration = (node: IntegrationNodeData): Integration | undefined => {
  if (node.__typename === "SlackIntegration" && "teamName" in node) {
    return {
      _tag: "SlackIntegration",
      id: node.id,
      teamName: node.teamName,
      channelName: node.channelName,
    };
  }
  if (node.__typename === "GenericWebhookIntegration" && "urlEndpoint" in node) {
    return {
      _tag: "WebhookIntegration",
      id: node.id,
      name: node.name,
      urlEndpoint: node.urlEndpoint,
    };
  }
  return undefined;
};

const entityNotFound = (entity: string) =>
  new NotFoundError({
    operation: "IntegrationsByEntity",
    resource: "entity",
    path: entity,
    message: `Entity ${entity} not found`,
  });

/**
 * An entity's integrations, oldest first; kinds this client does not know are skipped.
 *
 * @example
 * ```ts
 * import { Stream } from "effect";
 * import { listIntegrations } from "@effect-wandb/api/integrations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const names = (client: WandbClient) =>
 *   listIntegrations(client, "acme").pipe(Stream.map((i) => i._tag), Stream.runCollect);
 * ```
 */
export function listIntegrations(
  client: WandbClient,
  entity: string,
  options?: { readonly perPage?: number | undefined },
): Stream.Stream<Integration, RequestError | NotFoundError | InvalidArgumentError> {
  const perPage = options?.perPage ?? 50;
  return checkedStream(
    positiveInteger("perPage", perPage),
    paginate({
      operation: "IntegrationsByEntity",
      fetchPage: (cursor) =>
        client.execute(integrationsQuery(entity, perPage, cursor)).pipe(
          Effect.flatMap((data) => {
            if (data.entity === null) return Effect.fail(entityNotFound(entity));
            const connection = data.entity.integrations;
            return Effect.succeed({
              items: (connection?.edges ?? []).flatMap(({ node }) => {
                const known = node === null ? undefined : toIntegration(node);
                return known === undefined ? [] : [known];
              }),
              nextCursor: connection?.pageInfo.endCursor ?? null,
              hasNextPage: connection?.pageInfo.hasNextPage ?? false,
            });
          }),
        ),
    }),
  );
}

/**
 * Connects an entity to a webhook that automations can notify; the URL must be http(s).
 *
 * @example
 * ```ts
 * import { createWebhookIntegration } from "@effect-wandb/api/integrations";
 * import { type WandbClient } from "@effect-wandb/api/client";
 * const hook = (client: WandbClient) =>
 *   createWebhookIntegration(client, "acme", { name: "on-call", urlEndpoint: "https://hooks.example.com/w" });
 * ```
 */
export function createWebhookIntegration(
  client: WandbClient,
  entity: string,
  webhook: { readonly name: string; readonly urlEndpoint: string },
): Effect.Effect<WebhookIntegration, RequestError | NotFoundError | InvalidArgumentError> {
  let url: URL | undefined;
  try {
    url = new URL(webhook.urlEndpoint);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    return Effect.fail(
      new InvalidArgumentError({
        argument: "urlEndpoint",
        value: webhook.urlEndpoint,
        message: "A webhook's URL is an http(s) URL, e.g. https://hooks.example.com/wandb",
      }),
    );
  }
  return client.execute(createWebhookIntegrationMutation(entity, webhook.name, webhook.urlEndpoint))
    .pipe(
      Effect.flatMap((data) => {
        const created = data.result === null ? undefined : toIntegration(data.result.integration);
        return created?._tag === "WebhookIntegration"
          ? Effect.succeed(created)
          : Effect.fail(entityNotFound(entity));
      }),
    );
}
