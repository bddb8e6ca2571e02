/**
 * The local server's SDL of integrations, as the official client reads and creates them
 * (`IntegrationsByEntity`, `CreateGenericWebhookIntegration`). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of integrations. */
export const integrationsSdl: string = /* GraphQL */ `
extend type Entity {
  integrations(after: String, first: Int, before: String, last: Int): IntegrationConnection
}

extend type Mutation {
  createGenericWebhookIntegration(input: CreateGenericWebhookIntegrationInput!): CreateGenericWebhookIntegrationPayload
}

interface Integration {
  id: ID!
}

type SlackIntegration implements Integration & Node {
  id: ID!
  teamName: String!
  channelName: String!
}

type GenericWebhookIntegration implements Integration & Node {
  id: ID!
  name: String!
  urlEndpoint: String!
  createdAt: DateTime
}

type IntegrationConnection {
  pageInfo: PageInfo!
  edges: [IntegrationEdge!]!
}

type IntegrationEdge {
  node: Integration
  cursor: String!
}

input CreateGenericWebhookIntegrationInput {
  entityName: String!
  urlEndpoint: String!
  name: String!
  secretRef: String
  accessTokenRef: String
  clientMutationId: String
}

type CreateGenericWebhookIntegrationPayload {
  integration: Integration!
  clientMutationId: String
}
`;
