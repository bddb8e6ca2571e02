/**
 * The local server's SDL of reports (W&B's views). Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of reports. */
export const reportsSdl: string = /* GraphQL */ `
extend type Query {
  view(id: ID!, type: String): View
}

extend type Project {
  allViews(viewType: String, viewName: String, first: Int, after: String, before: String, last: Int): ViewConnection
}

type View implements Node {
  id: ID!
  name: String
  displayName: String
  description: String
  type: String
  user: User
  spec: JSONString
  createdAt: DateTime!
  updatedAt: DateTime
}

type ViewConnection {
  pageInfo: PageInfo!
  edges: [ViewEdge!]!
}

type ViewEdge {
  node: View
  cursor: String
}
`;
