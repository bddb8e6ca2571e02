/**
 * The local server's SDL of teams and users beyond the core types: invites, service accounts
 * and API keys (the official client's `CreateInvite`, `DeleteInvite`, `CreateServiceAccount`,
 * `GenerateApiKey`, `DeleteApiKey`). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of teams and users. */
export const teamsSdl: string = /* GraphQL */ `
extend type Mutation {
  createInvite(input: CreateInviteInput!): CreateInvitePayload
  deleteInvite(input: DeleteInviteInput!): DeleteInvitePayload
  createServiceAccount(input: CreateServiceAccountInput!): CreateServiceAccountPayload
  generateApiKey(input: GenerateApiKeyInput!): GenerateApiKeyPayload
  deleteApiKey(input: DeleteApiKeyInput!): DeleteApiKeyPayload
}

extend type Entity {
  entityType: String
}

type Invite {
  id: ID!
  name: String
  email: String
  createdAt: DateTime
  toUser: User
}

input CreateInviteInput {
  entityName: String!
  email: String
  username: String
  admin: Boolean
  clientMutationId: String
}

type CreateInvitePayload {
  invite: Invite
  clientMutationId: String
}

input DeleteInviteInput {
  id: String
  entityName: String
  clientMutationId: String
}

type DeleteInvitePayload {
  success: Boolean
  clientMutationId: String
}

input CreateServiceAccountInput {
  entityName: String!
  description: String!
  clientMutationId: String
}

type CreateServiceAccountPayload {
  user: User
  clientMutationId: String
}

input GenerateApiKeyInput {
  description: String
  clientMutationId: String
}

type GenerateApiKeyPayload {
  apiKey: ApiKey
  clientMutationId: String
}

input DeleteApiKeyInput {
  id: String!
  clientMutationId: String
}

type DeleteApiKeyPayload {
  success: Boolean
  clientMutationId: String
}
`;
