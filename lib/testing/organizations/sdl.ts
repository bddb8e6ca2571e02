/**
 * The local server's SDL of organizations, as wandb 0.30 asks for them (`FetchOrganization`,
 * `FetchOrgInfoFromEntity`, `FetchAdvancedRegistryFeatures`). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of organizations. */
export const organizationsSdl: string = /* GraphQL */ `
extend type Query {
  organization(name: String!): Organization
}

extend type Entity {
  "The organization a team (or an org entity) belongs to."
  organization: Organization
  "The user a personal entity is, null for a team."
  user: User
}

extend type User {
  "The organizations the user belongs to."
  organizations: [Organization!]!
}

type Organization implements Node {
  id: ID!
  name: String!
  "The entity the organization's registries belong to."
  orgEntity: Entity
  advancedRegistryFeatures: AdvancedRegistryFeatures
}

type AdvancedRegistryFeatures {
  advancedSearch: Boolean!
}
`;
