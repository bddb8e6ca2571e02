/**
 * The local server's SDL of users and entities (a user's own, and teams). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of users and entities. */
export const usersSdl: string = /* GraphQL */ `
extend type Query {
  viewer(entityName: String): User
  user(id: ID, userName: String): User
  entity(name: String, login: Boolean): Entity
}

type User implements Node {
  id: ID!
  name: String!
  username: String
  email: String
  photoUrl: String
  admin: Boolean
  flags: JSONString
  "The user's default entity name."
  entity: String
  deletedAt: DateTime
  teams(before: String, after: String, first: Int, last: Int): EntityConnection
}

type Entity implements Node {
  id: ID!
  name: String!
  available: Boolean
  photoUrl: String
  readOnly: Boolean
  readOnlyAdmin: Boolean!
  isTeam: Boolean!
  privateOnly: Boolean
  storageBytes: Int64!
  codeSavingEnabled: Boolean!
  defaultAccess: String!
  isPaid: Boolean
  limits: JSONString
}

type EntityConnection {
  pageInfo: PageInfo
  edges: [EntityEdge!]!
}

type EntityEdge {
  node: Entity
  cursor: String
}
`;
