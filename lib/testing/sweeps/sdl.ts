/**
 * The local server's SDL of sweeps. Part of `wandbSdl`.
 *
 * @module
 */

/** The SDL of sweeps. */
export const sweepsSdl: string = /* GraphQL */ `
extend type Project {
  totalSweeps: Int!
  sweeps(after: String, first: Int, before: String, last: Int, filters: JSONString, order: String): SweepConnection
  sweep(sweepName: String!): Sweep
}

type Sweep implements Node {
  id: ID!
  name: String!
  displayName: String
  method: String
  state: String
  description: String
  bestLoss: Float
  "The sweep config as a YAML string."
  config: String
  createdAt: DateTime!
  updatedAt: DateTime
  runCount: Int!
  runCountExpected: Int
}

type SweepConnection {
  pageInfo: PageInfo!
  edges: [SweepEdge!]!
}

type SweepEdge {
  node: Sweep
  cursor: String
}
`;
