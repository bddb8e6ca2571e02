/**
 * The local server's SDL of registries, as wandb 0.30 reads and changes them (`FetchRegistries`,
 * `FetchRegistry`, `UpsertRegistry`, `RenameRegistry`, `DeleteRegistry`, `RegistryCollections`,
 * `RegistryVersions`, the members' queries and mutations). A registry is a project of an org
 * entity; its collections are portfolios. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of registries. */
export const registriesSdl: string = /* GraphQL */ `
extend type Project {
  "Whether a registry takes versions of every artifact type."
  allowAllArtifactTypesInRegistry: Boolean
  "A registry's users, with their roles."
  members: [ProjectMember!]!
  "A registry's teams, with their roles."
  teamMembers: [ProjectTeamMember!]!
}

extend type Entity {
  "Collections of the entity's projects (an org entity's registries) matching the filters."
  artifactCollections(projectFilters: JSONString, filters: JSONString, collectionTypes: [ArtifactCollectionType!], after: String, first: Int, before: String, last: Int, order: String): ArtifactCollectionConnection
  "Versions in collections of the entity's projects (an org entity's registries) matching the filters."
  artifactMemberships(projectFilters: JSONString, collectionFilters: JSONString, filters: JSONString, after: String, first: Int, before: String, last: Int, order: String): ArtifactCollectionMembershipConnection
}

extend type Mutation {
  renameProject(input: RenameProjectInput!): RenameProjectPayload
  deleteModel(input: DeleteModelInput!): DeleteModelPayload
  createProjectMembers(input: CreateProjectMembersInput!): CreateProjectMembersPayload
  deleteProjectMembers(input: DeleteProjectMembersInput!): DeleteProjectMembersPayload
  updateProjectMember(input: UpdateProjectMemberInput!): UpdateProjectMemberPayload
  updateProjectTeamMember(input: UpdateProjectTeamMemberInput!): UpdateProjectTeamMemberPayload
}

extend input UpsertModelInput {
  allowAllArtifactTypesInRegistry: Boolean
  artifactTypes: [ArtifactTypeInput!]
  dockerImage: String
  framework: String
}

enum ArtifactCollectionType {
  SEQUENCE
  PORTFOLIO
}

input ArtifactTypeInput {
  name: String!
  description: String
}

type Role {
  name: String!
}

type ProjectMember {
  id: ID!
  name: String
  username: String
  email: String
  role: Role
}

type ProjectTeamMember {
  team: Entity!
  role: Role
}

input RenameProjectInput {
  entityName: String!
  oldProjectName: String!
  newProjectName: String!
  clientMutationId: String
}

type RenameProjectPayload {
  project: Project
  inserted: Boolean
  clientMutationId: String
}

input DeleteModelInput {
  id: String!
  clientMutationId: String
}

type DeleteModelPayload {
  success: Boolean
  clientMutationId: String
}

input CreateProjectMembersInput {
  projectId: ID!
  userIds: [ID!]
  teamIds: [ID!]
  clientMutationId: String
}

type CreateProjectMembersPayload {
  success: Boolean
  clientMutationId: String
}

input DeleteProjectMembersInput {
  projectId: ID!
  userIds: [ID!]
  teamIds: [ID!]
  clientMutationId: String
}

type DeleteProjectMembersPayload {
  success: Boolean
  clientMutationId: String
}

input UpdateProjectMemberInput {
  projectId: ID!
  userId: ID!
  userProjectRole: String!
  clientMutationId: String
}

type UpdateProjectMemberPayload {
  success: Boolean
  clientMutationId: String
}

input UpdateProjectTeamMemberInput {
  projectId: ID!
  teamId: ID!
  teamProjectRole: String!
  clientMutationId: String
}

type UpdateProjectTeamMemberPayload {
  success: Boolean
  clientMutationId: String
}
`;
