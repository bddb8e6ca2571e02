/**
 * The integration requests, as the official client (wandb 0.30) sends them: an entity's
 * integrations (`IntegrationsByEntity`) and a new generic webhook
 * (`CreateGenericWebhookIntegration`).
 *
 * @module
 */
import * as Schema from "effect/Schema";
import { fragment, type GraphqlRequest, operationDocument } from "../core/graphql.ts";

/** An integration node, as the server sends it. */
export type IntegrationNodeData =
  | {
    readonly __typename: "SlackIntegration";
    readonly id: string;
    readonly teamName: string;
    readonly channelName: string;
  }
  | {
    readonly __typename: "GenericWebhookIntegration";
    readonly id: string;
    readonly name: string;
    readonly urlEndpoint: string;
  }
  | { readonly __typename: string; readonly id?: string | undefined };

const IntegrationNode: Schema.Decoder<IntegrationNodeData> = Schema.Union([
  Schema.Struct({
    __typename: Schema.Literal("SlackIntegration"),
    id: Schema.String,
    teamName: Schema.String,
    channelName: Schema.String,
  }),
  Schema.Struct({
    __typename: Schema.Literal("GenericWebhookIntegration"),
    id: Schema.String,
    name: Schema.String,
    urlEndpoint: Schema.String,
  }),
  // Kinds this client does not know (a newer server's): kept, then skipped.
  Schema.Struct({ __typename: Schema.String, id: Schema.optional(Schema.String) }),
]);

/** The decoded answer of `IntegrationsByEntity`. */
export type IntegrationsData = {
  readonly entity: {
    readonly integrations: {
      readonly pageInfo: { readonly endCursor: string | null; readonly hasNextPage: boolean };
      readonly edges: ReadonlyArray<{ readonly node: IntegrationNodeData | null }>;
    } | null;
  } | null;
};

const pageInfoFields = fragment(`
  fragment PageInfoFields on PageInfo { endCursor hasNextPage }
`);

const slackFields = fragment(`
  fragment SlackIntegrationFields on SlackIntegration { __typename id teamName channelName }
`);

const webhookFields = fragment(`
  fragment WebhookIntegrationFields on GenericWebhookIntegration { __typename id name urlEndpoint }
`);

const integrationsDocument = operationDocument(
  `
  query IntegrationsByEntity($entity: String!, $cursor: String, $perPage: Int) {
    entity(name: $entity) {
      integrations(after: $cursor, first: $perPage) {
        pageInfo { ...PageInfoFields }
        edges { node { __typename ...SlackIntegrationFields ...WebhookIntegrationFields } }
      }
    }
  }
`,
  pageInfoFields,
  slackFields,
  webhookFields,
);

/**
 * `IntegrationsByEntity`: a page of an entity's integrations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integrationsQuery } from "@effect-wandb/api/integrations";
 * assert.ok(integrationsQuery("acme", 50, null).operation === "IntegrationsByEntity");
 * ```
 */
export function integrationsQuery(
  entity: string,
  perPage: number,
  cursor: string | null,
): GraphqlRequest<IntegrationsData> {
  return {
    operation: "IntegrationsByEntity",
    document: integrationsDocument,
    variables: { entity, cursor, perPage },
    decoder: Schema.Struct({
      entity: Schema.NullOr(Schema.Struct({
        integrations: Schema.NullOr(Schema.Struct({
          pageInfo: Schema.Struct({
            endCursor: Schema.NullOr(Schema.String),
            hasNextPage: Schema.Boolean,
          }),
          edges: Schema.Array(Schema.Struct({ node: Schema.NullOr(IntegrationNode) })),
        })),
      })),
    }),
  };
}

const createWebhookDocument = operationDocument(
  `
  mutation CreateGenericWebhookIntegration($input: CreateGenericWebhookIntegrationInput!) {
    result: createGenericWebhookIntegration(input: $input) {
      integration { __typename ...WebhookIntegrationFields }
    }
  }
`,
  webhookFields,
);

/** The decoded answer of `CreateGenericWebhookIntegration`. */
export type CreateWebhookData = {
  readonly result: { readonly integration: IntegrationNodeData } | null;
};

/**
 * `CreateGenericWebhookIntegration`: connects an entity to a webhook.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWebhookIntegrationMutation } from "@effect-wandb/api/integrations";
 * const r = createWebhookIntegrationMutation("acme", "hook", "https://example.com/h");
 * assert.ok(r.operation === "CreateGenericWebhookIntegration");
 * ```
 */
export function createWebhookIntegrationMutation(
  entity: string,
  name: string,
  urlEndpoint: string,
): GraphqlRequest<CreateWebhookData> {
  return {
    operation: "CreateGenericWebhookIntegration",
    document: createWebhookDocument,
    variables: { input: { entityName: entity, name, urlEndpoint } },
    decoder: Schema.Struct({
      result: Schema.NullOr(Schema.Struct({ integration: IntegrationNode })),
    }),
  };
}
