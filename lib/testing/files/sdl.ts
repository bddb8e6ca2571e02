/**
 * The local server's SDL of run files (`Run.files`, uploads through `createRunFiles`,
 * `deleteFiles`): their types, and the fields they add to `Mutation` and `Run`. Part of
 * `wandbSdl`.
 *
 * @module
 */

/** The SDL of run files. */
export const filesSdl: string = /* GraphQL */ `
extend type Mutation {
  createRunFiles(input: CreateRunFilesInput!): CreateRunFilesPayload
  deleteFiles(input: DeleteFilesInput!): DeleteFilesPayload
}

extend type Run {
  fileCount: Int
  files(names: [String], after: String, first: Int, before: String, last: Int, pattern: String): FileConnection
}

type File implements Node {
  id: ID!
  name: String!
  displayName: String
  url(upload: Boolean): String
  directUrl: String
  uploadUrl: String
  sizeBytes: Int64
  mimetype: String
  updatedAt: DateTime
  md5: String
  digest: String
  storagePath: String
}

type FileConnection {
  totalCount: Int
  pageInfo: PageInfo!
  edges: [FileEdge!]!
}

type FileEdge {
  node: File
  cursor: String!
}

input CreateRunFilesInput {
  entityName: String!
  projectName: String!
  runName: String!
  files: [String!]!
  clientMutationId: String
}

type CreateRunFilesPayload {
  runID: ID!
  uploadHeaders: [String!]!
  files: [File!]!
  clientMutationId: String
}

input DeleteFilesInput {
  files: [ID!]!
  projectId: Int
  clientMutationId: String
}

type DeleteFilesPayload {
  success: Boolean
  clientMutationId: String
}
`;
