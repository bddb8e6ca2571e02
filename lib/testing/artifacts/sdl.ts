/**
 * The local server's SDL of artifacts (types, collections, versions, manifests, aliases, tags,
 * links and lineage): their types, and the fields they add to `Query`, `Mutation`, `Project`
 * and `Run`. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of artifacts. */
export const artifactsSdl: string = /* GraphQL */ `
extend type Query {
  artifact(id: ID!): Artifact
  artifactCollection(id: ID!): ArtifactCollection
  artifactSequence(id: ID!): ArtifactSequence
}

extend type Mutation {
  addAliases(input: AddAliasesInput!): AddAliasesPayload
  deleteAliases(input: DeleteAliasesInput!): DeleteAliasesPayload
  updateArtifact(input: UpdateArtifactInput!): UpdateArtifactPayload
  deleteArtifact(input: DeleteArtifactInput!): DeleteArtifactPayload
  updateArtifactSequence(input: UpdateArtifactSequenceInput!): UpdateArtifactCollectionPayload
  updateArtifactPortfolio(input: UpdateArtifactPortfolioInput!): UpdateArtifactCollectionPayload
  deleteArtifactSequence(input: DeleteArtifactSequenceInput!): DeleteArtifactCollectionPayload
  deleteArtifactPortfolio(input: DeleteArtifactPortfolioInput!): DeleteArtifactCollectionPayload
  "Changes a collection's type (the official client's UpdateArtifactSequenceType)."
  moveArtifactSequence(input: MoveArtifactSequenceInput!): UpdateArtifactCollectionPayload
  createArtifactCollectionTagAssignments(input: CreateArtifactCollectionTagAssignmentsInput!): CreateArtifactCollectionTagAssignmentsPayload
  deleteArtifactCollectionTagAssignments(input: DeleteArtifactCollectionTagAssignmentsInput!): DeleteArtifactCollectionTagAssignmentsPayload
  linkArtifact(input: LinkArtifactInput!): LinkArtifactPayload
  unlinkArtifact(input: UnlinkArtifactInput!): UnlinkArtifactPayload
  "Marks an artifact as an input of a run."
  useArtifact(input: UseArtifactInput!): UseArtifactPayload
  "A new version of a collection (or, with enableDigestDeduplication, the version holding that digest), as an output of runName."
  createArtifact(input: CreateArtifactInput!): CreateArtifactPayload
}

extend type Project {
  artifactType(name: String!): ArtifactType
  "Its artifact types; with includeAll, a registry's types whether it holds versions of them or not."
  artifactTypes(after: String, first: Int, before: String, last: Int, includeAll: Boolean): ArtifactTypeConnection!
  artifact(name: String!, enableTracking: Boolean): Artifact
  artifactCollection(name: String!): ArtifactCollection
  "A version as a member of one collection, by collection:alias or collection:vN (the official client 0.30 asks for it in api.artifact)."
  artifactCollectionMembership(name: String!): ArtifactCollectionMembership
}

extend type Run {
  outputArtifacts(after: String, first: Int, before: String, last: Int): ArtifactConnection
  inputArtifacts(after: String, first: Int, before: String, last: Int): InputArtifactConnection
}

enum ArtifactState {
  PENDING
  COMMITTED
  DELETED
}

type Tag {
  id: ID!
  name: String!
  attributes: JSONString
  tagCategoryName: String
}

type TagConnection {
  pageInfo: PageInfo!
  edges: [TagEdge!]!
}

type TagEdge {
  node: Tag!
  cursor: String
}

type ArtifactType {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime
  project: Project
  artifactCollections(after: String, first: Int, before: String, last: Int, filters: JSONString, order: String): ArtifactCollectionConnection
  artifactCollection(name: String!): ArtifactCollection
  artifact(name: String!): Artifact
}

type ArtifactTypeConnection {
  pageInfo: PageInfo!
  edges: [ArtifactTypeEdge!]!
}

type ArtifactTypeEdge {
  node: ArtifactType
  cursor: String
}

interface ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
  "A version of this collection, by alias or vN (the official client 0.30 reads a version's files through it)."
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
}

type ArtifactSequence implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
  "A version of this collection, by alias or vN (the official client 0.30 reads a version's files through it)."
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
  latestArtifact: Artifact
}

type ArtifactPortfolio implements ArtifactCollection {
  id: ID!
  name: String!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime
  project: Project!
  defaultArtifactType: ArtifactType!
  tags: TagConnection!
  state: ArtifactCollectionState!
  aliases(after: String, first: Int): ArtifactAliasConnection!
  artifacts(after: String, first: Int, before: String, last: Int, order: String, filters: JSONString): VersionedArtifactConnection
  "A version of this collection, by alias or vN (the official client 0.30 reads a version's files through it)."
  artifactMembership(aliasName: String!): ArtifactCollectionMembership
}

type ArtifactCollectionConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [ArtifactCollectionEdge!]!
}

type ArtifactCollectionEdge {
  node: ArtifactCollection
  cursor: String
}

type ArtifactAlias {
  id: ID
  alias: String!
  artifactCollection: ArtifactCollection
}

enum ArtifactCollectionState {
  READY
  DELETED
}

union ArtifactCreator = Run | User

type ArtifactAliasConnection {
  pageInfo: PageInfo!
  edges: [ArtifactAliasEdge!]!
}

type ArtifactAliasEdge {
  node: ArtifactAlias
  cursor: String
}

type ArtifactCollectionMembership {
  id: ID!
  versionIndex: Int
  createdAt: DateTime
  "The version's files, as Artifact.files."
  files(names: [String], after: String, first: Int, before: String, last: Int): FileConnection!
  aliases: [ArtifactAlias!]!
  artifactCollection: ArtifactCollection
  artifact: Artifact
}

type ArtifactCollectionMembershipConnection {
  pageInfo: PageInfo!
  edges: [ArtifactCollectionMembershipEdge!]!
}

type ArtifactCollectionMembershipEdge {
  node: ArtifactCollectionMembership
  cursor: String
}

input UpdateArtifactSequenceInput {
  artifactSequenceID: ID!
  name: String
  description: String
  clientMutationId: String
}

input UpdateArtifactPortfolioInput {
  artifactPortfolioID: ID!
  name: String
  description: String
  clientMutationId: String
}

type UpdateArtifactCollectionPayload {
  artifactCollection: ArtifactCollection!
  clientMutationId: String
}

input DeleteArtifactSequenceInput {
  artifactSequenceID: ID!
  clientMutationId: String
}

input DeleteArtifactPortfolioInput {
  artifactPortfolioID: ID!
  clientMutationId: String
}

type DeleteArtifactCollectionPayload {
  artifactCollection: ArtifactCollection!
  clientMutationId: String
}

input MoveArtifactSequenceInput {
  artifactSequenceID: ID!
  destinationArtifactTypeName: String!
  clientMutationId: String
}

input CreateArtifactCollectionTagAssignmentsInput {
  entityName: String!
  projectName: String!
  artifactCollectionName: String!
  tags: [TagInput!]!
  clientMutationID: String
}

type CreateArtifactCollectionTagAssignmentsPayload {
  tags: [Tag!]!
  clientMutationID: String
}

input DeleteArtifactCollectionTagAssignmentsInput {
  entityName: String!
  projectName: String!
  artifactCollectionName: String!
  tags: [TagInput!]!
  clientMutationID: String
}

type DeleteArtifactCollectionTagAssignmentsPayload {
  success: Boolean!
  clientMutationID: String
}

input ArtifactAliasInput {
  artifactCollectionName: String!
  alias: String!
}

input LinkArtifactInput {
  artifactID: ID
  artifactPortfolioID: ID
  artifactPortfolioName: String
  entityName: String
  projectName: String
  aliases: [ArtifactAliasInput!]
  clientID: ID
  clientMutationId: String
}

type LinkArtifactPayload {
  versionIndex: Int
  artifactMembership: ArtifactCollectionMembership
  clientMutationId: String
}

input UnlinkArtifactInput {
  artifactID: ID!
  artifactPortfolioID: ID!
  clientMutationId: String
}

type UnlinkArtifactPayload {
  success: Boolean!
  clientMutationId: String
}

input UseArtifactInput {
  entityName: String!
  projectName: String!
  runName: String!
  artifactID: ID!
  usedAs: String
  artifactEntityName: String
  artifactProjectName: String
  clientMutationId: String
}

type UseArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

enum ArtifactDigestAlgorithm {
  MANIFEST_MD5
}

input CreateArtifactInput {
  artifactTypeName: String!
  artifactCollectionNames: [String!]
  entityName: String!
  projectName: String!
  runName: String
  description: String
  digest: String!
  digestAlgorithm: ArtifactDigestAlgorithm
  aliases: [ArtifactAliasInput!]
  metadata: JSONString
  clientID: ID
  sequenceClientID: ID
  enableDigestDeduplication: Boolean
  ttlDurationSeconds: Int64
  tags: [TagInput!]
  historyStep: Int64
  distributedID: String
  clientMutationId: String
}

type CreateArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

type ArtifactManifest {
  id: ID!
  file: File!
}

type Artifact implements Node {
  id: ID!
  artifactSequence: ArtifactSequence!
  versionIndex: Int
  artifactType: ArtifactType!
  description: String
  metadata: JSONString
  ttlDurationSeconds: Int64
  ttlIsInherited: Boolean
  tags: [Tag!]!
  historyStep: Int64
  state: ArtifactState!
  size: Int64!
  digest: String!
  "How the digest was computed (W&B Server releases before the feature lack the field)."
  digestAlgorithm: ArtifactDigestAlgorithm
  commitHash: String
  fileCount: Int64!
  createdAt: DateTime!
  updatedAt: DateTime
  aliases: [ArtifactAlias!]!
  currentManifest: ArtifactManifest
  files(names: [String], after: String, first: Int, before: String, last: Int): FileConnection!
  "The runs that used it."
  usedBy(after: String, first: Int): RunConnection!
  "The run (or user) that logged it."
  createdBy: ArtifactCreator
  "Its memberships: its own collection's, and the portfolios it is linked into."
  artifactMemberships(after: String, first: Int): ArtifactCollectionMembershipConnection!
}

type ArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [ArtifactEdge!]!
}

type ArtifactEdge {
  node: Artifact
  cursor: String
}

type InputArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [InputArtifactEdge!]!
}

type InputArtifactEdge {
  node: Artifact
  cursor: String
}

type VersionedArtifactConnection {
  totalCount: Int!
  pageInfo: PageInfo!
  edges: [VersionedArtifactEdge!]!
}

type VersionedArtifactEdge {
  node: Artifact!
  version: String!
  cursor: String
}

input ArtifactCollectionAliasInput {
  alias: String!
  artifactCollectionName: String!
  entityName: String!
  projectName: String!
}

input AddAliasesInput {
  aliases: [ArtifactCollectionAliasInput!]!
  artifactID: ID!
  clientMutationId: String
}

type AddAliasesPayload {
  success: Boolean!
  clientMutationId: String
}

input DeleteAliasesInput {
  aliases: [ArtifactCollectionAliasInput!]!
  artifactID: ID!
  clientMutationId: String
}

type DeleteAliasesPayload {
  success: Boolean!
  clientMutationId: String
}

input TagInput {
  tagName: String!
  tagCategoryName: String
  attributes: JSONString
}

input UpdateArtifactInput {
  artifactID: ID!
  description: String
  metadata: JSONString
  ttlDurationSeconds: Int64
  tagsToAdd: [TagInput!]
  tagsToDelete: [TagInput!]
  aliases: [ArtifactCollectionAliasInput!]
  clientMutationId: String
}

type UpdateArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}

input DeleteArtifactInput {
  artifactID: ID!
  deleteAliases: Boolean
  clientMutationId: String
}

type DeleteArtifactPayload {
  artifact: Artifact!
  clientMutationId: String
}
`;
