/**
 * The local server's SDL of teams and users beyond the core types: invites, service accounts
 * and API keys (the official client's `CreateInvite`, `DeleteInvite`, `CreateServiceAccount`,
 * `GenerateApiKey`, `DeleteApiKey`). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of teams and users. */
export const teamsSdl: string = /* GraphQL */ `
extend type Query {
  users(query: String, before: String, after: String, first: Int, last: Int, usernames: [String!], ids: [ID!]): UserConnection
}

extend type Mutation {
  createTeam(input: CreateTeamInput!): CreateTeamPayload
  createUser(input: CreateUserInput!): CreateUserPayload
  createInvite(input: CreateInviteInput!): CreateInvitePayload
  deleteInvite(input: DeleteInviteInput!): DeleteInvitePayload
  createServiceAccount(input: CreateServiceAccountInput!): CreateServiceAccountPayload
  generateApiKey(input: GenerateApiKeyInput!): GenerateApiKeyPayload
  deleteApiKey(input: DeleteApiKeyInput!): DeleteApiKeyPayload
}

extend type Entity {
  entityType: String
  members: [Member!]!
}

extend type User {
  accountType: String
  apiKeys: ApiKeyConnection
}

type UserConnection {
  pageInfo: PageInfo!
  edges: [UserEdge!]!
}

type UserEdge {
  node: User
  cursor: String!
}

type Member {
  id: ID
  admin: Boolean
  "The member's role in the team: admin or member."
  role: String
  pending: Boolean
  email: String
  username: String
  name: String!
  photoUrl: String
  accountType: String
  apiKey: String
}

type ApiKey implements Node {
  id: ID!
  name: String!
  description: String
}

type ApiKeyConnection {
  pageInfo: PageInfo
  edges: [ApiKeyEdge!]!
}

type ApiKeyEdge {
  node: ApiKey
  cursor: String
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

input CreateTeamInput {
  teamName: String!
  teamAdminUserName: String
  organizationId: String
  clientMutationId: String
}

type CreateTeamPayload {
  entity: Entity
  clientMutationId: String
}

input CreateUserInput {
  email: String!
  admin: Boolean
  clientMutationId: String
}

type CreateUserPayload {
  user: User
  clientMutationId: String
}
`;
